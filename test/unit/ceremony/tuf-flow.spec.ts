import { describe, expect, it } from 'vitest';

import { progress, propose, type CollectedSignature, type RepoState } from '../../../shared/ceremony';
import { parseMetadata } from '../../../shared/tuf/metadata';
import { fromBase64 } from '../../../shared/tuf/encoding';
import { emptyState, env, errorsOf, inspectState, makeKey, publish, signWith, type TestKey } from './helpers';

describe('TUF ceremonies end to end (pure engine, real keys)', () => {
  it('init 1-of-1 → rotate-root 2-of-3 → remove a root key → rotate targets: every step inspects healthy', async () => {
    const root1 = await makeKey('tuf-1.0', 'ecdsa-p256', 'Alice', '1000001');
    const targets1 = await makeKey('tuf-1.0', 'ed25519', 'Release bot');
    const online = { snapshot: await makeKey('tuf-1.0', 'ed25519'), timestamp: await makeKey('tuf-1.0', 'ed25519') };
    let state: RepoState = emptyState('tuf-1.0');

    const init = propose(state, { kind: 'init', rootKeys: [root1.key], rootThreshold: 1, targetsKeys: [targets1.key], snapshotKeys: [online.snapshot.key], timestampKeys: [online.timestamp.key] }, env);
    expect(init.checks.filter((c) => !c.passed && c.severity === 'blocking')).toEqual([]);
    expect(init.roles.map((r) => [r.role, r.version, r.signing])).toEqual([
      ['root', 1, 'offline'],
      ['targets', 1, 'offline'],
      ['snapshot', 1, 'online'],
      ['timestamp', 1, 'online'],
    ]);
    expect(init.diff.map((e) => e.summary)).toContain('root: root keys + ' + `${root1.key.keyid.slice(0, 8)}… (token 1000001, Alice)`);
    state = publish(state, init, signWith(init, [root1, targets1]), online);
    expect(errorsOf(inspectState(state))).toEqual([]);
    const rootEnv = parseMetadata(fromBase64(state.files['root']!)!, { strictExpires: true });
    expect(rootEnv.signed.specVersion).toBe('1.0.31');
    expect(rootEnv.signedJson['consistent_snapshot']).toBe(true);
    expect(rootEnv.signed.expiresStrict).toBe(true);

    // rotate-root to 2-of-3 on three new "tokens"
    const r: TestKey[] = [await makeKey('tuf-1.0', 'ecdsa-p256', 'Bob', '2000001'), await makeKey('tuf-1.0', 'ecdsa-p256', 'Carol', '2000002'), await makeKey('tuf-1.0', 'ecdsa-p256', 'Dan', '2000003')];
    const rot = propose(state, { kind: 'rotate-root', add: r.map((k) => k.key), remove: [root1.key.keyid], threshold: 2 }, env);
    expect(rot.roles.map((x) => x.role)).toEqual(['root']);
    const rootReq = rot.roles[0]!.requirements;
    expect(rootReq.map((q) => [q.label, q.threshold, q.keyids.length])).toEqual([
      ['root v1 (current)', 1, 1],
      ['root v2 (new)', 2, 3],
    ]);
    expect(rot.diff.map((e) => e.summary)).toContain('root: root threshold 1 → 2 (of 3 keys)');
    let sigs: CollectedSignature[] = signWith(rot, [r[0]!]);
    const p = progress(rot, sigs);
    expect(p.complete).toBe(false);
    expect(p.roles[0]!.requirements[1]!.missing.map((m) => m.tokenSerial)).toEqual(['2000002', '2000003']);
    sigs = signWith(rot, [r[1]!, root1], sigs);
    expect(progress(rot, sigs).complete).toBe(true);
    state = publish(state, rot, sigs, online);
    expect(errorsOf(inspectState(state))).toEqual([]);

    // remove one root key (2-of-2 left), threshold kept
    const rm = propose(state, { kind: 'rotate-root', remove: [r[2]!.key.keyid] }, env);
    state = publish(state, rm, signWith(rm, [r[0]!, r[1]!]), online);
    expect(errorsOf(inspectState(state))).toEqual([]);

    // targets key rotation: root v4 + targets v2 + snapshot/timestamp online
    const targets2 = await makeKey('tuf-1.0', 'ecdsa-p256', 'Release bot 2');
    const rk = propose(state, { kind: 'rotate-key', role: 'targets', newKeys: [targets2.key] }, env);
    expect(rk.roles.map((x) => `${x.role}@${x.version}:${x.signing}`)).toEqual(['root@4:offline', 'targets@2:offline', 'snapshot@2:online', 'timestamp@2:online']);
    state = publish(state, rk, signWith(rk, [r[0]!, r[1]!, targets2]), online);
    const report = inspectState(state);
    expect(errorsOf(report)).toEqual([]);
    expect(report.health).toBe('healthy');
    expect(state.rootHistory).toHaveLength(4);
  });

  it('offline snapshot/timestamp are re-computed after targets change and signed in the ceremony', async () => {
    const root = await makeKey('tuf-1.0');
    const tk = await makeKey('tuf-1.0');
    const sn = await makeKey('tuf-1.0');
    const ts = await makeKey('tuf-1.0');
    let state = emptyState('tuf-1.0');
    const init = propose(state, { kind: 'init', rootKeys: [root.key], rootThreshold: 1, targetsKeys: [tk.key], snapshotKeys: [sn.key], timestampKeys: [ts.key], offlineRoles: ['snapshot', 'timestamp'] }, env);
    expect(init.roles.every((r) => r.signing === 'offline')).toBe(true);
    state = publish(state, init, signWith(init, [root, tk, sn, ts]), { snapshot: sn, timestamp: ts });
    const st = propose(
      state,
      { kind: 'sign-targets', offlineRoles: ['snapshot', 'timestamp'], changes: [{ role: 'targets', action: 'add', path: 'app/v1.tar.gz', length: 3, hashes: { sha256: 'ab'.repeat(32) } }] },
      env,
    );
    expect(st.roles.map((r) => `${r.role}@${r.version}`)).toEqual(['targets@2', 'snapshot@2', 'timestamp@2']);
    expect(st.roles[1]!.signed['meta']).toEqual({ 'targets.json': { version: 2 } });
    expect(st.roles[2]!.signed['meta']).toEqual({ 'snapshot.json': { version: 2 } });
    expect(st.diff.map((d) => d.summary)).toContain(`targets: + target "app/v1.tar.gz" (3 bytes, sha256:${'ab'.repeat(32)})`);
    state = publish(state, st, signWith(st, [tk, sn, ts]), { snapshot: sn, timestamp: ts });
    const report = inspectState(state);
    expect(errorsOf(report)).toEqual([]);
  });
});

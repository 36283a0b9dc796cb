import { Metadata, type MetadataKind, type Root as TufRoot, type Targets as TufTargets } from '@tufjs/models';
import { describe, expect, it } from 'vitest';

import { assessCompromiseOf, progress, propose, signingTasks, verifyIncomingSignature, type RepoState } from '../../../shared/ceremony';
import { fromBase64 } from '../../../shared/tuf/encoding';
import { emptyState, env, errorsOf, inspectState, knownOf, makeKey, publish, sigFor, signWith, type TestKey } from './helpers';

function tufjs<T extends TufRoot | TufTargets>(b64: string): Metadata<T> {
  const doc = JSON.parse(new TextDecoder().decode(fromBase64(b64)!)) as { signed: { _type: 'root' | 'targets' } };
  return Metadata.fromJSON(doc.signed._type as MetadataKind.Root, doc) as unknown as Metadata<T>;
}

/** tuf-js's own models walk the root chain: each root verified by the previous one and by itself. */
function tufjsWalksRootChain(state: RepoState): void {
  let trusted = tufjs<TufRoot>(state.rootHistory[0]!);
  trusted.verifyDelegate('root', trusted);
  for (const b64 of state.rootHistory.slice(1)) {
    const next = tufjs<TufRoot>(b64);
    trusted.verifyDelegate('root', next);
    next.verifyDelegate('root', next);
    expect(next.signed.version).toBe(trusted.signed.version + 1);
    trusted = next;
  }
}

async function repo(): Promise<{ state: RepoState; roots: TestKey[]; tk: TestKey; online: { snapshot: TestKey; timestamp: TestKey } }> {
  const roots = [await makeKey('tuf-1.0', 'ecdsa-p256', 'Alice', '1001'), await makeKey('tuf-1.0', 'ecdsa-p256', 'Bob', '1002'), await makeKey('tuf-1.0', 'ecdsa-p256', 'Carol', '1003')];
  const tk = await makeKey('tuf-1.0', 'ed25519', 'Release');
  const online = { snapshot: await makeKey('tuf-1.0', 'ed25519'), timestamp: await makeKey('tuf-1.0', 'ed25519') };
  const init = propose(emptyState('tuf-1.0'), { kind: 'init', rootKeys: roots.map((k) => k.key), rootThreshold: 2, targetsKeys: [tk.key], snapshotKeys: [online.snapshot.key], timestampKeys: [online.timestamp.key] }, env);
  return { state: publish(emptyState('tuf-1.0'), init, signWith(init, [roots[0]!, roots[1]!, tk]), online), roots, tk, online };
}

describe('TUF delegations: add-signer / sign-targets / remove-signer', () => {
  it('a delegation with paths, threshold and terminating; its first metadata signed by the new signer', async () => {
    const { state: s0, tk, online } = await repo();
    const alice = await makeKey('tuf-1.0', 'ecdsa-p256', 'alice', '3001');
    const add = propose(s0, { kind: 'add-signer', name: 'alice', keys: [alice.key], paths: ['alice/*'], terminating: true }, env);
    expect(add.roles.map((r) => `${r.role}@${r.version}:${r.signing}`)).toEqual(['targets@2:offline', 'alice@1:offline', 'snapshot@2:online', 'timestamp@2:online']);
    expect(add.roles[1]!.requirements).toEqual([{ label: 'alice (delegated by targets)', keyids: [alice.key.keyid], threshold: 1 }]);
    expect(add.roles[2]!.signed['meta']).toEqual({ 'targets.json': { version: 2 }, 'alice.json': { version: 1 } });
    expect(add.diff.map((d) => d.summary)).toContain(`targets: + delegation alice: signers 1/1 of [${alice.key.keyid.slice(0, 8)}… (token 3001, alice)], paths alice/*, terminating`);
    // the release key signs now; alice signs in another sitting (partial bundle) — progress names her
    const first = signWith(add, [tk]);
    expect(progress(add, first).roles.find((r) => r.role === 'alice')!.requirements[0]!.missing).toEqual([
      { keyid: alice.key.keyid, name: `${alice.key.keyid.slice(0, 8)}… (token 3001, alice)`, holder: 'alice', tokenSerial: '3001' },
    ]);
    let state = publish(s0, add, signWith(add, [alice], first), online);
    expect(errorsOf(inspectState(state))).toEqual([]);
    tufjs<TufTargets>(state.files['targets']!).verifyDelegate('alice', tufjs<TufTargets>(state.files['alice']!));

    const st = propose(state, { kind: 'sign-targets', changes: [{ role: 'alice', action: 'add', path: 'alice/app.tgz', length: 42, hashes: { sha256: 'cd'.repeat(32) } }] }, env);
    state = publish(state, st, signWith(st, [alice]), online);
    const report = inspectState(state);
    expect(errorsOf(report)).toEqual([]);
    expect(report.targets.find((t) => t.name === 'alice/app.tgz')?.role).toBe('alice');

    const rm = propose(state, { kind: 'remove-signer', name: 'alice' }, env);
    expect(rm.diff.map((d) => d.kind)).toContain('delegation-removed');
    const snap = rm.roles.find((r) => r.role === 'snapshot')!;
    // the snapshot keeps alice.json (catalogue #22: entries never disappear)
    expect(Object.keys(snap.signed['meta'] as object).sort()).toEqual(['alice.json', 'targets.json']);
    state = publish(state, rm, signWith(rm, [tk]), online);
    expect(inspectState(state).targets.some((t) => t.name === 'alice/app.tgz')).toBe(false);
  });
});

describe('TUF recover', () => {
  it('root key compromised + a lost token: impact, minimal plan, new root signed by the old threshold and the new', async () => {
    const { state: s0, roots, tk, online } = await repo();
    const known = knownOf(roots);
    const [alice, bob, carol] = roots as [TestKey, TestKey, TestKey];
    const impact = assessCompromiseOf(s0, { compromised: [alice.key.keyid], lost: [bob.key.keyid] }, env, known);
    const root = impact.roles.find((r) => r.role === 'root')!;
    expect(root).toMatchObject({ threshold: 2, remaining: 1, thresholdHolds: false, attackerCanSign: false });
    expect(impact.attackerCan).toEqual(['root: 1 of 2 needed keys compromised — below threshold, cannot sign root alone']);
    expect(impact.stranded).toEqual(['root']);
    // old threshold 2 (only carol is usable); new threshold 1 = recover's default with one key left (review F16)
    expect(impact.steps[0]).toMatchObject({ order: 1, role: 'root', signers: [carol.key.keyid], threshold: 1, oldThreshold: 2 });
    expect(impact.steps[0]!.signerNames).toEqual([`${carol.key.keyid.slice(0, 8)}… (token 1003, Carol)`]);

    // Only alice (compromised) is compromised; bob is fine: the old threshold (2) is met by bob + carol.
    const dave = await makeKey('tuf-1.0', 'ecdsa-p256', 'Dave', '1004');
    const rec = propose(s0, { kind: 'recover', compromised: [alice.key.keyid], replacements: { root: [dave.key] } }, env, known);
    expect(rec.roles.map((r) => r.role)).toEqual(['root']);
    expect(rec.roles[0]!.requirements.map((q) => [q.label, q.threshold, q.keyids.length])).toEqual([
      ['root v1 (current)', 2, 3],
      ['root v2 (new)', 2, 3],
    ]);
    expect(rec.diff.map((d) => d.summary)).toContain(`root: root keys − ${alice.key.keyid.slice(0, 8)}… (token 1001, Alice)`);
    const state = publish(s0, rec, signWith(rec, [bob, carol, dave]), online);
    expect(errorsOf(inspectState(state))).toEqual([]);
    tufjsWalksRootChain(state);
    expect(tk.key.keyid).toBeTruthy();
  });

  it('targets key compromised: attacker can sign any target; targets key replaced and re-signed', async () => {
    const { state: s0, roots, tk, online } = await repo();
    const impact = assessCompromiseOf(s0, { compromised: [tk.key.keyid] }, env);
    expect(impact.attackerCan[0]).toMatch(/^targets: 1 of 1 needed keys compromised — can sign any target/);
    expect(() => propose(s0, { kind: 'recover', compromised: [tk.key.keyid] }, env)).toThrow(/give replacement keys for targets/);
    const tk2 = await makeKey('tuf-1.0');
    const rec = propose(s0, { kind: 'recover', compromised: [tk.key.keyid], replacements: { targets: [tk2.key] } }, env);
    expect(rec.roles.map((r) => `${r.role}@${r.version}`)).toEqual(['root@2', 'targets@2', 'snapshot@2', 'timestamp@2']);
    const state = publish(s0, rec, signWith(rec, [roots[0]!, roots[1]!, tk2]), online);
    expect(errorsOf(inspectState(state))).toEqual([]);
    tufjsWalksRootChain(state);
  });

  it('a delegation key compromised while the threshold still holds: the key is revoked and the role re-signed by the rest', async () => {
    const { state: s0, tk, online } = await repo();
    const a1 = await makeKey('tuf-1.0', 'ecdsa-p256', 'alice laptop');
    const a2 = await makeKey('tuf-1.0', 'ecdsa-p256', 'alice token', '5005');
    const add = propose(s0, { kind: 'add-signer', name: 'alice', keys: [a1.key, a2.key], threshold: 1, paths: ['alice/*'] }, env);
    let state = publish(s0, add, signWith(add, [tk, a1]), online);
    const impact = assessCompromiseOf(state, { compromised: [a1.key.keyid] }, env);
    expect(impact.roles.find((r) => r.role === 'alice')).toMatchObject({ threshold: 1, remaining: 1, thresholdHolds: true, attackerCanSign: true });
    const rec = propose(state, { kind: 'recover', compromised: [a1.key.keyid] }, env);
    expect(rec.roles.map((r) => `${r.role}@${r.version}`)).toEqual(['targets@3', 'alice@2', 'snapshot@3', 'timestamp@3']);
    expect(rec.roles[1]!.requirements[0]!.keyids).toEqual([a2.key.keyid]);
    expect(rec.diff.map((d) => d.kind)).toContain('key-removed');
    state = publish(state, rec, signWith(rec, [tk, a2]), online);
    expect(errorsOf(inspectState(state))).toEqual([]);
    // the compromised key has nothing to sign any more, and its signature is refused on arrival
    expect(signingTasks(rec, a1.key.keyid, [])).toEqual([]);
    const task = signingTasks(rec, a2.key.keyid, []).find((t) => t.role === 'alice')!;
    expect(() => verifyIncomingSignature(rec, sigFor('tuf-1.0', a1, task), env)).toThrow(/is not one of its signers/);
  });
});

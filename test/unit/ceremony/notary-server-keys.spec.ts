import { describe, expect, it } from 'vitest';

import { buildTimestamp, finalize, metaEntryForBytes, notarySnapshotStep, propose, type RepoState } from '../../../shared/ceremony';
import { toBase64 } from '../../../shared/tuf/encoding';
import { crypto, emptyState, env, errorsOf, GUN, inspectState, makeKey, makeNotaryRootKey, publish, signEnvelope, signWith } from './helpers';

describe('Notary snapshot/timestamp keys', () => {
  it('rotate-key timestamp takes the server\'s new key; the root is re-signed by the root key only', async () => {
    const online = { snapshot: await makeKey('notary-v1'), timestamp: await makeKey('notary-v1') };
    const root = await makeNotaryRootKey(GUN);
    const tk = await makeKey('notary-v1');
    let state: RepoState = emptyState('notary-v1', { snapshot: online.snapshot.key.keyObject, timestamp: online.timestamp.key.keyObject });
    const init = propose(state, { kind: 'init', rootKeys: [root.key], rootThreshold: 1, targetsKeys: [tk.key] }, env);
    state = publish(state, init, signWith(init, [root, tk]), online);
    expect(() => propose(state, { kind: 'rotate-key', role: 'timestamp' }, env)).toThrow(/new keys are the current keys/);
    // the server rotated its timestamp key (notary key rotate timestamp -r) and the online side pulled again
    const ts2 = await makeKey('notary-v1');
    state = { ...state, serverKeys: { ...state.serverKeys, timestamp: ts2.key.keyObject } };
    const p = propose(state, { kind: 'rotate-key', role: 'timestamp' }, env);
    expect(p.roles.map((r) => r.role)).toEqual(['root']);
    expect(p.diff.map((d) => d.summary)).toContain(`root: timestamp keys + ${ts2.key.keyid.slice(0, 8)}… (Notary server timestamp key)`);
    state = publish(state, p, signWith(p, [root]), { snapshot: online.snapshot, timestamp: ts2 });
    expect(errorsOf(inspectState(state))).toEqual([]);
  });

  it('an offline snapshot key: the snapshot is a second step over the final file bytes', async () => {
    const tsKey = await makeKey('notary-v1');
    const snap = await makeKey('notary-v1', 'ecdsa-p256', 'Snapshot key');
    const root = await makeNotaryRootKey(GUN);
    const tk = await makeKey('notary-v1');
    const state: RepoState = emptyState('notary-v1', { timestamp: tsKey.key.keyObject });
    expect(() => propose(state, { kind: 'init', rootKeys: [root.key], rootThreshold: 1, targetsKeys: [tk.key] }, env)).toThrow(/no server snapshot key/);
    const init = propose(state, { kind: 'init', rootKeys: [root.key], rootThreshold: 1, targetsKeys: [tk.key], snapshotKeys: [snap.key] }, env);
    expect(init.roles.map((r) => r.role)).toEqual(['root', 'targets']);
    const { files } = finalize(init, signWith(init, [root, tk]), env);
    const step = notarySnapshotStep(state, init, files, env)!;
    expect(step.roles.map((r) => `${r.role}@${r.version}`)).toEqual(['snapshot@1']);
    expect(Object.keys(step.roles[0]!.signed['meta'] as object).sort()).toEqual(['root', 'targets']);
    expect(step.checks.filter((c) => !c.passed)).toEqual([]);
    const snapFile = finalize(step, signWith(step, [snap]), env).files['snapshot']!;
    // the server's part: a timestamp over our snapshot file
    const ts = signEnvelope('notary-v1', buildTimestamp('notary-v1', { version: 1, expires: '2026-12-01T00:00:00Z', snapshot: metaEntryForBytes('notary-v1', snapFile, 1, crypto) }), [tsKey]);
    const published: RepoState = {
      ...state,
      files: { root: toBase64(files['root']!), targets: toBase64(files['targets']!), snapshot: toBase64(snapFile), timestamp: toBase64(ts) },
      rootHistory: [toBase64(files['root']!)],
    };
    expect(errorsOf(inspectState(published))).toEqual([]);

    // a later add-signer: the second step lists the new file bytes and keeps every live role
    const alice = await makeKey('notary-v1', 'ecdsa-p256', 'alice');
    const add = propose(published, { kind: 'add-signer', name: 'alice', keys: [alice.key] }, env);
    const addFiles = finalize(add, signWith(add, [tk]), env).files;
    const step2 = notarySnapshotStep(published, add, addFiles, env)!;
    expect(step2.roles[0]!.version).toBe(2);
    expect(step2.diff.map((d) => d.summary)).toContain('snapshot: meta targets changed');
  });
});

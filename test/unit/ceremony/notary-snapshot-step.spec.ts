import { describe, expect, it } from 'vitest';

import { finalize, frozenBySnapshotStep, notaryOfflineSnapshot, notarySnapshotStep, propose, signingTasks, snapshotCoverProblems, withNotarySnapshotStep, type RepoState } from '../../../shared/ceremony';
import { emptyState, env, GUN, makeKey, makeNotaryRootKey, signWith } from './helpers';

describe('Notary offline snapshot step folded into the ceremony (review F6)', () => {
  it('the combined proposal signs the snapshot last, freezes the other roles, and checks the listed bytes', async () => {
    const root = await makeNotaryRootKey(GUN);
    const root2 = await makeNotaryRootKey(GUN);
    const tk = await makeKey('notary-v1');
    const snap = await makeKey('notary-v1', 'ecdsa-p256', 'Snapshot key');
    const state: RepoState = emptyState('notary-v1', { timestamp: (await makeKey('notary-v1')).key.keyObject });
    const base = propose(state, { kind: 'init', rootKeys: [root.key, root2.key], rootThreshold: 1, targetsKeys: [tk.key], snapshotKeys: [snap.key] }, env);
    expect(notaryOfflineSnapshot(base)).toBeNull();
    const sigs = signWith(base, [root, tk]);
    const { files } = finalize(base, sigs, env);
    const combined = withNotarySnapshotStep(base, notarySnapshotStep(state, base, files, env)!);
    expect(combined.roles.map((r) => r.role)).toEqual(['root', 'targets', 'snapshot']);
    expect(combined.diff.some((d) => /second step/.test(d.summary))).toBe(false);
    expect(() => withNotarySnapshotStep(combined, notarySnapshotStep(state, base, files, env)!)).toThrow(/already has its snapshot step/);

    // root2 could still have signed root before the step; afterwards that would change the listed bytes.
    expect(signingTasks(base, root2.key.keyid, sigs).map((t) => t.role)).toEqual(['root']);
    expect(frozenBySnapshotStep(combined, 'root')).toBe(true);
    expect(signingTasks(combined, root2.key.keyid, sigs)).toEqual([]);
    expect(signingTasks(combined, snap.key.keyid, sigs).map((t) => `${t.role}@${t.version}`)).toEqual(['snapshot@1']);

    const all = signWith(combined, [snap], sigs, ['snapshot']);
    const out = finalize(combined, all, env).files;
    expect(Object.keys(out).sort()).toEqual(['root', 'snapshot', 'targets']);
    expect(snapshotCoverProblems(combined, out, env)).toEqual([]);
    // One more root signature (say, merged from elsewhere) gives different root bytes: finalize's guard names it.
    const extra = finalize(base, [...sigs, ...signWith(base, [root2], [], ['root'])], env).files;
    expect(snapshotCoverProblems(combined, { ...out, root: extra['root']! }, env)).toEqual(['root differs from the bytes the snapshot lists']);
  });
});

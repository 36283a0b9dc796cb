import { describe, expect, it } from 'vitest';

import { assessCompromiseOf, finalize, propose, type RepoState } from '../../../shared/ceremony';
import { emptyState, env, errorsOf, GUN, inspectState, makeKey, makeNotaryRootKey, publish, signWith, type TestKey } from './helpers';

async function notaryRepo(): Promise<{ state: RepoState; root: TestKey; tk: TestKey; online: { snapshot: TestKey; timestamp: TestKey } }> {
  const online = { snapshot: await makeKey('notary-v1'), timestamp: await makeKey('notary-v1') };
  const root = await makeNotaryRootKey(GUN, 'Alice', '1111111');
  const tk = await makeKey('notary-v1');
  const s0 = emptyState('notary-v1', { snapshot: online.snapshot.key.keyObject, timestamp: online.timestamp.key.keyObject });
  const init = propose(s0, { kind: 'init', rootKeys: [root.key], rootThreshold: 1, targetsKeys: [tk.key] }, env);
  return { state: publish(s0, init, signWith(init, [root, tk]), online), root, tk, online };
}

describe('determinism (a resumed ceremony reproduces the same bytes)', () => {
  it('the same plan gives the same proposal; signatures in any order give the same files', async () => {
    const { state, root } = await notaryRepo();
    const root2 = await makeNotaryRootKey(GUN);
    const plan = { kind: 'rotate-root' as const, add: [root2.key] };
    const a = propose(state, plan, env);
    const b = propose(state, plan, env);
    expect(b).toEqual(a);
    const sigs = signWith(a, [root, root2]);
    expect(finalize(a, [...sigs].reverse(), env).files).toEqual(finalize(a, sigs, env).files);
    // a duplicated signature (a partial bundle merged twice) does not change the file
    expect(finalize(a, [...sigs, ...sigs], env).files).toEqual(finalize(a, sigs, env).files);
  });
});

describe('Notary signers sharing targets/releases', () => {
  it('remove-signer bob keeps alice in releases and says who must re-publish releases', async () => {
    const { state: s0, tk, online } = await notaryRepo();
    const alice = await makeKey('notary-v1', 'ecdsa-p256', 'alice');
    const bob = await makeKey('notary-v1', 'ecdsa-p256', 'bob');
    const addA = propose(s0, { kind: 'add-signer', name: 'alice', keys: [alice.key] }, env);
    let state = publish(s0, addA, signWith(addA, [tk]), online);
    const addB = propose(state, { kind: 'add-signer', name: 'bob', keys: [bob.key] }, env);
    const rel = (addB.roles[0]!.signed['delegations'] as { roles: { name: string; keyids: string[] }[] }).roles.find((r) => r.name === 'targets/releases')!;
    expect(rel.keyids).toEqual([alice.key.keyid, bob.key.keyid]);
    state = publish(state, addB, signWith(addB, [tk]), online);
    // bob publishes into releases
    const st = propose(state, { kind: 'sign-targets', changes: [{ role: 'targets/releases', action: 'add', path: 'v2', length: 5, hashes: { sha256: '22'.repeat(32) } }] }, env);
    state = publish(state, st, signWith(st, [bob]), online);
    const rm = propose(state, { kind: 'remove-signer', name: 'bob' }, env);
    const dels = (rm.roles[0]!.signed['delegations'] as { roles: { name: string; keyids: string[] }[]; keys: Record<string, unknown> });
    expect(dels.roles.map((r) => [r.name, r.keyids])).toEqual([
      ['targets/alice', [alice.key.keyid]],
      ['targets/releases', [alice.key.keyid]],
    ]);
    expect(Object.keys(dels.keys)).toEqual([alice.key.keyid]);
    expect(rm.diff.map((d) => d.summary)).toContain(`targets/releases v1 was signed by a removed key: one of ${alice.key.keyid.slice(0, 8)}… must publish it again`);
    expect(() => propose(state, { kind: 'remove-signer', name: 'releases' }, env)).toThrow(/reserved/);
  });
});

describe('Notary recover: lost root token', () => {
  it('2-of-3 root with one token lost: remaining two sign the old threshold, new root drops the lost key', async () => {
    const online = { snapshot: await makeKey('notary-v1'), timestamp: await makeKey('notary-v1') };
    const roots = [await makeNotaryRootKey(GUN, 'A', '1'), await makeNotaryRootKey(GUN, 'B', '2'), await makeNotaryRootKey(GUN, 'C', '3')];
    const tk = await makeKey('notary-v1');
    const s0 = emptyState('notary-v1', { snapshot: online.snapshot.key.keyObject, timestamp: online.timestamp.key.keyObject });
    const init = propose(s0, { kind: 'init', rootKeys: roots.map((r) => r.key), rootThreshold: 2, targetsKeys: [tk.key] }, env);
    let state = publish(s0, init, signWith(init, [roots[0]!, roots[1]!, tk]), online);
    const lost = roots[2]!.key.keyid;
    const impact = assessCompromiseOf(state, { compromised: [], lost: [lost] }, env);
    expect(impact.roles.find((r) => r.role === 'root')).toMatchObject({ remaining: 2, thresholdHolds: true, attackerCanSign: false });
    expect(impact.attackerCan).toEqual(['no compromised key reaches any threshold']);
    const replacement = await makeNotaryRootKey(GUN, 'D', '4');
    const rec = propose(state, { kind: 'recover', compromised: [], lost: [lost], replacements: { root: [replacement.key] } }, env);
    expect(rec.roles.map((r) => r.role)).toEqual(['root']);
    expect(rec.roles[0]!.requirements.map((r) => r.keyids.includes(lost))).toEqual([true, false]);
    state = publish(state, rec, signWith(rec, [roots[0]!, roots[1]!, replacement]), online);
    expect(errorsOf(inspectState(state))).toEqual([]);
  });
});

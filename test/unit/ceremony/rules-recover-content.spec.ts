import { describe, expect, it } from 'vitest';

import { assessCompromiseOf, blockingFailures, propose, type RepoState } from '../../../shared/ceremony';
import { fromBase64 } from '../../../shared/tuf/encoding';
import type { JsonObject } from '../../../shared/tuf/model';
import { emptyState, env, errorsOf, GUN, inspectState, makeKey, makeNotaryRootKey, publish, signWith, type TestKey } from './helpers';

/** review F4: a TUF delegation `releases` = {alice, bob}, threshold 1; the attacker holding alice's key adds evil.tgz. */
async function compromisedReleases(): Promise<{ state: RepoState; before: RepoState; alice: TestKey; bob: TestKey; tk: TestKey; online: { snapshot: TestKey; timestamp: TestKey } }> {
  const root = await makeKey('tuf-1.0', 'ed25519');
  const root2 = await makeKey('tuf-1.0', 'ed25519');
  const tk = await makeKey('tuf-1.0', 'ed25519');
  const online = { snapshot: await makeKey('tuf-1.0', 'ed25519'), timestamp: await makeKey('tuf-1.0', 'ed25519') };
  const init = propose(emptyState('tuf-1.0'), { kind: 'init', rootKeys: [root.key, root2.key], rootThreshold: 2, targetsKeys: [tk.key], snapshotKeys: [online.snapshot.key], timestampKeys: [online.timestamp.key] }, env);
  let state = publish(emptyState('tuf-1.0'), init, signWith(init, [root, root2, tk]), online);
  const alice = await makeKey('tuf-1.0', 'ecdsa-p256', 'alice', '3001');
  const bob = await makeKey('tuf-1.0', 'ecdsa-p256', 'bob', '3002');
  const add = propose(state, { kind: 'add-signer', name: 'releases', keys: [alice.key, bob.key], threshold: 1, paths: ['*'] }, env);
  state = publish(state, add, signWith(add, [tk, alice]), online);
  const good = propose(state, { kind: 'sign-targets', changes: [{ role: 'releases', action: 'add', path: 'good.tgz', length: 10, hashes: { sha256: 'aa'.repeat(32) } }] }, env);
  state = publish(state, good, signWith(good, [bob]), online);
  const before = state;
  const evil = propose(state, { kind: 'sign-targets', changes: [{ role: 'releases', action: 'add', path: 'evil.tgz', length: 666, hashes: { sha256: 'ee'.repeat(32) } }] }, env);
  state = publish(state, evil, signWith(evil, [alice]), online);
  return { state, before, alice, bob, tk, online };
}

function targetsOf(state: RepoState, role: string): JsonObject {
  const doc = JSON.parse(new TextDecoder().decode(fromBase64(state.files[role]!)!)) as { signed: { targets: JsonObject } };
  return doc.signed.targets;
}

describe('recover: content the compromised key could sign (review F4)', () => {
  it('lists every target of a role the attacker could sign and blocks until dropped or acknowledged', async () => {
    const { state, alice } = await compromisedReleases();
    const rec = propose(state, { kind: 'recover', compromised: [alice.key.keyid] }, env);
    const blocking = blockingFailures(rec.checks);
    expect(blocking.map((c) => c.code)).toEqual(['RESIGNS_COMPROMISED_CONTENT']);
    expect(blocking[0]!.role).toBe('releases');
    // no trusted baseline on this workstation: every target signed under the key's tenure is suspect
    expect(blocking[0]!.message).toContain('"evil.tgz"');
    expect(blocking[0]!.message).toContain('"good.tgz"');
    expect(blocking[0]!.message).toMatch(/--drop-targets releases.*--acknowledge-targets releases/);
    expect(rec.diff.map((d) => d.summary)).toContain('releases: 2 target(s) signed while the compromised key was valid (no trusted earlier version on this workstation): "evil.tgz", "good.tgz"');
  });

  it('with the version this workstation trusts, only targets added or changed since are suspect', async () => {
    const { state, before, alice } = await compromisedReleases();
    const trusted = { releases: { version: 2, targets: targetsOf(before, 'releases') } };
    const rec = propose(state, { kind: 'recover', compromised: [alice.key.keyid], trustedTargets: trusted }, env);
    const c = blockingFailures(rec.checks)[0]!;
    expect(c.code).toBe('RESIGNS_COMPROMISED_CONTENT');
    expect(c.message).toContain('"evil.tgz"');
    expect(c.message).not.toContain('good.tgz');
    expect(c.message).toContain('since version 2');
  });

  it('dropTargets removes them from the re-signed role; the result publishes and the target is gone', async () => {
    const { state, before, alice, bob, tk, online } = await compromisedReleases();
    const rec = propose(state, { kind: 'recover', compromised: [alice.key.keyid], trustedTargets: { releases: { version: 2, targets: targetsOf(before, 'releases') } }, dropTargets: { releases: 'all' } }, env);
    expect(blockingFailures(rec.checks)).toEqual([]);
    const rel = rec.roles.find((r) => r.role === 'releases')!;
    expect(Object.keys(rel.signed['targets'] as object)).toEqual(['good.tgz']);
    expect(rec.diff.map((d) => d.summary)).toContain('releases: − target "evil.tgz"');
    const published = publish(state, rec, signWith(rec, [tk, bob]), online);
    expect(errorsOf(inspectState(published))).toEqual([]);
    expect(inspectState(published).targets.map((t) => t.name)).toEqual(['good.tgz']);
    // explicit paths also work; an unknown path is refused precisely
    const byPath = propose(state, { kind: 'recover', compromised: [alice.key.keyid], dropTargets: { releases: ['evil.tgz'] }, acknowledgeTargets: ['releases'] }, env);
    expect(Object.keys(byPath.roles.find((r) => r.role === 'releases')!.signed['targets'] as object)).toEqual(['good.tgz']);
    expect(byPath.checks.find((c) => c.code === 'RESIGNS_COMPROMISED_CONTENT')).toMatchObject({ severity: 'warning', passed: false });
    expect(() => propose(state, { kind: 'recover', compromised: [alice.key.keyid], dropTargets: { releases: ['nope.tgz'] } }, env)).toThrow(/releases has no target "nope.tgz" to drop/);
    expect(() => propose(state, { kind: 'recover', compromised: [alice.key.keyid], dropTargets: { targets: 'all' } }, env)).toThrow(/targets is not re-signed with content/);
  });

  it('acknowledged: the check stays visible as a warning and signing may go on', async () => {
    const { state, alice } = await compromisedReleases();
    const rec = propose(state, { kind: 'recover', compromised: [alice.key.keyid], acknowledgeTargets: ['releases'] }, env);
    expect(blockingFailures(rec.checks)).toEqual([]);
    expect(rec.checks.find((c) => c.code === 'RESIGNS_COMPROMISED_CONTENT')!.message).toMatch(/kept, acknowledged by the operator/);
  });

  it('a compromised key among the signers (below threshold) still flags the content it co-signed', async () => {
    const { state: s0, tk, online } = await compromisedReleases();
    const a = await makeKey('tuf-1.0', 'ecdsa-p256', 'a');
    const b = await makeKey('tuf-1.0', 'ecdsa-p256', 'b');
    const c = await makeKey('tuf-1.0', 'ecdsa-p256', 'c');
    const add = propose(s0, { kind: 'add-signer', name: 'team', keys: [a.key, b.key, c.key], threshold: 2, paths: ['team/*'] }, env);
    let state = publish(s0, add, signWith(add, [tk, a, b]), online);
    const st = propose(state, { kind: 'sign-targets', changes: [{ role: 'team', action: 'add', path: 'team/x.tgz', length: 5, hashes: { sha256: 'bb'.repeat(32) } }] }, env);
    state = publish(state, st, signWith(st, [a, b]), online);
    const rec = propose(state, { kind: 'recover', compromised: [a.key.keyid] }, env);
    const check = rec.checks.find((x) => x.code === 'RESIGNS_COMPROMISED_CONTENT' && x.role === 'team')!;
    expect(check).toMatchObject({ severity: 'blocking', passed: false });
    expect(check.message).toMatch(/carries a signature by a compromised key.*"team\/x.tgz"/);
  });

  it('a role removed by the recovery (no key left) is not flagged: nothing of it stays trusted', async () => {
    const root = await makeKey('tuf-1.0', 'ed25519');
    const tk = await makeKey('tuf-1.0', 'ed25519');
    const online = { snapshot: await makeKey('tuf-1.0', 'ed25519'), timestamp: await makeKey('tuf-1.0', 'ed25519') };
    const init = propose(emptyState('tuf-1.0'), { kind: 'init', rootKeys: [root.key], rootThreshold: 1, targetsKeys: [tk.key], snapshotKeys: [online.snapshot.key], timestampKeys: [online.timestamp.key] }, env);
    let state = publish(emptyState('tuf-1.0'), init, signWith(init, [root, tk]), online);
    const alice = await makeKey('tuf-1.0', 'ecdsa-p256', 'alice');
    const add = propose(state, { kind: 'add-signer', name: 'alice', keys: [alice.key], paths: ['alice/*'] }, env);
    state = publish(state, add, signWith(add, [tk, alice]), online);
    const rec = propose(state, { kind: 'recover', compromised: [alice.key.keyid] }, env);
    expect(rec.checks.some((c) => c.code === 'RESIGNS_COMPROMISED_CONTENT')).toBe(false);
    expect(blockingFailures(rec.checks)).toEqual([]);
    state = publish(state, rec, signWith(rec, [tk]), online);
    expect(errorsOf(inspectState(state))).toEqual([]);
  });
});

describe('recover: Notary targets/releases signed by alice and bob (the review\'s case)', () => {
  it('alice compromised: releases is re-signed by bob only after her target is dropped or acknowledged', async () => {
    const root = await makeNotaryRootKey(GUN);
    const tk = await makeKey('notary-v1', 'ecdsa-p256', 'Tagging key');
    const online = { snapshot: await makeKey('notary-v1'), timestamp: await makeKey('notary-v1') };
    const s0 = emptyState('notary-v1', { snapshot: online.snapshot.key.keyObject, timestamp: online.timestamp.key.keyObject });
    const init = propose(s0, { kind: 'init', rootKeys: [root.key], rootThreshold: 1, targetsKeys: [tk.key] }, env);
    let state = publish(s0, init, signWith(init, [root, tk]), online);
    const alice = await makeKey('notary-v1', 'ecdsa-p256', 'alice');
    const bob = await makeKey('notary-v1', 'ecdsa-p256', 'bob');
    for (const k of [alice, bob]) {
      const add = propose(state, { kind: 'add-signer', name: k.key.holder!, keys: [k.key] }, env);
      state = publish(state, add, signWith(add, [tk]), online);
    }
    const rel = propose(state, { kind: 'sign-targets', changes: [{ role: 'targets/releases', action: 'add', path: 'v666', length: 10, hashes: { sha256: '66'.repeat(32) } }] }, env);
    state = publish(state, rel, signWith(rel, [alice]), online);
    const rec = propose(state, { kind: 'recover', compromised: [alice.key.keyid] }, env);
    expect(rec.roles.map((r) => r.role)).toEqual(['targets', 'targets/releases']);
    const blocking = blockingFailures(rec.checks);
    expect(blocking.map((c) => [c.code, c.role])).toEqual([['RESIGNS_COMPROMISED_CONTENT', 'targets/releases']]);
    expect(blocking[0]!.message).toMatch(/"v666"/);
    const dropped = propose(state, { kind: 'recover', compromised: [alice.key.keyid], dropTargets: { 'targets/releases': 'all' } }, env);
    expect(blockingFailures(dropped.checks)).toEqual([]);
    state = publish(state, dropped, signWith(dropped, [tk, bob]), online);
    expect(inspectState(state).targets.some((t) => t.name === 'v666')).toBe(false);
  });
});

describe('recover: delegations the compromised targets key could have added (review F4)', () => {
  it('a delegation to the attacker\'s key is listed and blocks; --drop-targets targets removes it', async () => {
    const root = await makeKey('tuf-1.0', 'ed25519');
    const tk = await makeKey('tuf-1.0', 'ed25519');
    const online = { snapshot: await makeKey('tuf-1.0', 'ed25519'), timestamp: await makeKey('tuf-1.0', 'ed25519') };
    const init = propose(emptyState('tuf-1.0'), { kind: 'init', rootKeys: [root.key], rootThreshold: 1, targetsKeys: [tk.key], snapshotKeys: [online.snapshot.key], timestampKeys: [online.timestamp.key] }, env);
    let state = publish(emptyState('tuf-1.0'), init, signWith(init, [root, tk]), online);
    const mallory = await makeKey('tuf-1.0', 'ecdsa-p256', 'mallory');
    const evil = propose(state, { kind: 'add-signer', name: 'evil', keys: [mallory.key], paths: ['*'] }, env);
    state = publish(state, evil, signWith(evil, [tk, mallory]), online);
    const tk2 = await makeKey('tuf-1.0', 'ed25519');
    const rec = propose(state, { kind: 'recover', compromised: [tk.key.keyid], replacements: { targets: [tk2.key] } }, env);
    const blocking = blockingFailures(rec.checks);
    expect(blocking.map((c) => c.code)).toEqual(['RESIGNS_COMPROMISED_CONTENT']);
    expect(blocking[0]!.message).toMatch(/targets: 1 of 1 needed keys are compromised.*re-signs 1 delegation\(s\) made while the compromised key was valid .*"evil"/);
    const dropped = propose(state, { kind: 'recover', compromised: [tk.key.keyid], replacements: { targets: [tk2.key] }, dropTargets: { targets: 'all' } }, env);
    expect(blockingFailures(dropped.checks)).toEqual([]);
    expect(dropped.diff.map((d) => d.summary)).toContain(`targets: − delegation evil (was signers 1/1 of [${mallory.key.keyid.slice(0, 8)}…], paths *)`);
    expect(dropped.roles.map((r) => r.role)).not.toContain('evil');
    state = publish(state, dropped, signWith(dropped, [root, tk2]), online);
    expect(errorsOf(inspectState(state))).toEqual([]);
  });
});

describe('recover: the minimal plan shows old → new thresholds and the replacement keys (review F16)', () => {
  it('root 2-of-3, one key compromised, threshold lowered to 1 with a replacement', async () => {
    const roots = [await makeKey('tuf-1.0', 'ecdsa-p256', 'Alice', '1001'), await makeKey('tuf-1.0', 'ecdsa-p256', 'Bob', '1002'), await makeKey('tuf-1.0', 'ecdsa-p256', 'Carol', '1003')];
    const tk = await makeKey('tuf-1.0', 'ed25519');
    const online = { snapshot: await makeKey('tuf-1.0', 'ed25519'), timestamp: await makeKey('tuf-1.0', 'ed25519') };
    const init = propose(emptyState('tuf-1.0'), { kind: 'init', rootKeys: roots.map((k) => k.key), rootThreshold: 2, targetsKeys: [tk.key], snapshotKeys: [online.snapshot.key], timestampKeys: [online.timestamp.key] }, env);
    const state = publish(emptyState('tuf-1.0'), init, signWith(init, [roots[0]!, roots[1]!, tk]), online);
    const dave = await makeKey('tuf-1.0', 'ecdsa-p256', 'Dave', '1004');
    const plan = { kind: 'recover' as const, compromised: [roots[0]!.key.keyid], replacements: { root: [dave.key] }, thresholds: { root: 1 } };
    const rec = propose(state, plan, env);
    const impact = assessCompromiseOf(state, plan, env, [], rec);
    const step = impact.steps[0]!;
    expect(step).toMatchObject({ role: 'root', oldThreshold: 2, threshold: 1 });
    expect(step.signers).toContain(dave.key.keyid);
    expect(step.signers).not.toContain(roots[0]!.key.keyid);
    expect(step.signerNames.join(' ')).toContain('Dave');
    expect(step.note).toMatch(/replacement keys that must sign: .*Dave/);
    expect(step.note).toMatch(/old threshold 2.*new threshold 1/);
    // before any proposal exists (the impact screen), the plan's replacements and thresholds give the same picture
    const early = assessCompromiseOf(state, plan, env).steps[0]!;
    expect(early).toMatchObject({ role: 'root', oldThreshold: 2, threshold: 1 });
    expect(early.signers).toEqual([roots[1]!.key.keyid, roots[2]!.key.keyid, dave.key.keyid]);
    expect(early.note).toMatch(/old threshold 2\), then 1 of the new root keys \(new threshold 1\); replacement keys that must sign: .*Dave/);
  });
});

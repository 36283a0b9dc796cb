import { describe, expect, it } from 'vitest';

import { PlanError, propose, type RepoState } from '../../../shared/ceremony';
import { emptyState, env, errorsOf, inspectState, makeKey, publish, signWith, type TestKey } from './helpers';

async function repoWithAlice(): Promise<{ state: RepoState; tk: TestKey; alice: TestKey; bob: TestKey; online: { snapshot: TestKey; timestamp: TestKey } }> {
  const root = await makeKey('tuf-1.0', 'ed25519');
  const tk = await makeKey('tuf-1.0', 'ed25519');
  const online = { snapshot: await makeKey('tuf-1.0', 'ed25519'), timestamp: await makeKey('tuf-1.0', 'ed25519') };
  const init = propose(emptyState('tuf-1.0'), { kind: 'init', rootKeys: [root.key], rootThreshold: 1, targetsKeys: [tk.key], snapshotKeys: [online.snapshot.key], timestampKeys: [online.timestamp.key] }, env);
  let state = publish(emptyState('tuf-1.0'), init, signWith(init, [root, tk]), online);
  const alice = await makeKey('tuf-1.0', 'ecdsa-p256', 'alice');
  const bob = await makeKey('tuf-1.0', 'ecdsa-p256', 'bob');
  const add = propose(state, { kind: 'add-signer', name: 'alice', keys: [alice.key], paths: ['alice/*'] }, env);
  state = publish(state, add, signWith(add, [tk, alice]), online);
  return { state, tk, alice, bob, online };
}

function planError(fn: () => unknown): PlanError {
  try {
    fn();
  } catch (error) {
    if (error instanceof PlanError) return error;
    throw error;
  }
  throw new Error('expected a PlanError');
}

const target = (role: string, path: string) => ({ role, action: 'add' as const, path, length: 42, hashes: { sha256: 'cd'.repeat(32) } });

describe('sign-targets: a target outside the delegated role\'s paths is refused (review F17)', () => {
  it('bob/app.tgz into alice (delegated alice/*) is refused with the scope; alice/app.tgz is accepted and trusted', async () => {
    const { state, alice, online } = await repoWithAlice();
    const e = planError(() => propose(state, { kind: 'sign-targets', changes: [target('alice', 'bob/app.tgz')] }, env));
    expect(e.message).toBe('sign-targets: target "bob/app.tgz" is outside the paths delegated to alice by targets [alice/*]; clients would never trust it in alice. Sign it into a role whose scope covers it.');
    expect(e.detail['code']).toBe('TARGET_OUTSIDE_DELEGATION');
    // spec glob: `*` never crosses `/` (catalogue #14)
    expect(() => propose(state, { kind: 'sign-targets', changes: [target('alice', 'alice/sub/app.tgz')] }, env)).toThrow(/outside the paths delegated to alice/);
    const ok = propose(state, { kind: 'sign-targets', changes: [target('alice', 'alice/app.tgz')] }, env);
    const next = publish(state, ok, signWith(ok, [alice]), online);
    expect(errorsOf(inspectState(next))).toEqual([]);
    expect(inspectState(next).targets.map((t) => t.name)).toEqual(['alice/app.tgz']);
  });

  it('a nested role is checked against every delegation on its chain; removing a target stays possible', async () => {
    const { state: s0, tk, alice, bob, online } = await repoWithAlice();
    const nested = propose(s0, { kind: 'add-signer', name: 'bob', keys: [bob.key], paths: ['alice/bob-*'], parent: 'alice' }, env);
    const state = publish(s0, nested, signWith(nested, [tk, alice, bob]), online);
    expect(() => propose(state, { kind: 'sign-targets', changes: [target('bob', 'alice/other.tgz')] }, env)).toThrow(/outside the paths delegated to bob by alice \[alice\/bob-\*\]/);
    const ok = propose(state, { kind: 'sign-targets', changes: [target('bob', 'alice/bob-1.tgz')] }, env);
    expect(ok.roles.map((r) => r.role)).toContain('bob');
  });
});

describe('add-signer (TUF): path patterns are validated (review F19)', () => {
  it('refuses traversal, absolute, backslash, drive letter and empty patterns with a precise message', async () => {
    const { state, bob } = await repoWithAlice();
    const cases: [string[], RegExp][] = [
      [['../*'], /path pattern "\.\.\/\*" is not allowed \(contains a `\.\.` component\)/],
      [['/etc/*'], /path pattern "\/etc\/\*" is not allowed \(absolute path\)/],
      [['a\\b'], /path pattern "a\\\\b" is not allowed \(contains a backslash\)/],
      [['C:/x/*'], /starts with a drive letter/],
      [[''], /path pattern "" is not allowed \(empty pattern\)/],
      [[], /no path patterns: the delegation could never sign a target/],
    ];
    for (const [paths, message] of cases) {
      const e = planError(() => propose(state, { kind: 'add-signer', name: 'evil', keys: [bob.key], paths }, env));
      expect(e.message).toMatch(message);
      expect(e.detail['code']).toBe('DELEGATION_PATHS_INVALID');
    }
  });

  it('a nested delegation must stay inside its parent\'s scope', async () => {
    const { state, bob } = await repoWithAlice();
    const e = planError(() => propose(state, { kind: 'add-signer', name: 'bob', keys: [bob.key], paths: ['bob/*'], parent: 'alice' }, env));
    expect(e.message).toBe('add-signer bob: path pattern "bob/*" is not inside alice\'s scope [alice/*]: clients would never trust its targets (effective scope: nothing)');
    expect(() => propose(state, { kind: 'add-signer', name: 'bob', keys: [bob.key], paths: ['alice/bob-*'], parent: 'alice' }, env)).not.toThrow();
    // the default pattern under targets is still "*"
    expect(() => propose(state, { kind: 'add-signer', name: 'carol', keys: [bob.key] }, env)).not.toThrow();
  });
});

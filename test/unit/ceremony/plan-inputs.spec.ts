import { describe, expect, it } from 'vitest';

import { blockingFailures, checkDelegationName, PlanError, propose, signingTasks, type RepoState } from '../../../shared/ceremony';
import { fromBase64, toBase64 } from '../../../shared/tuf/encoding';
import { emptyState, env, makeKey, publish, signWith, type TestKey } from './helpers';

async function tufRepo(): Promise<{ state: RepoState; tk: TestKey; online: { snapshot: TestKey; timestamp: TestKey } }> {
  const rk = await makeKey('tuf-1.0', 'ed25519');
  const tk = await makeKey('tuf-1.0', 'ed25519');
  const online = { snapshot: await makeKey('tuf-1.0', 'ed25519'), timestamp: await makeKey('tuf-1.0', 'ed25519') };
  const init = propose(emptyState('tuf-1.0'), { kind: 'init', rootKeys: [rk.key], rootThreshold: 1, targetsKeys: [tk.key], snapshotKeys: [online.snapshot.key], timestampKeys: [online.timestamp.key] }, env);
  return { state: publish(emptyState('tuf-1.0'), init, signWith(init, [rk, tk]), online), tk, online };
}

describe('plan inputs the engine refuses', () => {
  it('catalogue #10/#11: delegated role names (DELEGATION_NAME_INVALID)', async () => {
    for (const bad of ['root', 'targets', '', '../x', 'a/b', 'a\\b', 'x\u0000']) expect(checkDelegationName('tuf-1.0', bad, 'targets').passed, bad).toBe(false);
    expect(checkDelegationName('tuf-1.0', 'alice', 'targets').passed).toBe(true);
    for (const bad of ['targets/Alice', 'targets/../x', 'releases', 'targets/a//b', 'targets/a/']) expect(checkDelegationName('notary-v1', bad, 'targets').passed, bad).toBe(false);
    expect(checkDelegationName('notary-v1', 'targets/releases', 'targets').passed).toBe(true);
    const { state } = await tufRepo();
    const k = await makeKey('tuf-1.0');
    const p = propose(state, { kind: 'add-signer', name: 'snapshot', keys: [k.key], createRoleFile: false }, env);
    expect(blockingFailures(p.checks).map((c) => c.code)).toEqual(['DELEGATION_NAME_INVALID']);
  });

  it('catalogue #13: target paths that could escape a directory are refused', async () => {
    const { state } = await tufRepo();
    for (const path of ['../etc/passwd', '/abs', 'a\\b', 'C:x', 'a/../../b', '']) {
      expect(() => propose(state, { kind: 'sign-targets', changes: [{ role: 'targets', action: 'add', path, length: 1, hashes: { sha256: '00'.repeat(32) } }] }, env), path).toThrow(PlanError);
    }
    expect(() => propose(state, { kind: 'sign-targets', changes: [{ role: 'targets', action: 'add', path: 'ok', length: 1 }] }, env)).toThrow(/needs a length and hashes/);
    expect(() => propose(state, { kind: 'sign-targets', changes: [{ role: 'targets', action: 'remove', path: 'missing' }] }, env)).toThrow(/no target "missing"/);
  });

  it('impossible plans name the problem', async () => {
    const { state, tk } = await tufRepo();
    expect(() => propose(state, { kind: 'init', rootKeys: [tk.key], rootThreshold: 1, targetsKeys: [tk.key] }, env)).toThrow(/already has a root/);
    expect(() => propose(emptyState('tuf-1.0'), { kind: 'rotate-root' }, env)).toThrow(/needs an existing repository/);
    expect(() => propose(state, { kind: 'rotate-root', remove: ['ff'.repeat(32)] }, env)).toThrow(/is not a root key/);
    expect(() => propose(state, { kind: 'remove-signer', name: 'nobody' }, env)).toThrow(/has no delegation nobody/);
    expect(() => propose(state, { kind: 'recover', compromised: ['ee'.repeat(32)] }, env)).toThrow(/not used by any role/);
    expect(() => propose(state, { kind: 'refresh' }, env)).toThrow(/nothing to re-sign/);
    const notary = emptyState('notary-v1', {});
    const k = await makeKey('notary-v1');
    expect(() => propose(notary, { kind: 'init', rootKeys: [k.key], rootThreshold: 1, targetsKeys: [k.key] }, env)).toThrow(/no timestamp key from the Notary server|x509/);
  });

  it('a proposal is plain JSON (journal, bundles and IPC carry it unchanged)', async () => {
    const { state } = await tufRepo();
    const p = propose(state, { kind: 'rotate-root', add: [(await makeKey('tuf-1.0')).key] }, env);
    expect(JSON.parse(JSON.stringify(p))).toEqual(p);
  });

  it('the request is verified before anything is proposed (REQUEST_UNTRUSTED)', async () => {
    const { state, tk } = await tufRepo();
    const ok = propose(state, { kind: 'rotate-key', role: 'targets', newKeys: [(await makeKey('tuf-1.0')).key] }, env);
    expect(ok.checks.find((c) => c.code === 'REQUEST_UNTRUSTED')).toMatchObject({ passed: true });
    // the online side (or an attacker on the way) swaps targets.json for one signed by another key
    const forged = JSON.parse(new TextDecoder().decode(fromBase64(state.files['targets']!)!)) as { signed: { version: number } };
    forged.signed.version = 7;
    const tampered: RepoState = { ...state, files: { ...state.files, targets: toBase64(new TextEncoder().encode(JSON.stringify(forged))) } };
    const bad = propose(tampered, { kind: 'refresh', roles: ['targets'] }, env);
    expect(blockingFailures(bad.checks).map((c) => c.code)).toContain('REQUEST_UNTRUSTED');
    expect(() => signingTasks(bad, tk.key.keyid, [])).toThrow(/REQUEST_UNTRUSTED/);
    // a request whose root chain does not continue from the workspace's pinned root
    const other = await tufRepo();
    const pinned = fromBase64(other.state.rootHistory[0]!)!;
    const foreign = propose(state, { kind: 'refresh', roles: ['targets'] }, { ...env, trustedRoot: pinned });
    expect(blockingFailures(foreign.checks).map((c) => c.code)).toContain('REQUEST_UNTRUSTED');
  });
});

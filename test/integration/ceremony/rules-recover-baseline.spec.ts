/**
 * review F4, the workstation's baseline: a delegation version this workspace signed and finalized
 * itself is what it trusts; on recover, only the targets added or changed since then are suspect.
 * The repository is built with the pure engine over the workspace's own key files; the workstation's
 * ceremonies (sign-targets, then recover) run through the CLI.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { ceremonyKeyFromSpki, propose, type RepoState } from '../../../shared/ceremony';
import { spkiDer, publicOf, algorithmOf } from '../../../electron/core/keys/software-keys';
import { emptyState, env, crypto, makeKey, publish, signWith, type TestKey } from '../../unit/ceremony/helpers';
import { expectOk, Workspace } from './support/harness';

const NOW_FLAG = ['--now', '2026-11-22T03:00:00Z'];

describe('recover: suspect targets are those changed since the version this workstation finalized (CLI)', () => {
  let ws: Workspace;
  let alice: TestKey;
  let bob: TestKey;
  let tk: TestKey;
  let online: { snapshot: TestKey; timestamp: TestKey };
  let s0: RepoState;

  async function workspaceKey(role: string): Promise<TestKey> {
    const { id } = await ws.generateKey(role);
    const priv = await ws.privateKey(id);
    const key = ceremonyKeyFromSpki('tuf-1.0', { algorithm: algorithmOf(priv), spkiDer: new Uint8Array(spkiDer(publicOf(priv))), signer: { kind: 'file', keyId: id } }, crypto);
    return { key, priv };
  }

  beforeAll(async () => {
    ws = await Workspace.create();
    const root = await makeKey('tuf-1.0', 'ed25519');
    tk = await makeKey('tuf-1.0', 'ed25519');
    online = { snapshot: await makeKey('tuf-1.0', 'ed25519'), timestamp: await makeKey('tuf-1.0', 'ed25519') };
    alice = await workspaceKey('targets');
    bob = await workspaceKey('targets');
    const init = propose(emptyState('tuf-1.0'), { kind: 'init', rootKeys: [root.key], rootThreshold: 1, targetsKeys: [tk.key], snapshotKeys: [online.snapshot.key], timestampKeys: [online.timestamp.key] }, env);
    s0 = publish(emptyState('tuf-1.0'), init, signWith(init, [root, tk]), online);
    const add = propose(s0, { kind: 'add-signer', name: 'releases', keys: [alice.key, bob.key], threshold: 1, paths: ['*'] }, env);
    s0 = publish(s0, add, signWith(add, [tk, bob]), online);
    const good = propose(s0, { kind: 'sign-targets', changes: [{ role: 'releases', action: 'add', path: 'good.tgz', length: 10, hashes: { sha256: 'aa'.repeat(32) } }] }, env);
    s0 = publish(s0, good, signWith(good, [bob]), online);
  }, 60_000);

  afterAll(async () => {
    await ws?.cleanup();
  });

  it('only the attacker-added target is listed; the ones this workstation signed are not', async () => {
    // 1. This workstation signs releases v3 (good.tgz + ok.tgz) with bob's key file and finalizes it.
    const change = { role: 'releases', action: 'add' as const, path: 'ok.tgz', length: 20, hashes: { sha256: 'bb'.repeat(32) } };
    const req1 = await ws.writeRequest({ ...s0, targetChanges: [change] }, 'req-sign.bundle');
    expectOk(await ws.cli(['ceremony', 'sign-targets', '--request', req1, ...NOW_FLAG, '--yes', '--sign-with', `file:${(bob.key.signer as { keyId: string }).keyId}`, '--out', ws.path('signed.bundle')]), 'sign-targets');
    // the same step as published (pure engine: same releases v3 content)
    const st = propose(s0, { kind: 'sign-targets', changes: [change] }, env);
    let state = publish(s0, st, signWith(st, [bob]), online);
    // 2. Elsewhere, the attacker holding alice's key publishes releases v4 with evil.tgz.
    const evil = propose(state, { kind: 'sign-targets', changes: [{ role: 'releases', action: 'add', path: 'evil.tgz', length: 666, hashes: { sha256: 'ee'.repeat(32) } }] }, env);
    state = publish(state, evil, signWith(evil, [alice]), online);
    // 3. Recover on this workstation: the baseline is its finalized releases v3.
    const req2 = await ws.writeRequest(state, 'req-recover.bundle');
    const run = await ws.cli(['ceremony', 'recover', '--request', req2, '--compromised', alice.key.keyid, ...NOW_FLAG, '--yes', '--no-sign', '--ceremony-id', 'recover-baseline']);
    expect(run.code, run.stderr).toBe(1);
    const status = JSON.parse(expectOk(await ws.cli(['ceremony', 'status', 'recover-baseline', '--json']), 'status').stdout) as { blocking: { code: string; message: string }[] };
    const check = status.blocking.find((c) => c.code === 'RESIGNS_COMPROMISED_CONTENT')!;
    expect(check.message).toMatch(/re-signs 1 target\(s\) added or changed since version 3, the last this workstation trusts: "evil\.tgz"/);
    expect(check.message).not.toMatch(/good\.tgz|ok\.tgz/);
  }, 120_000);
});

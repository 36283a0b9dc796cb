import { describe, expect, it } from 'vitest';

import { propose, type RepoState } from '../../../shared/ceremony';
import { emptyState, env, GUN, makeKey, makeNotaryRootKey, publish, serverKeyObject, signWith, type TestKey } from './helpers';

/** review F11: the review diff shows target digests (and custom), so a same-length swap is visible. */

async function tufRepo(): Promise<{ state: RepoState; tk: TestKey; online: { snapshot: TestKey; timestamp: TestKey } }> {
  const root = await makeKey('tuf-1.0', 'ed25519');
  const tk = await makeKey('tuf-1.0', 'ed25519');
  const online = { snapshot: await makeKey('tuf-1.0', 'ed25519'), timestamp: await makeKey('tuf-1.0', 'ed25519') };
  const init = propose(emptyState('tuf-1.0'), { kind: 'init', rootKeys: [root.key], rootThreshold: 1, targetsKeys: [tk.key], snapshotKeys: [online.snapshot.key], timestampKeys: [online.timestamp.key] }, env);
  const state = publish(emptyState('tuf-1.0'), init, signWith(init, [root, tk]), online);
  return { state, tk, online };
}

describe('review diff shows target content (review F11)', () => {
  it('a same-length swap names both digests and what changed', async () => {
    const { state: s0, tk, online } = await tufRepo();
    const add = propose(s0, { kind: 'sign-targets', changes: [{ role: 'targets', action: 'add', path: 'app.tgz', length: 1024, hashes: { sha256: 'aa'.repeat(32) } }] }, env);
    expect(add.diff.map((d) => d.summary)).toContain(`targets: + target "app.tgz" (1024 bytes, sha256:${'aa'.repeat(32)})`);
    const state = publish(s0, add, signWith(add, [tk]), online);
    const swap = propose(state, { kind: 'sign-targets', changes: [{ role: 'targets', action: 'add', path: 'app.tgz', length: 1024, hashes: { sha256: 'bb'.repeat(32) } }] }, env);
    const line = swap.diff.find((d) => d.kind === 'target-changed')!;
    expect(line.summary).toBe(`targets: target "app.tgz" changed hashes (1024 bytes, sha256:${'aa'.repeat(32)} → 1024 bytes, sha256:${'bb'.repeat(32)})`);
    const custom = propose(state, { kind: 'sign-targets', changes: [{ role: 'targets', action: 'add', path: 'app.tgz', length: 1024, hashes: { sha256: 'aa'.repeat(32) }, custom: { channel: 'beta' } }] }, env);
    expect(custom.diff.find((d) => d.kind === 'target-changed')!.summary).toBe(
      `targets: target "app.tgz" changed custom (1024 bytes, sha256:${'aa'.repeat(32)} → 1024 bytes, sha256:${'aa'.repeat(32)}, custom {"channel":"beta"})`,
    );
  });

  it('Notary base64 digests are shown as hex', async () => {
    const root = await makeNotaryRootKey(GUN);
    const tk = await makeKey('notary-v1');
    const online = { snapshot: await makeKey('notary-v1'), timestamp: await makeKey('notary-v1') };
    const s0 = emptyState('notary-v1', { timestamp: serverKeyObject(online.timestamp), snapshot: serverKeyObject(online.snapshot) });
    const init = propose(s0, { kind: 'init', rootKeys: [root.key], rootThreshold: 1, targetsKeys: [tk.key] }, env);
    const state = publish(s0, init, signWith(init, [root, tk]), online);
    const add = propose(state, { kind: 'sign-targets', changes: [{ role: 'targets', action: 'add', path: 'v1', length: 7, hashes: { sha256: 'cd'.repeat(32) } }] }, env);
    expect(add.diff.map((d) => d.summary)).toContain(`targets: + target "v1" (7 bytes, sha256:${'cd'.repeat(32)})`);
  });
});

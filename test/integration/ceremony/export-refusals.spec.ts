/**
 * Signing rules the engine enforces at export (security.md §6 #2, #3): a new root signed only by
 * its new keys (the old root's threshold unmet) is refused and the unmet threshold is named; the
 * same after lowering the threshold. Nothing is written.
 */
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { publishTufDir } from '../../../electron/core/publish';
import { expectOk, signedMetadata, Workspace } from './support/harness';
import { pullDir } from './support/tuf-client';

describe('export refuses a root rotation without the old root\'s threshold', () => {
  let ws: Workspace;
  const k: Record<string, { id: string; tuf: string }> = {};

  beforeAll(async () => {
    ws = await Workspace.create();
    for (const role of ['root', 'root-b', 'root-new', 'targets', 'snapshot', 'timestamp']) k[role] = await ws.generateKey(role.startsWith('root') ? 'root' : role);
    const request = await ws.writeRequest(await pullDir(ws.path('repo')), 'req-init.bundle');
    expectOk(
      await ws.cli([
        'ceremony', 'init', '--request', request, '--yes', '--out', ws.path('init.bundle'), '--threshold', '2',
        '--root-key', `file:${k['root']!.id}`, '--root-key', `file:${k['root-b']!.id}`, '--targets-key', `file:${k['targets']!.id}`,
        '--snapshot-key', `file:${k['snapshot']!.id}`, '--timestamp-key', `file:${k['timestamp']!.id}`,
      ]),
      'init',
    );
    const online = [await ws.privateKey(k['snapshot']!.id), await ws.privateKey(k['timestamp']!.id)];
    await publishTufDir(await signedMetadata(ws.path('init.bundle')), ws.path('repo'), { onlineKeys: online });
  }, 120_000);

  afterAll(async () => {
    await ws?.cleanup();
  });

  it('#2/#3: root v2 (threshold 2 → 1) signed only by the new key: export names the old root threshold, writes nothing', async () => {
    const request = await ws.writeRequest(await pullDir(ws.path('repo')), 'req-rotate.bundle');
    const run = await ws.cli([
      'ceremony', 'rotate-root', '--request', request, '--yes', '--ceremony-id', 'only-new-keys',
      '--add-key', `file:${k['root-new']!.id}`, '--remove-key', k['root']!.tuf, '--remove-key', k['root-b']!.tuf, '--threshold', '1',
      '--sign-with', `file:${k['root-new']!.id}`,
    ]);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/root v2 — root v1 \(current\): 0\/2/);
    const out = ws.path('refused.bundle');
    const exported = await ws.cli(['ceremony', 'export', 'only-new-keys', '--out', out]);
    expect(exported.code).toBe(1);
    expect(exported.stderr).toMatch(/refused: root v2: 0 of 2 required signatures from root v1 \(current\); still needed from: /);
    expect(existsSync(out)).toBe(false);
  }, 60_000);
});

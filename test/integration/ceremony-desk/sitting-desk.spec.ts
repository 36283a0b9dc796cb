/**
 * Review F10 on the GUI path: the exactly-"Yes" gate holds per sitting. A ceremony confirmed in
 * one run of the app is shown unconfirmed to the next run (a new CeremonyDesk over the same
 * workspace), which cannot sign until it types "Yes" itself; that second "Yes" is journalled as the
 * sitting's own confirmation. Key files only (no token needed).
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { CeremonyDesk } from '../../../electron/core/ceremony-desk';
import type { PlanInput } from '../../../shared/ipc/ceremony-plans';
import { PASSPHRASE, Workspace } from '../ceremony/support/harness';
import { pullDir } from '../ceremony/support/tuf-client';
import { deskFor } from './support/desk-harness';

describe('the "Yes" gate per sitting through the desk (F10)', () => {
  let ws: Workspace;
  const desks: CeremonyDesk[] = [];
  const k: Record<string, { id: string }> = {};

  beforeAll(async () => {
    ws = await Workspace.create();
    for (const role of ['root', 'targets', 'snapshot', 'timestamp']) k[role] = await ws.generateKey(role);
  }, 60_000);

  afterAll(async () => {
    for (const desk of desks) await desk.close();
    await ws?.cleanup();
  });

  it('a later run of the app must type "Yes" again before it signs; both confirmations are journalled', async () => {
    const first = deskFor(ws, null, null);
    desks.push(first);
    const plan: PlanInput = {
      kind: 'init',
      rootKeys: [{ kind: 'file', keyId: k['root']!.id }],
      rootThreshold: 1,
      targetsKeys: [{ kind: 'file', keyId: k['targets']!.id }],
      snapshotKeys: [{ kind: 'file', keyId: k['snapshot']!.id }],
      timestampKeys: [{ kind: 'file', keyId: k['timestamp']!.id }],
    };
    const started = await first.start({ requestPath: await ws.writeRequest(await pullDir(ws.path('repo')), 'req-init.bundle'), plan });
    const id = started.summary.id;
    await expect(first.signWithFile(id, k['root']!.id, { source: 'passphrase', passphrase: PASSPHRASE })).rejects.toMatchObject({ name: 'CeremonyPhaseError' });
    expect((await first.confirm(id, 'Yes')).confirmed).toBe(true);
    await first.signWithFile(id, k['root']!.id, { source: 'passphrase', passphrase: PASSPHRASE });
    await first.close();

    // The next sitting: same workspace, a new desk (the app started again).
    const second = deskFor(ws, null, null);
    desks.push(second);
    expect((await second.get(id)).confirmed).toBe(false);
    await expect(second.signWithFile(id, k['targets']!.id, { source: 'passphrase', passphrase: PASSPHRASE })).rejects.toThrow(/not confirmed in this sitting: read the review and type exactly "Yes"/);
    await expect(second.confirm(id, 'yes')).rejects.toMatchObject({ name: 'CeremonyPhaseError' });
    expect((await second.confirm(id, 'Yes')).confirmed).toBe(true);
    const outcome = await second.signWithFile(id, k['targets']!.id, { source: 'passphrase', passphrase: PASSPHRASE });
    expect(outcome.signed.map((s) => s.role)).toContain('targets');

    const journal = await readFile(path.join(ws.env['KEYRITE_HOME'] as string, 'ceremonies', id, 'journal.jsonl'), 'utf8');
    const confirmations = journal.split('\n').filter((line) => line.includes('"event":"confirmed"'));
    expect(confirmations).toHaveLength(2);
    expect(confirmations[1]).toContain('"via":"gui"');
  }, 120_000);
});

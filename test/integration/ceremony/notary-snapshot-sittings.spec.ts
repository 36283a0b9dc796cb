/**
 * Review F6, engine side: the Notary offline snapshot step across sittings (no server needed: the
 * request is a new GUN with the server's timestamp key). Sitting 1 signs root and targets only: the
 * snapshot step is journalled (its role appears in the proposal, nothing to sign for root/targets any
 * more) and export is refused naming the snapshot key. Sitting 2 brings the snapshot key: the signed
 * bundle carries a snapshot that lists the exact root/targets bytes, and the journal verifies. A crash
 * before the step's journal entry resumes to the same snapshot.
 */
import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { expectOk, signedMetadata, Workspace } from './support/harness';
import { newNotaryGunRequest } from './support/notary-request';

const GUN = 'example.com/keyrite/snapshot-sittings';
const ID = 'init-offline-snapshot';

interface View {
  phase: string;
  proposal: { roles: { role: string; version: number; signing: string }[] };
  progress: { complete: boolean; roles: { role: string; complete: boolean }[] };
}

describe('Notary offline snapshot step across sittings', () => {
  let ws: Workspace;
  const k: Record<string, { id: string }> = {};

  beforeAll(async () => {
    ws = await Workspace.create();
    k['root'] = await ws.generateKey('root', 'ecdsa-p256');
    k['targets'] = await ws.generateKey('targets', 'ecdsa-p256', ['--gun', GUN]);
    k['snapshot'] = await ws.generateKey('snapshot', 'ecdsa-p256', ['--gun', GUN]);
  }, 60_000);

  afterAll(async () => {
    await ws?.cleanup();
  });

  async function status(): Promise<View> {
    return JSON.parse(expectOk(await ws.cli(['ceremony', 'status', ID, '--json']), 'status').stdout) as View;
  }

  it('root and targets in sitting 1, the snapshot in sitting 2; the bundle lists the final bytes', async () => {
    const request = await ws.writeRequest(newNotaryGunRequest(GUN), 'req.bundle');
    const first = await ws.cli([
      'ceremony', 'init', '--request', request, '--ceremony-id', ID, '--yes',
      '--root-key', `file:${k['root']!.id}`, '--targets-key', `file:${k['targets']!.id}`, '--snapshot-key', `file:${k['snapshot']!.id}`,
      '--sign-with', `file:${k['root']!.id}`, '--sign-with', `file:${k['targets']!.id}`,
    ]);
    expect(first.code, first.stderr).toBe(1);
    expect(first.stderr).toMatch(/signed root v1/);
    expect(first.stderr).not.toMatch(/signed snapshot/);
    let view = await status();
    expect(view.proposal.roles.map((r) => `${r.role}@${r.version}:${r.signing}`)).toEqual(['root@1:offline', 'targets@1:offline', 'snapshot@1:offline']);
    expect(view.progress.complete).toBe(false);
    expect(view.progress.roles.filter((r) => !r.complete).map((r) => r.role)).toEqual(['snapshot']);

    // A crash right before the step entry: resume derives the very same snapshot (same payload).
    const journalFile = ws.path('home', 'ceremonies', ID, 'journal.jsonl');
    const lines = (await readFile(journalFile, 'utf8')).trimEnd().split('\n');
    const last = JSON.parse(lines.at(-1)!) as { type: string; data: { event?: string; proposal?: { roles: { payloadSha256: string }[] } } };
    expect(last).toMatchObject({ type: 'note', data: { event: 'notary-snapshot-step' } });
    await writeFile(journalFile, `${lines.slice(0, -1).join('\n')}\n`);
    expect((await status()).proposal.roles.map((r) => r.role)).toEqual(['root', 'targets']);
    const resumed = await ws.cli(['ceremony', 'resume', ID, '--no-sign']);
    expect(resumed.code, resumed.stderr).toBe(1);
    expect(resumed.stdout).toMatch(/still needs signatures/);
    const again = JSON.parse((await readFile(journalFile, 'utf8')).trimEnd().split('\n').at(-1)!) as typeof last;
    expect(again.data.proposal?.roles[0]?.payloadSha256).toBe(last.data.proposal?.roles[0]?.payloadSha256);
    view = await status();
    expect(view.proposal.roles.map((r) => r.role)).toEqual(['root', 'targets', 'snapshot']);

    // Export now is refused, naming the missing snapshot signature.
    const early = await ws.cli(['ceremony', 'export', ID, '--out', ws.path('early.bundle')]);
    expect(early.code).toBe(1);
    expect(early.stderr).toMatch(/snapshot v1: 0 of 1 required signatures/);

    // A later sitting passes its own "Yes" gate (review F10).
    expectOk(await ws.cli(['ceremony', 'resume', ID, '--yes', '--sign-with', `file:${k['snapshot']!.id}`, '--out', ws.path('signed.bundle')]), 'sitting 2');
    view = await status();
    expect(view.phase).toBe('exported');
    const files = await signedMetadata(ws.path('signed.bundle'));
    expect(Object.keys(files).sort()).toEqual(['root', 'snapshot', 'targets']);
    const snapshot = JSON.parse(Buffer.from(files['snapshot']!).toString('utf8')) as { signed: { meta: Record<string, { length: number; hashes: { sha256: string } }> } };
    for (const role of ['root', 'targets']) {
      expect(snapshot.signed.meta[role]).toMatchObject({ length: files[role]!.length, hashes: { sha256: createHash('sha256').update(files[role]!).digest('base64') } });
    }
    expectOk(await ws.cli(['ceremony', 'verify-journal', ws.path('signed.bundle')]), 'verify-journal');
  }, 120_000);
});

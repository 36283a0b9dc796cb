/**
 * review F3a through the CLI: the start of a ceremony (where every expiry is fixed) checks the clock
 * against the request's creation time; the operator's --now is recorded in the plan entry.
 */
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { expectOk, Workspace } from './support/harness';
import { pullDir } from './support/tuf-client';

describe('ceremony start clock check (CLI)', () => {
  let ws: Workspace;
  const keys: Record<string, string> = {};

  beforeAll(async () => {
    ws = await Workspace.create();
    for (const role of ['root', 'targets', 'snapshot', 'timestamp']) keys[role] = (await ws.generateKey(role)).id;
  }, 60_000);

  afterAll(async () => {
    await ws?.cleanup();
  });

  const init = (request: string, extra: string[]): Promise<{ code: number; stdout: string; stderr: string }> =>
    ws.cli([
      'ceremony', 'init', '--request', request, '--yes', '--no-sign',
      '--root-key', `file:${keys['root']}`, '--targets-key', `file:${keys['targets']}`, '--snapshot-key', `file:${keys['snapshot']}`, '--timestamp-key', `file:${keys['timestamp']}`,
      ...extra,
    ]);

  it('a request created after the workstation clock is refused before anything is written; --now confirms a reference time, journalled', async () => {
    const tomorrow = new Date(Date.now() + 86_400_000);
    const request = await ws.writeRequest(await pullDir(ws.path('repo'), tomorrow), 'req-future.bundle');
    const refused = await init(request, ['--ceremony-id', 'clock-refused']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/clock check: the system clock \(.*\) is earlier than the request was created \(pulled\) at .*Nothing was started: set the system clock, or confirm the correct current time with --now/);
    const status = JSON.parse(expectOk(await ws.cli(['ceremony', 'status', '--json']), 'status').stdout) as unknown[];
    expect(status).toEqual([]);

    const reference = new Date(tomorrow.getTime() + 3_600_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
    const ok = await init(request, ['--ceremony-id', 'clock-confirmed', '--now', reference]);
    expect(ok.code, ok.stderr).toBe(1); // --no-sign: signatures still missing
    expect(ok.stdout).toMatch(/still needs signatures/);
    expect(ok.stderr).toMatch(new RegExp(`clock: reference time ${reference} confirmed by the operator \\(system clock .*\\), not before the request creation`));
    const journal = await readFile(ws.path('home', 'ceremonies', 'clock-confirmed', 'journal.jsonl'), 'utf8');
    const plan = JSON.parse(journal.split('\n')[0]!) as { data: { clock: { at: string; source: string; system: string; floorFrom: string } } };
    expect(plan.data.clock).toMatchObject({ at: reference, source: 'operator', floorFrom: 'request' });
    expect(Math.abs(Date.parse(plan.data.clock.system) - Date.now())).toBeLessThan(120_000);
  }, 60_000);
});

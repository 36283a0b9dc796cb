/**
 * Ceremony controls of security.md §3 (review F10, F15b-d): operator and witness named and distinct,
 * the tool's identity in the plan entry, a "Yes" per sitting naming who confirmed and who signs,
 * tamper-evident bag serials and backups journalled, and the journal still verifying afterwards.
 */
import { createPublicKey } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { runCli } from '../../../electron/cli/cli';
import type { CeremonyIo } from '../../../electron/cli/ceremony-context';
import type { CeremonyView } from '../../../electron/core/ceremonies';
import { foldJournal } from '../../../electron/core/ceremonies/ceremony-state';
import { formatControls } from '../../../electron/cli/ceremony-print';
import type { JournalEntry } from '../../../shared/ceremony/types';
import { expectOk, Workspace } from './support/harness';
import { pullDir } from './support/tuf-client';

describe('ceremony controls: roles, tool identity, a "Yes" per sitting, bags and backups', () => {
  let ws: Workspace;
  let request: string;
  const k: Record<string, { id: string; tuf: string }> = {};
  const id = 'controls-1';

  beforeAll(async () => {
    ws = await Workspace.create();
    for (const role of ['root', 'targets', 'snapshot', 'timestamp']) k[role] = await ws.generateKey(role);
    k['root2'] = await ws.generateKey('root');
    request = await ws.writeRequest(await pullDir(ws.path('repo')), 'request.bundle');
  }, 60_000);

  afterAll(async () => {
    await ws?.cleanup();
  });

  const initArgs = (): string[] => [
    'ceremony', 'init', '--request', request, '--root-key', `file:${k['root']!.id}`, '--root-key', `file:${k['root2']!.id}`, '--threshold', '2',
    '--targets-key', `file:${k['targets']!.id}`, '--snapshot-key', `file:${k['snapshot']!.id}`, '--timestamp-key', `file:${k['timestamp']!.id}`,
  ];
  const status = async (): Promise<CeremonyView> => JSON.parse(expectOk(await ws.cli(['ceremony', 'status', id, '--json']), 'status').stdout) as CeremonyView;
  const journalFile = (): string => ws.path('home', 'ceremonies', id, 'journal.jsonl');
  /** The CLI with a terminal that answers `answer` to the "Yes" prompt. */
  const answering = async (args: string[], answer: string): Promise<{ code: number; stdout: string; stderr: string }> => {
    let stdout = '';
    let stderr = '';
    const io: CeremonyIo = { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), env: ws.env, cwd: ws.dir, homedir: ws.dir, prompt: null, confirm: () => Promise.resolve(answer) };
    return { code: await runCli(args, io), stdout, stderr };
  };

  it('refuses an operator who is also the witness (case-insensitive), and one name without the other, before anything is written', async () => {
    const same = await ws.cli([...initArgs(), '--yes', '--ceremony-id', 'same-person', '--operator', 'Alice Smith', '--witness', 'alice  SMITH']);
    expect(same.code).toBe(1);
    expect(same.stderr).toMatch(/the operator and the witness must be two different people, both are "Alice Smith"/);
    const half = await ws.cli([...initArgs(), '--yes', '--ceremony-id', 'half', '--operator', 'Alice']);
    expect(half.code).toBe(1);
    expect(half.stderr).toMatch(/--witness is missing: name both the operator and the witness, or neither/);
    expect(expectOk(await ws.cli(['ceremony', 'status']), 'list').stdout).toMatch(/No ceremonies in this workspace/);
  });

  it('journals operator, witness and the tool identity in the plan entry, and names the confirmer of the first "Yes"', async () => {
    const run = await ws.cli([...initArgs(), '--yes', '--ceremony-id', id, '--operator', 'Alice', '--witness', 'Bob', '--sign-with', `file:${k['root']!.id}`, '--sign-with', `file:${k['targets']!.id}`]);
    expect(run.code, run.stderr).toBe(1); // root needs 2 of 2: one more sitting
    expect(run.stderr).toMatch(/operator Alice, witness Bob; journalled/);
    const plan = JSON.parse((await readFile(journalFile(), 'utf8')).split('\n')[0]!) as { type: string; data: Record<string, unknown> };
    expect(plan.type).toBe('plan');
    expect(plan.data).toMatchObject({ operator: 'Alice', witness: 'Bob', tool: { name: 'keyrite', version: '0.1.0', os: { platform: os.platform(), release: os.release(), arch: os.arch() } } });
    expect((plan.data['tool'] as { sha256: string }).sha256).toMatch(/^[0-9a-f]{64}$/);
    const view = await status();
    expect(view.controls).toMatchObject({ operator: 'Alice', witness: 'Bob', tool: { version: '0.1.0' } });
    expect(view.controls.confirmations).toHaveLength(1);
    expect(view.controls.confirmations[0]).toMatchObject({ by: 'Alice', via: '--yes', witness: 'Bob' });
    expect(view.controls.confirmations[0]!.signers.join(' ')).toMatch(new RegExp(`key file ${k['root']!.id.slice(0, 12)}`));
    const text = expectOk(await ws.cli(['ceremony', 'status', id]), 'status').stdout;
    expect(text).toMatch(/operator Alice, witness Bob/);
    expect(text).toMatch(/tool: keyrite 0\.1\.0, sha256 [0-9a-f]{64} /);
    expect(text).toMatch(/"Yes" \S+ by Alice \(--yes\), witness Bob; signers: /);
  }, 60_000);

  it('a later sitting shows the review and asks "Yes" again before its first signature (F10)', async () => {
    const before = (await status()).signatures.length;
    const no = await answering(['ceremony', 'resume', id], 'yes');
    expect(no.code).toBe(1);
    expect(no.stdout).toMatch(/Changes against the trusted state/);
    expect(no.stdout).toMatch(/This sitting signs with: .*key file /);
    expect(no.stderr).toMatch(/not confirmed \(type exactly "Yes"\); nothing was signed/);
    const noTerminal = await ws.cli(['ceremony', 'resume', id]);
    expect(noTerminal.code).toBe(2);
    expect(noTerminal.stderr).toMatch(/confirmation needed and there is no terminal/);
    const view = await status();
    expect(view.signatures).toHaveLength(before);
    expect(view.controls.confirmations).toHaveLength(1);
  }, 60_000);

  it('the later sitting signs after its own "Yes", journalled with its operator, witness and signers', async () => {
    const run = await answering(['ceremony', 'resume', id, '--operator', 'Carol', '--witness', 'Dave'], 'Yes');
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/signed root v1 with key file .* \(verified\)/);
    const view = await status();
    expect(view.progress?.complete).toBe(true);
    expect(view.controls.confirmations).toHaveLength(2);
    expect(view.controls.confirmations[1]).toMatchObject({ by: 'Carol', via: 'terminal', witness: 'Dave' });
    expect(view.controls.confirmations[1]!.signers.join(' ')).toMatch(new RegExp(`key file ${k['root2']!.id.slice(0, 12)}`));
    // Nothing left to sign here: a further sitting does not ask.
    expectOk(await ws.cli(['ceremony', 'resume', id]), 'resume with nothing to sign');
    expect((await status()).controls.confirmations).toHaveLength(2);
  }, 60_000);

  it('an unknown ceremony id is refused by status, record, resume and abort without leaving anything on disk', async () => {
    for (const args of [['status', 'NOPE'], ['record', 'NOPE', '--bag-in', 'TEB-9'], ['resume', 'NOPE'], ['abort', 'NOPE', '--reason', 'typo']]) {
      const run = await ws.cli(['ceremony', ...args]);
      expect(run.code, args.join(' ')).toBe(1);
      expect(run.stderr).toMatch(/no ceremony NOPE in this workspace/);
    }
    await expect(readFile(ws.path('home', 'ceremonies', 'NOPE', 'journal.jsonl'))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('records tamper-evident bag serials and backups in the journal and shows them in status', async () => {
    expectOk(await ws.cli(['ceremony', 'record', id, '--bag-in', 'TEB-0001', '--operator', 'Alice']), 'bag in');
    expectOk(await ws.cli(['ceremony', 'record', id, '--bag-out', 'TEB-0002', '--backup', 'root key backup on USB #2, safe B', '--backup-verified']), 'bag out + backup');
    const lonely = await ws.cli(['ceremony', 'record', id, '--backup-verified']);
    expect(lonely.code).toBe(2);
    expect(lonely.stderr).toMatch(/--backup-verified goes with --backup/);
    const view = await status();
    expect(view.controls.records).toEqual([
      expect.objectContaining({ kind: 'bag-in', serial: 'TEB-0001', by: 'Alice' }),
      expect.objectContaining({ kind: 'bag-out', serial: 'TEB-0002', by: null }),
      expect.objectContaining({ kind: 'backup', description: 'root key backup on USB #2, safe B', verified: true }),
    ]);
    const types = (await readFile(journalFile(), 'utf8')).trim().split('\n').map((l) => (JSON.parse(l) as { type: string }).type);
    expect(types.filter((t) => t === 'record')).toHaveLength(3);
    const text = expectOk(await ws.cli(['ceremony', 'status', id]), 'status').stdout;
    expect(text).toMatch(/bag opened serial TEB-0001 by Alice/);
    expect(text).toMatch(/bag sealed serial TEB-0002/);
    expect(text).toMatch(/backup "root key backup on USB #2, safe B" verified/);
  }, 60_000);

  it('an imported partial bundle on another workstation asks its own "Yes" before signing there (F10)', async () => {
    // A workspace of its own: this workspace's ledger already holds root v1 of controls-1.
    const alpha = await Workspace.create();
    const beta = await Workspace.create();
    try {
      const a: Record<string, string> = {};
      for (const role of ['root', 'targets', 'snapshot', 'timestamp']) a[role] = (await alpha.generateKey(role)).id;
      const b = await beta.generateKey('root');
      const pub = alpha.path('beta-root.pub');
      await writeFile(pub, createPublicKey(await beta.privateKey(b.id)).export({ type: 'spki', format: 'pem' }));
      const req = await alpha.writeRequest(await pullDir(alpha.path('repo')), 'request.bundle');
      const partial = alpha.path('controls-2.partial');
      const first = await alpha.cli([
        'ceremony', 'init', '--request', req, '--root-key', `file:${a['root']!}`, '--root-key', `pubkey:${pub}`, '--threshold', '2', '--targets-key', `file:${a['targets']!}`,
        '--snapshot-key', `file:${a['snapshot']!}`, '--timestamp-key', `file:${a['timestamp']!}`, '--yes', '--ceremony-id', 'controls-2', '--operator', 'Alice', '--witness', 'Bob', '--partial-out', partial,
      ]);
      expect(first.code, first.stdout + first.stderr).toBe(0);
      const betaRun = async (answer: string, extra: string[]): Promise<number> => {
        const io: CeremonyIo = { stdout: () => undefined, stderr: () => undefined, env: beta.env, cwd: beta.dir, homedir: beta.dir, prompt: null, confirm: () => Promise.resolve(answer) };
        return runCli(['ceremony', 'sign', '--bundle', partial, ...extra], io);
      };
      expect(await betaRun('no', [])).toBe(1);
      const betaStatus = async (): Promise<CeremonyView> => JSON.parse(expectOk(await beta.cli(['ceremony', 'status', 'controls-2', '--json']), 'beta status').stdout) as CeremonyView;
      expect((await betaStatus()).signatures.filter((s) => s.keyid === b.tuf)).toHaveLength(0);
      expect(await betaRun('Yes', ['--operator', 'Erin', '--witness', 'Frank'])).toBe(0);
      const view = await betaStatus();
      expect(view.signatures.filter((s) => s.keyid === b.tuf)).toHaveLength(1);
      expect(view.controls.confirmations).toEqual([expect.objectContaining({ by: 'Erin', via: 'terminal', witness: 'Frank' })]);
      expect((await beta.cli(['ceremony', 'verify-journal', beta.path('home', 'ceremonies', 'controls-2', 'journal.jsonl')])).code).toBe(0);
    } finally {
      await alpha.cleanup();
      await beta.cleanup();
    }
  }, 60_000);

  it('the journal with the new entries still verifies, and the ceremony still exports', async () => {
    const verified = await ws.cli(['ceremony', 'verify-journal', journalFile()]);
    expect(verified.code, verified.stdout + verified.stderr).toBe(0);
    expectOk(await ws.cli(['ceremony', 'export', id, '--out', ws.path('signed.bundle')]), 'export');
    expect((await ws.cli(['ceremony', 'verify-journal', ws.path('signed.bundle')])).code).toBe(0);
  }, 60_000);

  it('reads a journal written before these controls: no roles or tool ("not recorded"), the old confirmation by "--yes"', () => {
    const entry = (seq: number, type: JournalEntry['type'], data: JournalEntry['data']): JournalEntry => ({ seq, at: `2026-11-01T10:00:0${seq}Z`, type, data, prev: '0'.repeat(64), hash: '0'.repeat(64) });
    const plan = { ceremonyId: 'old', kind: 'init', dialect: 'tuf', repository: 'r', createdAt: '2026-11-01T10:00:00Z', nonce: 'n', requestSha256: 'x', plan: { kind: 'init' }, imported: false };
    const state = foldJournal([entry(0, 'plan', plan), entry(1, 'note', { event: 'confirmed', by: '--yes', proposalHash: 'h' })]);
    expect(state.confirmed).toBe(true);
    expect(state.confirmations).toEqual([{ at: '2026-11-01T10:00:01Z', by: '--yes', via: null, witness: null, signers: [] }]);
    expect(state.records).toEqual([]);
    const controls = { operator: null, witness: null, tool: null, confirmations: state.confirmations, records: state.records };
    expect(formatControls({ controls } as unknown as CeremonyView).join('\n')).toMatch(/operator \/ witness: not recorded\n {2}tool: not recorded\n {2}"Yes" 2026-11-01T10:00:01Z by --yes$/);
  });
});

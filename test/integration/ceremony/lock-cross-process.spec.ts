/**
 * Cross-process exclusion of a ceremony (reference/security.md §5): two real `keyrite` processes
 * (the bundled CLI, with a test-only entry that pauses inside the locked step) race on one
 * ceremony → exactly one proceeds and the other is refused naming it; a SIGKILLed holder's lock is
 * recovered by the next run; a lock with a live pid, or from another host, is honoured; reads never
 * lock; `keyrite ceremony unlock` removes only what it can prove is dead (or, with --force, a
 * foreign host's lock, with a warning). The workspace signed ledger's claim step is locked too.
 * `keyrite ceremony status` (text and --json) shows who holds the ceremony's or the ledger's lock,
 * and whether it looks stale, without taking or recovering it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { promises as fsp } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

import { CeremonyLockedError, CeremonyService, SignedLedger } from '../../../electron/core/ceremonies';
import { NodeCryptoProvider } from '../../../electron/core/crypto/node-crypto-provider';
import { InventoryStore } from '../../../electron/core/inventory';
import { ceremonyLockPath, Journal, signedLedgerLockPath, verifyJournal } from '../../../electron/core/journal';
import { KeyStore } from '../../../electron/core/keys';
import { bundleCli } from '../../support/bundle-cli';
import { startCli, stopCli, type CliProcess } from '../publish/support/cli-process';
import { Workspace } from './support/harness';
import { pullDir } from './support/tuf-client';

const NOW = '2026-11-22T10:00:00Z';

describe('ceremony lock across processes', () => {
  let tmp: string;
  let cli: string;
  let ws: Workspace;
  let id: string;
  const live: ChildProcess[] = [];

  const env = (extra: Record<string, string> = {}): NodeJS.ProcessEnv => ({ ...(ws.env as NodeJS.ProcessEnv), ...extra });
  const journalFile = (): string => path.join(ws.env['KEYRITE_HOME'] as string, 'ceremonies', id, 'journal.jsonl');
  const lockFile = (): string => ceremonyLockPath(ws.env['KEYRITE_HOME'] as string, id);
  const entryTypes = async (): Promise<string[]> => verifyJournal(await fsp.readFile(journalFile())).entries.map((e) => e.type);

  function start(args: string[], holdMs = 0): CliProcess {
    const proc = startCli(cli, args, { cwd: ws.dir, env: env(holdMs > 0 ? { KEYRITE_TEST_HOLD_MS: String(holdMs) } : {}) });
    live.push(proc.child);
    return proc;
  }

  async function writeLock(fields: Record<string, unknown>): Promise<void> {
    const record = { pid: 999_999, hostname: os.hostname(), program: 'Keyrite app', since: '2026-11-22T06:00:00.000Z', purpose: `ceremony ${id}`, token: 'fake', bootId: null, procStart: null, ...fields };
    await fsp.writeFile(lockFile(), JSON.stringify(record));
  }

  beforeAll(async () => {
    tmp = await fsp.mkdtemp(path.join(os.tmpdir(), 'keyrite-lock-cli-'));
    cli = await bundleCli(path.join(tmp, 'app'), { entry: 'test/integration/journal/support/lock-hold-cli-entry.ts' });
    ws = await Workspace.create();
    const keys = await Promise.all(['root', 'targets', 'snapshot', 'timestamp'].map((role) => ws.generateKey(role)));
    const [root, targets, snapshot, timestamp] = keys.map((k) => `file:${k.id}`) as [string, string, string, string];
    const request = await ws.writeRequest(await pullDir(ws.path('repo'), new Date(Date.parse(NOW) - 3_600_000)), 'request.bundle');
    // Confirmed, not signed: a ceremony with work left that two processes could both touch.
    const init = await ws.cli(['ceremony', 'init', '--request', request, '--now', NOW, '--yes', '--no-sign', '--root-key', root, '--targets-key', targets, '--snapshot-key', snapshot, '--timestamp-key', timestamp, '--ceremony-id', 'lock-race']);
    expect(init.stderr).toContain('ceremony lock-race started');
    id = 'lock-race';
  }, 120_000);

  afterEach(async () => {
    for (const child of live.splice(0)) await stopCli(child);
  });

  afterAll(async () => {
    await ws?.cleanup();
    if (tmp) await fsp.rm(tmp, { recursive: true, force: true });
  });

  it('two processes race on one ceremony: exactly one proceeds, the other gets CeremonyLockedError naming it; reads do not lock', async () => {
    const before = await entryTypes();
    const a = start(['ceremony', 'export', id, '--partial', '--out', 'a.bundle'], 3000);
    const b = start(['ceremony', 'export', id, '--partial', '--out', 'b.bundle'], 3000);
    await Promise.race([a.holding, b.holding]);
    // While one holds the lock, status (a read) works.
    const status = await start(['ceremony', 'status', id, '--json']).done;
    expect(status.code, status.stderr).toBe(0);
    expect(JSON.parse(status.stdout)).toMatchObject({ id, phase: 'signing' });
    const [ra, rb] = await Promise.all([a.done, b.done]);
    const results = [{ r: ra, p: a, out: 'a.bundle' }, { r: rb, p: b, out: 'b.bundle' }];
    const winners = results.filter((x) => x.r.code === 0);
    const losers = results.filter((x) => x.r.code !== 0);
    expect(winners, `${ra.stderr}\n${rb.stderr}`).toHaveLength(1);
    expect(losers).toHaveLength(1);
    const [winner, loser] = [winners[0], losers[0]] as [(typeof results)[number], (typeof results)[number]];
    expect(loser.r.code).toBe(1);
    expect(loser.r.stderr).toContain(`keyrite: refused: ceremony ${id} is locked by keyrite ceremony export (pid ${winner.p.child.pid}, since 20`);
    expect(loser.r.stderr).toContain('Nothing was changed in the ceremony.');
    await expect(fsp.stat(path.join(ws.dir, winner.out))).resolves.toBeTruthy();
    await expect(fsp.stat(path.join(ws.dir, loser.out))).rejects.toMatchObject({ code: 'ENOENT' });
    expect(await entryTypes()).toEqual([...before, 'exported']);
    await expect(fsp.stat(lockFile())).rejects.toMatchObject({ code: 'ENOENT' });
  }, 60_000);

  it('a holder killed with SIGKILL leaves a stale lock that the next run recovers', async () => {
    const before = await entryTypes();
    const holder = start(['ceremony', 'export', id, '--partial', '--out', 'killed.bundle'], 30_000);
    await holder.holding;
    const pid = holder.child.pid as number;
    await stopCli(holder.child);
    expect(JSON.parse(await fsp.readFile(lockFile(), 'utf8'))).toMatchObject({ pid, program: 'keyrite ceremony export' });
    const next = await start(['ceremony', 'export', id, '--partial', '--out', 'after.bundle']).done;
    expect(next.code, next.stderr).toBe(0);
    expect(next.stderr).toContain(`keyrite: recovered a stale lock left by keyrite ceremony export (pid ${pid}`);
    expect(await entryTypes()).toEqual([...before, 'exported', 'exported']);
    await expect(fsp.stat(lockFile())).rejects.toMatchObject({ code: 'ENOENT' });
  }, 60_000);

  it('honours a lock whose pid is alive (not ours, not a keyrite): refused, never removed, not even with --force', async () => {
    const sleeper = spawn('sleep', ['60'], { stdio: 'ignore' });
    live.push(sleeper);
    await writeLock({ pid: sleeper.pid });
    const before = await entryTypes();
    const run = await ws.cli(['ceremony', 'abort', id, '--reason', 'must not happen']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`ceremony ${id} is locked by Keyrite app (pid ${sleeper.pid}, since 2026-11-22T06:00:00.000Z)`);
    const forced = await ws.cli(['ceremony', 'unlock', id, '--force']);
    expect(forced.code).toBe(1);
    expect(forced.stderr).toContain('A live lock is never removed');
    expect(await entryTypes()).toEqual(before);
    expect(JSON.parse(await fsp.readFile(lockFile(), 'utf8'))).toMatchObject({ pid: sleeper.pid });
    await stopCli(sleeper);
    const unlock = await ws.cli(['ceremony', 'unlock', id]);
    expect(unlock.code, unlock.stderr).toBe(0);
    expect(unlock.stdout).toContain(`Removed the lock of ceremony ${id}`);
  });

  it('a lock from another host needs "keyrite ceremony unlock ID --force", which warns', async () => {
    await writeLock({ hostname: 'signing-laptop-2', pid: 4242 });
    const refused = await ws.cli(['ceremony', 'export', id, '--partial', '--out', 'foreign.bundle']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('(pid 4242 on host signing-laptop-2');
    expect(refused.stderr).toContain(`keyrite ceremony unlock ${id} --force`);
    const plain = await ws.cli(['ceremony', 'unlock', id]);
    expect(plain.code).toBe(1);
    expect(plain.stderr).toContain('if you are sure it has, run again with --force');
    const forced = await ws.cli(['ceremony', 'unlock', id, '--force']);
    expect(forced.code, forced.stderr).toBe(0);
    expect(forced.stderr).toContain('keyrite: WARNING: removed a lock by Keyrite app (pid 4242 on host signing-laptop-2');
    const after = await ws.cli(['ceremony', 'export', id, '--partial', '--out', 'foreign.bundle']);
    expect(after.code, after.stderr).toBe(0);
  });

  it('status shows who holds the lock (text and --json) without taking it; after release it shows no holder', async () => {
    const holder = start(['ceremony', 'export', id, '--partial', '--out', 'status.bundle'], 3000);
    await holder.holding;
    const pid = holder.child.pid as number;
    const record = await fsp.readFile(lockFile(), 'utf8');
    const json = await start(['ceremony', 'status', id, '--json']).done;
    expect(json.code, json.stderr).toBe(0);
    const view = JSON.parse(json.stdout) as { id: string; lock: unknown; ledgerLock: unknown };
    expect(view.id).toBe(id);
    expect(view.lock).toMatchObject({ state: 'held', stale: false, pid, hostname: os.hostname(), program: 'keyrite ceremony export', purpose: `ceremony ${id}`, lockPath: lockFile() });
    expect((view.lock as { since: string }).since).toMatch(/^20\d\d-\d\d-\d\dT/);
    expect(view.ledgerLock).toBeNull();
    const text = await start(['ceremony', 'status', id]).done;
    expect(text.stdout).toContain(`  lock: held by keyrite ceremony export (pid ${pid}, since 20`);
    expect(text.stdout).toContain('in use: commands that change it are refused until it is released');
    const list = await start(['ceremony', 'status', '--json']).done;
    expect((JSON.parse(list.stdout) as { id: string; lock: { pid: number } | null }[]).find((c) => c.id === id)?.lock).toMatchObject({ pid });
    // Reading it took nothing: the holder's record is untouched, and the holder finishes normally.
    expect(await fsp.readFile(lockFile(), 'utf8')).toBe(record);
    expect((await holder.done).code).toBe(0);
    const after = await start(['ceremony', 'status', id, '--json']).done;
    expect(JSON.parse(after.stdout)).toMatchObject({ id, lock: null, ledgerLock: null });
    expect((await start(['ceremony', 'status', id]).done).stdout).toContain('  lock: free\n');
  }, 60_000);

  it('status says a dead holder\'s lock looks stale (and leaves it), names another host\'s or an unreadable one, and shows a held signed ledger lock', async () => {
    const home = ws.env['KEYRITE_HOME'] as string;
    await writeLock({ pid: 999_999, program: 'keyrite ceremony sign' });
    const sleeper = spawn('sleep', ['60'], { stdio: 'ignore' });
    live.push(sleeper);
    const ledger = signedLedgerLockPath(home);
    await fsp.mkdir(path.dirname(ledger), { recursive: true });
    await fsp.writeFile(ledger, JSON.stringify({ pid: sleeper.pid, hostname: os.hostname(), program: 'keyrite ceremony sign', since: '2026-11-22T06:00:00.000Z', purpose: 'the workspace signed ledger', token: 't', bootId: null, procStart: null }));
    const json = JSON.parse((await start(['ceremony', 'status', id, '--json']).done).stdout) as Record<string, unknown>;
    expect(json['lock']).toMatchObject({ state: 'stale', stale: true, pid: 999_999, program: 'keyrite ceremony sign', since: '2026-11-22T06:00:00.000Z' });
    expect(json['ledgerLock']).toMatchObject({ state: 'held', stale: false, pid: sleeper.pid, purpose: 'the workspace signed ledger' });
    const text = (await start(['ceremony', 'status', id]).done).stdout;
    expect(text).toContain('  lock: held by keyrite ceremony sign (pid 999999, since 2026-11-22T06:00:00.000Z) (that process has exited) — looks STALE');
    expect(text).toContain(`recovers it (or "keyrite ceremony unlock ${id}")`);
    expect(text).toContain(`  signed ledger lock: held by keyrite ceremony sign (pid ${sleeper.pid}, since 2026-11-22T06:00:00.000Z) — in use`);
    const list = (await start(['ceremony', 'status']).done).stdout;
    expect(list).toContain(`${id}  `);
    expect(list).toContain('LOCKED: held by keyrite ceremony sign (pid 999999');
    expect(list).toContain(`signed ledger lock: held by keyrite ceremony sign (pid ${sleeper.pid}`);
    // Status only reads: the stale lock is still there for a writer (or "ceremony unlock") to recover.
    expect(JSON.parse(await fsp.readFile(lockFile(), 'utf8'))).toMatchObject({ pid: 999_999 });
    await stopCli(sleeper);
    await fsp.rm(ledger);
    await writeLock({ hostname: 'signing-laptop-2', pid: 4242 });
    expect((await start(['ceremony', 'status', id]).done).stdout).toContain(
      `  lock: held by Keyrite app (pid 4242 on host signing-laptop-2, since 2026-11-22T06:00:00.000Z) — taken on another host: Keyrite cannot tell from here whether it is still running; if it has certainly stopped, "keyrite ceremony unlock ${id} --force"`,
    );
    await fsp.writeFile(lockFile(), 'not a lock record');
    const unreadable = JSON.parse((await start(['ceremony', 'status', id, '--json']).done).stdout) as Record<string, unknown>;
    expect(unreadable['lock']).toMatchObject({ state: 'unreadable', stale: false, pid: null, program: null });
    expect((await ws.cli(['ceremony', 'unlock', id, '--force'])).code).toBe(0);
  }, 60_000);

  it('a long-lived service (the app) sees the appends of another process on its next read', async () => {
    const home = ws.env['KEYRITE_HOME'] as string;
    const keysDir = path.join(home, 'keys');
    const clock = (): Date => new Date();
    const app = new CeremonyService({
      workspaceDir: home,
      clock,
      crypto: new NodeCryptoProvider(),
      tokenClients: () => {
        throw new Error('no tokens in this test');
      },
      keyStore: new KeyStore(keysDir, clock),
      inventory: new InventoryStore(keysDir, clock),
      journals: (file) => Journal.open(file, { clock }),
    });
    const before = await app.open(id);
    const other = await start(['ceremony', 'export', id, '--partial', '--out', 'other.bundle']).done;
    expect(other.code, other.stderr).toBe(0);
    const after = await app.open(id);
    expect(after.journalEntries).toBe(before.journalEntries + 1);
    // And it appends after them (its journal is re-read under the lock), instead of failing on a changed file.
    await app.abort(id, 'done racing');
    expect((await entryTypes()).slice(-2)).toEqual(['exported', 'aborted']);
  });

  it('the signed ledger claim waits for, then refuses, a live holder of the ledger lock', async () => {
    const home = ws.env['KEYRITE_HOME'] as string;
    const sleeper = spawn('sleep', ['60'], { stdio: 'ignore' });
    live.push(sleeper);
    const lock = signedLedgerLockPath(home);
    await fsp.mkdir(path.dirname(lock), { recursive: true });
    await fsp.writeFile(lock, JSON.stringify({ pid: sleeper.pid, hostname: os.hostname(), program: 'keyrite ceremony sign', since: '2026-11-22T06:00:00.000Z', purpose: 'ledger', token: 't', bootId: null, procStart: null }));
    const ledger = SignedLedger.forWorkspace(home, { waitMs: 200 });
    const error = await ledger.claim({ dialect: 'tuf-1.0', name: 'r' }, 'targets', 7, 'ab'.repeat(32)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CeremonyLockedError);
    expect((error as CeremonyLockedError).ceremonyId).toBeNull();
    expect((error as Error).message).toContain(`the workspace signed ledger is locked by keyrite ceremony sign (pid ${sleeper.pid}`);
    await stopCli(sleeper);
    // Dead holder: recovered, and the claim goes through.
    await expect(ledger.claim({ dialect: 'tuf-1.0', name: 'r' }, 'targets', 7, 'ab'.repeat(32))).resolves.toBeUndefined();
    await expect(fsp.stat(lock)).rejects.toMatchObject({ code: 'ENOENT' });
  });
});

/**
 * The lock files behind ceremony exclusion (electron/core/journal/file-lock.ts), with real child
 * processes: a live holder is honoured and named, a SIGKILLed holder's lock is recovered, a lock
 * from another host or with a live pid is never broken, and a journal's torn tail is only repaired
 * under its lock.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { promises as fsp } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { build } from 'esbuild';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

import {
  holderLiveness,
  Journal,
  journalLockPath,
  LockHeldError,
  lockStatus,
  tryWithFileLock,
  unlockFileLock,
  withFileLock,
  type LockHolder,
} from '../../../electron/core/journal';

let dir: string;
let script: string;
const children: ChildProcess[] = [];

beforeAll(async () => {
  dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'keyrite-lock-'));
  script = path.join(dir, 'lock-child.mjs');
  // Bundled once: the child starts in ~50 ms instead of seconds through tsx.
  await build({ entryPoints: [path.join(__dirname, 'support/lock-child.ts')], bundle: true, platform: 'node', format: 'esm', target: 'node20', outfile: script, logLevel: 'silent' });
});
afterEach(async () => {
  for (const child of children.splice(0)) await stop(child);
});
afterAll(async () => {
  await fsp.rm(dir, { recursive: true, force: true });
});

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  process.kill(child.pid, 'SIGKILL');
  await exited;
}

/** Starts a child that holds the lock; resolves once it says so. */
async function holder(target: string, mode: 'lock' | 'journal' = 'lock'): Promise<ChildProcess & { pid: number }> {
  const child = spawn(process.execPath, [script, target, mode], { stdio: ['pipe', 'pipe', 'pipe'] });
  children.push(child);
  let err = '';
  child.stderr.on('data', (c: Buffer) => (err += c.toString()));
  await new Promise<void>((resolve, reject) => {
    const guard = setTimeout(() => reject(new Error(`lock child did not take the lock: ${err}`)), 10_000);
    child.stdout.on('data', (c: Buffer) => {
      if (c.toString().includes('held ')) {
        clearTimeout(guard);
        resolve();
      }
    });
    child.once('exit', (code) => reject(new Error(`lock child exited (${code}): ${err}`)));
  });
  return child as ChildProcess & { pid: number };
}

async function killHard(child: ChildProcess & { pid: number }): Promise<void> {
  const exited = new Promise((resolve) => child.once('exit', resolve));
  process.kill(child.pid, 'SIGKILL');
  await exited;
}

async function fakeLock(file: string, fields: Partial<LockHolder>): Promise<LockHolder> {
  const record: LockHolder = {
    pid: 999_999,
    hostname: os.hostname(),
    program: 'fake holder',
    since: '2026-11-22T05:00:00.000Z',
    purpose: 'test',
    token: `fake-${Math.random()}`,
    bootId: null,
    procStart: null,
    ...fields,
  };
  await fsp.mkdir(path.dirname(file), { recursive: true });
  await fsp.writeFile(file, JSON.stringify(record));
  return record;
}

const lockFile = (name: string): string => path.join(dir, name, 'x.lock');

describe('file lock across processes', () => {
  it('refuses a second process with LockHeldError naming the live holder, and works again once it releases', async () => {
    const file = lockFile('live');
    const child = await holder(file);
    const error = await withFileLock(file, { purpose: 'ceremony T', unlockHint: 'keyrite ceremony unlock T' }, () => Promise.resolve('ran')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LockHeldError);
    const held = error as LockHeldError;
    expect(held.state).toBe('held');
    expect(held.holder?.pid).toBe(child.pid);
    expect(held.message).toContain(`ceremony T is locked by lock-child (pid ${child.pid}, since `);
    expect(held.message).toContain('Wait for it to finish');
    // Releasing (stdin closed) removes the lock file; the next writer proceeds.
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.stdin?.end();
    await exited;
    await expect(fsp.stat(file)).rejects.toMatchObject({ code: 'ENOENT' });
    await expect(withFileLock(file, { purpose: 'ceremony T' }, () => Promise.resolve('ran'))).resolves.toBe('ran');
  });

  it('recovers the lock of a SIGKILLed holder (pid provably dead on this host)', async () => {
    const file = lockFile('killed');
    const child = await holder(file);
    await killHard(child);
    expect((await lockStatus(file)).state).toBe('stale');
    const recovered: LockHolder[] = [];
    await expect(withFileLock(file, { purpose: 'p', onStaleRecovered: (h) => recovered.push(h) }, async () => (await lockStatus(file)).holder?.pid)).resolves.toBe(process.pid);
    expect(recovered.map((h) => h.pid)).toEqual([child.pid]);
    await expect(fsp.stat(file)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('honours a lock whose pid is alive, even one it did not write (never breaks a live lock)', async () => {
    const file = lockFile('alive');
    const sleeper = spawn('sleep', ['30'], { stdio: 'ignore' });
    children.push(sleeper);
    const fake = await fakeLock(file, { pid: sleeper.pid as number });
    await expect(withFileLock(file, { purpose: 'p' }, () => Promise.resolve('ran'))).rejects.toMatchObject({ name: 'LockHeldError', state: 'held', holder: { pid: sleeper.pid } });
    // Not even by hand with --force: a live holder on this host is stopped, not unlocked.
    expect(await unlockFileLock(file, { force: true })).toMatchObject({ removed: false, state: 'held' });
    expect(JSON.parse(await fsp.readFile(file, 'utf8'))).toMatchObject({ token: fake.token });
    await stop(sleeper);
    await expect(withFileLock(file, { purpose: 'p' }, () => Promise.resolve('ran'))).resolves.toBe('ran');
  });

  it('treats a recycled pid (same pid, other start time) or another boot as dead, a matching start time as alive', async () => {
    const sleeper = spawn('sleep', ['30'], { stdio: 'ignore' });
    children.push(sleeper);
    const base = await fakeLock(lockFile('recycled'), { pid: sleeper.pid as number });
    const stat = await fsp.readFile(`/proc/${sleeper.pid}/stat`, 'utf8');
    const start = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] as string;
    expect(holderLiveness({ ...base, procStart: start })).toBe('alive');
    expect(holderLiveness({ ...base, procStart: `${start}1` })).toBe('dead');
    expect(holderLiveness({ ...base, bootId: 'another-boot' })).toBe('dead');
  });

  it('never breaks a lock from another host; unlock needs --force and warns', async () => {
    const file = lockFile('foreign');
    await fakeLock(file, { hostname: 'other-workstation.example', pid: 999_999 });
    const error = (await withFileLock(file, { purpose: 'ceremony F', unlockHint: 'keyrite ceremony unlock F' }, () => Promise.resolve('ran')).catch((e: unknown) => e)) as LockHeldError;
    expect(error).toBeInstanceOf(LockHeldError);
    expect(error.state).toBe('foreign');
    expect(error.message).toContain('on host other-workstation.example');
    expect(error.message).toContain('keyrite ceremony unlock F --force');
    expect(await unlockFileLock(file, { force: false })).toMatchObject({ removed: false, state: 'foreign' });
    const forced = await unlockFileLock(file, { force: true });
    expect(forced).toMatchObject({ removed: true, state: 'foreign' });
    expect(forced.warning).toMatch(/without being able to prove that process has stopped/);
    await expect(withFileLock(file, { purpose: 'p' }, () => Promise.resolve('ran'))).resolves.toBe('ran');
  });

  it('honours an unreadable lock file (never guesses it is stale)', async () => {
    const file = lockFile('junk');
    await fsp.mkdir(path.dirname(file), { recursive: true });
    await fsp.writeFile(file, 'not json');
    await expect(withFileLock(file, { purpose: 'p' }, () => Promise.resolve('ran'))).rejects.toMatchObject({ name: 'LockHeldError', state: 'unreadable', holder: null });
    expect(await unlockFileLock(file, { force: false })).toMatchObject({ removed: false, state: 'unreadable' });
  });

  it('waits for a holder up to waitMs before refusing', async () => {
    const file = lockFile('wait');
    const child = await holder(file);
    setTimeout(() => child.stdin?.end(), 300);
    await expect(withFileLock(file, { purpose: 'p', waitMs: 5_000 }, () => Promise.resolve('ran'))).resolves.toBe('ran');
  });
});

describe('file lock within one process', () => {
  it('re-enters in the same call chain and queues other chains behind the holder', async () => {
    const file = lockFile('local');
    const order: string[] = [];
    const first = withFileLock(file, { purpose: 'p' }, async () => {
      order.push('a:start');
      await withFileLock(file, { purpose: 'p' }, () => Promise.resolve(order.push('a:nested')));
      await new Promise((r) => setTimeout(r, 100));
      order.push('a:end');
    });
    const second = withFileLock(file, { purpose: 'p' }, () => Promise.resolve(order.push('b')));
    expect(await tryWithFileLock(file, { purpose: 'p' }, () => Promise.resolve('x'))).toEqual({ acquired: false });
    await Promise.all([first, second]);
    expect(order).toEqual(['a:start', 'a:nested', 'a:end', 'b']);
    await expect(fsp.stat(file)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('recovers a lock file this very process left behind (a release that failed), not blocking itself', async () => {
    const file = lockFile('leftover');
    const record = await withFileLock(file, { purpose: 'p' }, () => fsp.readFile(file, 'utf8'));
    await fsp.writeFile(file, record);
    expect((await lockStatus(file)).state).toBe('held');
    const recovered: LockHolder[] = [];
    await expect(withFileLock(file, { purpose: 'p', onStaleRecovered: (h) => recovered.push(h) }, () => Promise.resolve('ran'))).resolves.toBe('ran');
    expect(recovered.map((h) => h.pid)).toEqual([process.pid]);
  });

  it('releases the lock when the body throws', async () => {
    const file = lockFile('throws');
    await expect(withFileLock(file, { purpose: 'p' }, () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(fsp.stat(file)).rejects.toMatchObject({ code: 'ENOENT' });
  });
});

describe('journal torn tail vs the lock', () => {
  it('leaves a line another process is writing alone (and refuses appends); repairs it once the lock is free', async () => {
    const file = path.join(dir, 'journal', 'journal.jsonl');
    const journal = await Journal.open(file);
    await journal.append('note', { n: 1 });
    const complete = (await fsp.readFile(file)).length;
    const child = await holder(file, 'journal');
    const reader = await Journal.open(file);
    expect(reader.entries).toHaveLength(1);
    expect(reader.recovery).toBeNull();
    expect((await fsp.readFile(file)).length).toBeGreaterThan(complete);
    await expect(reader.append('note', { n: 2 })).rejects.toMatchObject({ name: 'JournalClosedError' });
    await killHard(child);
    // The writer died mid-line: now it IS a torn write, and the next open cuts it off.
    const repaired = await Journal.open(file);
    expect(repaired.recovery).toMatchObject({ offset: complete });
    expect((await fsp.readFile(file)).length).toBe(complete);
    await repaired.append('note', { n: 2 });
    await expect(fsp.stat(journalLockPath(file))).rejects.toMatchObject({ code: 'ENOENT' });
  });
});

/**
 * Cross-process exclusion with a lock file (a ceremony's journal, the workspace signed ledger):
 * the holder record is written to an O_EXCL temp file, fsync'd, then link()ed to the lock name,
 * which fails with EEXIST when someone holds it; readers therefore never see a half-written lock.
 * (On file systems without hard links, FAT sticks, the lock file itself is created O_EXCL.)
 *
 * - Re-entrant within one async call chain (AsyncLocalStorage): start() → resume() nest freely.
 * - Other async chains of the same process queue behind the holder (the app's own calls wait).
 * - Another process gets LockHeldError naming the holder at once (or after `waitMs`).
 * - A lock whose process is provably dead on this host (lock-holder.ts) is recovered; the
 *   recovery itself is serialized by a second O_EXCL file, so two recoverers never remove a
 *   fresh lock the other just took. A live or foreign holder is never broken here.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomBytes } from 'node:crypto';
import { constants as fsConstants, promises as fsp } from 'node:fs';
import path from 'node:path';

import { ensureDir } from '../fs/atomic-write';
import { currentHolder, describeProgram, holderLiveness, isThisProcess, parseHolder, type HolderLiveness, type LockHolder } from './lock-holder';

export type LockState = 'free' | 'held' | 'stale' | 'foreign' | 'unreadable';

/** Another process holds the lock (or its file cannot be read): nothing was done. */
export class LockHeldError extends Error {
  override readonly name = 'LockHeldError';
  constructor(
    readonly lockPath: string,
    readonly purpose: string,
    readonly holder: LockHolder | null,
    readonly state: LockState,
    hint: string,
  ) {
    super(`${purpose} is locked ${describeHolder(holder, state)}. ${advice(state, hint)}`);
  }
}

export interface FileLockOptions {
  /** What is locked, for messages: "ceremony X". */
  purpose: string;
  /** Who we are in the lock record (default: derived from argv / Electron). */
  program?: string;
  /** Keep retrying a lock held by another process this long (default 0: fail at once). */
  waitMs?: number;
  /** How to unlock by hand, for the error message ("keyrite ceremony unlock X --force"). */
  unlockHint?: string;
  /** Told about a stale lock (dead holder) that was removed before taking ours. */
  onStaleRecovered?: (holder: LockHolder) => void;
}

const MAX_LOCK_BYTES = 8 * 1024;
const POLL_MS = 50;
const MAX_ATTEMPTS = 10_000;
/** A lock file is readable within milliseconds of its creation, even on the O_EXCL fallback path. */
const UNREADABLE_GRACE_MS = 300;

const held = new AsyncLocalStorage<ReadonlySet<string>>();
const localTails = new Map<string, Promise<void>>();

/** Runs `fn` holding the lock at `lockPath` (see the file comment for the rules). */
export async function withFileLock<T>(lockPath: string, options: FileLockOptions, fn: () => Promise<T>): Promise<T> {
  const key = path.resolve(lockPath);
  if (holdsFileLock(key)) return fn();
  const releaseLocal = await localTurn(key);
  try {
    const token = await acquire(key, options, options.waitMs ?? 0);
    try {
      return await held.run(new Set([...(held.getStore() ?? []), key]), fn);
    } finally {
      await release(key, token);
    }
  } finally {
    releaseLocal();
  }
}

/**
 * Runs `fn` under the lock only if it is free right now (nobody in this process or another holds
 * it); `{ acquired: false }` otherwise. For optional repairs (a torn journal tail) that must never
 * race a live writer.
 */
export async function tryWithFileLock<T>(lockPath: string, options: FileLockOptions, fn: () => Promise<T>): Promise<{ acquired: true; value: T } | { acquired: false }> {
  const key = path.resolve(lockPath);
  if (holdsFileLock(key)) return { acquired: true, value: await fn() };
  if (localTails.has(key)) return { acquired: false };
  try {
    return { acquired: true, value: await withFileLock(key, { ...options, waitMs: 0 }, fn) };
  } catch (error) {
    if (error instanceof LockHeldError) return { acquired: false };
    throw error;
  }
}

/** Does any call of this process hold (or wait for) this lock? */
export function lockedInProcess(lockPath: string): boolean {
  return localTails.has(path.resolve(lockPath));
}

/** Does the current async call chain hold this lock? */
export function holdsFileLock(lockPath: string): boolean {
  return held.getStore()?.has(path.resolve(lockPath)) === true;
}

/** Who holds the lock and whether they are alive; never modifies anything. */
export async function lockStatus(lockPath: string): Promise<{ state: LockState; holder: LockHolder | null }> {
  const bytes = await readLock(lockPath);
  if (bytes === null) return { state: 'free', holder: null };
  const holder = parseHolder(bytes);
  if (holder === null) return { state: 'unreadable', holder: null };
  return { state: stateOf(holderLiveness(holder)), holder };
}

export interface UnlockResult {
  removed: boolean;
  state: LockState;
  holder: LockHolder | null;
  /** Set when a lock whose holder could still be running elsewhere was removed (--force). */
  warning: string | null;
}

/**
 * Removes a lock by hand. A stale lock (dead holder on this host) goes without force; a lock from
 * another host, or an unreadable one, only with `force` (and a warning); a live holder on this
 * host never (stop that process instead).
 */
export async function unlockFileLock(lockPath: string, options: { force: boolean }): Promise<UnlockResult> {
  const { state, holder } = await lockStatus(lockPath);
  if (state === 'free') return { removed: false, state, holder, warning: null };
  if (state === 'held') return { removed: false, state, holder, warning: null };
  if ((state === 'foreign' || state === 'unreadable') && !options.force) return { removed: false, state, holder, warning: null };
  let now: { state: LockState; holder: LockHolder | null } = { state, holder };
  const removed = await withRecoveryGuard(path.resolve(lockPath), async () => {
    now = await lockStatus(lockPath);
    if (now.holder?.token !== holder?.token || now.state !== state) return false;
    await fsp.rm(lockPath, { force: true });
    return true;
  });
  // Changed under us (recovered or re-taken by someone else), or someone is recovering it right now:
  // reported as 'stale' with what is there now, so the caller says "try again".
  if (!removed) return { removed: false, state: now.state === state ? 'stale' : now.state, holder: now.holder, warning: null };
  const warning =
    state === 'stale'
      ? null
      : `removed a lock ${describeHolder(holder, state)} without being able to prove that process has stopped: ` +
        'if it is still running (another workstation sharing this workspace), two writers can now fork the journal; make sure it has exited';
  return { removed: true, state, holder, warning };
}

export function describeHolder(holder: LockHolder | null, state: LockState): string {
  if (holder === null) return state === 'free' ? 'by nobody' : 'by an unknown holder (the lock file is unreadable)';
  const where = state === 'foreign' ? ` on host ${holder.hostname}` : '';
  const dead = state === 'stale' ? ' (that process has exited)' : '';
  return `by ${holder.program} (pid ${holder.pid}${where}, since ${holder.since})${dead}`;
}

function advice(state: LockState, hint: string): string {
  if (state === 'foreign') return `Another workstation holds it; if that Keyrite has stopped, remove the lock with "${hint} --force".`;
  if (state === 'unreadable') return `If no Keyrite is running, remove the lock with "${hint} --force".`;
  return 'Wait for it to finish (or close it), then try again.';
}

function stateOf(liveness: HolderLiveness): LockState {
  return liveness === 'alive' ? 'held' : liveness === 'dead' ? 'stale' : 'foreign';
}

/** In-process queue per lock: resolves when it is our turn; call the returned function to pass it on. */
async function localTurn(key: string): Promise<() => void> {
  const before = localTails.get(key) ?? Promise.resolve();
  let done!: () => void;
  const mine = new Promise<void>((resolve) => (done = resolve));
  const tail = before.then(() => mine);
  localTails.set(key, tail);
  await before;
  return () => {
    done();
    if (localTails.get(key) === tail) localTails.delete(key);
  };
}

async function acquire(key: string, options: FileLockOptions, waitMs: number): Promise<string> {
  const record = currentHolder(options.purpose, options.program ?? describeProgram());
  const bytes = Buffer.from(`${JSON.stringify(record)}\n`, 'utf8');
  await ensureDir(path.dirname(key));
  const deadline = Date.now() + waitMs;
  let unreadableSince: number | null = null;
  for (let attempt = 0; ; attempt++) {
    if (await createExclusive(key, bytes)) return record.token;
    const { state, holder } = await lockStatus(key);
    // Freed between our attempt and the read: simply try again (bounded, in case it keeps flapping).
    if (state === 'free' && attempt < MAX_ATTEMPTS) continue;
    // Our own pid in the record while we hold this process's turn: a release of ours that failed
    // (an I/O error), not a live holder; recovered like a dead one.
    const leftover = state === 'held' && holder !== null && isThisProcess(holder);
    if ((state === 'stale' || leftover) && holder !== null && attempt < MAX_ATTEMPTS) {
      if (await recoverStale(key, holder, leftover)) options.onStaleRecovered?.(holder);
      continue;
    }
    if (state === 'unreadable') unreadableSince ??= Date.now();
    const waitingForWriter = state === 'unreadable' && Date.now() - (unreadableSince ?? 0) < UNREADABLE_GRACE_MS;
    if (!waitingForWriter && (Date.now() >= deadline || attempt >= MAX_ATTEMPTS)) {
      throw new LockHeldError(key, options.purpose, holder, state, options.unlockHint ?? `remove ${key}`);
    }
    await sleep(POLL_MS);
  }
}

/** Removes our lock file, unless it is no longer ours (someone forced it away and took it). */
async function release(key: string, token: string): Promise<void> {
  const bytes = await readLock(key);
  if (bytes === null || parseHolder(bytes)?.token !== token) return;
  await fsp.rm(key, { force: true });
}

/**
 * Removes the lock of a dead holder. Serialized by `<lock>.recover` (O_EXCL): inside it the lock is
 * read again and removed only if it is still the same dead holder's (same token). Returns whether
 * the caller should simply retry (true), having made progress or not.
 */
async function recoverStale(key: string, stale: LockHolder, ownLeftover = false): Promise<boolean> {
  return withRecoveryGuard(key, async () => {
    const now = await lockStatus(key);
    const stillStale = now.state === 'stale' || (ownLeftover && now.holder !== null && isThisProcess(now.holder));
    if (!stillStale || now.holder?.token !== stale.token) return false;
    await fsp.rm(key, { force: true });
    return true;
  });
}

/**
 * Runs `fn` holding `<lock>.recover` (O_EXCL): every removal of somebody else's lock file (stale
 * recovery, unlock by hand) happens inside it, after reading the lock again. False when another
 * process is recovering right now (it takes milliseconds); a dead recoverer's guard is removed.
 */
async function withRecoveryGuard(key: string, fn: () => Promise<boolean>): Promise<boolean> {
  const guard = `${key}.recover`;
  const me = Buffer.from(`${JSON.stringify(currentHolder(`recovery of ${key}`, describeProgram()))}\n`, 'utf8');
  if (!(await createExclusive(guard, me))) {
    const guardStatus = await lockStatus(guard);
    if (guardStatus.state === 'stale') await removeIfToken(guard, guardStatus.holder?.token ?? null);
    else await sleep(POLL_MS);
    return false;
  }
  try {
    return await fn();
  } finally {
    await fsp.rm(guard, { force: true });
  }
}

async function removeIfToken(file: string, token: string | null): Promise<void> {
  const bytes = await readLock(file);
  if (bytes !== null && token !== null && parseHolder(bytes)?.token === token) await fsp.rm(file, { force: true });
}

/** Publishes `bytes` under `file` only if nothing is there; false when something is (EEXIST). */
async function createExclusive(file: string, bytes: Uint8Array): Promise<boolean> {
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${randomBytes(6).toString('hex')}.tmp`);
  const handle = await fsp.open(tmp, fsConstants.O_WRONLY | fsConstants.O_CREAT | fsConstants.O_EXCL, 0o600);
  try {
    try {
      await handle.writeFile(bytes);
      await handle.sync();
    } finally {
      await handle.close();
    }
    try {
      await fsp.link(tmp, file);
      return true;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EEXIST') return false;
      if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'ENOSYS' && code !== 'EOPNOTSUPP') throw error;
    }
  } finally {
    await fsp.rm(tmp, { force: true });
  }
  return createExclusiveDirect(file, bytes);
}

/** No hard links here: the lock file itself is created O_EXCL (readers wait out the short write). */
async function createExclusiveDirect(file: string, bytes: Uint8Array): Promise<boolean> {
  let handle: fsp.FileHandle;
  try {
    handle = await fsp.open(file, fsConstants.O_WRONLY | fsConstants.O_CREAT | fsConstants.O_EXCL, 0o600);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
  try {
    await handle.writeFile(bytes);
    await handle.sync();
  } finally {
    await handle.close();
  }
  return true;
}

async function readLock(file: string): Promise<Uint8Array | null> {
  try {
    const handle = await fsp.open(file, fsConstants.O_RDONLY);
    try {
      const buffer = Buffer.alloc(MAX_LOCK_BYTES);
      const { bytesRead } = await handle.read(buffer, 0, MAX_LOCK_BYTES, 0);
      return buffer.subarray(0, bytesRead);
    } finally {
      await handle.close();
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

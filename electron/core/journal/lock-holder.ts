/**
 * Who holds a lock file, and whether that holder is provably gone. A lock is only ever broken
 * when its process is certainly dead on THIS host: same hostname AND (another boot, or no such
 * pid, or the pid now belongs to a process started at another time). A live pid, an unreadable
 * record or another hostname (a shared network workspace) is always honoured.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** The JSON record inside a lock file. */
export interface LockHolder {
  pid: number;
  hostname: string;
  /** What holds it, for people: "keyrite ceremony sign", "Keyrite app". */
  program: string;
  /** When the lock was taken (ISO 8601, wall clock: not the ceremony's reference clock). */
  since: string;
  /** What is locked: "ceremony init-2026…", "the signed ledger". */
  purpose: string;
  /** Random per acquisition: release and stale recovery only remove the lock file they read. */
  token: string;
  /** Linux boot id: another boot means every process of the old one is gone. */
  bootId: string | null;
  /** Linux /proc/<pid>/stat start time (clock ticks since boot): detects a recycled pid. */
  procStart: string | null;
}

export type HolderLiveness = 'alive' | 'dead' | 'foreign';

const MAX_FIELD = 512;

/** The record this process writes when it takes a lock. */
export function currentHolder(purpose: string, program: string, now: Date = new Date()): LockHolder {
  return {
    pid: process.pid,
    hostname: os.hostname(),
    program,
    since: now.toISOString(),
    purpose,
    token: randomBytes(12).toString('hex'),
    bootId: bootId(),
    procStart: processStartTicks(process.pid),
  };
}

/** Parses a lock file's bytes; null when it is not a complete holder record (being written, or junk). */
export function parseHolder(bytes: Uint8Array): LockHolder | null {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(bytes).toString('utf8'));
  } catch (error) {
    if (error instanceof SyntaxError) return null;
    throw error;
  }
  if (typeof value !== 'object' || value === null) return null;
  const v = value as Record<string, unknown>;
  const str = (k: string): string | null => {
    const field = v[k];
    return typeof field === 'string' && field.length <= MAX_FIELD ? field : null;
  };
  const pid = v['pid'];
  if (typeof pid !== 'number' || !Number.isSafeInteger(pid) || pid <= 0) return null;
  const hostname = str('hostname');
  const program = str('program');
  const since = str('since');
  const purpose = str('purpose');
  const token = str('token');
  if (hostname === null || program === null || since === null || purpose === null || token === null) return null;
  return { pid, hostname, program, since, purpose, token, bootId: str('bootId'), procStart: str('procStart') };
}

/** Is the holder's process provably dead here ('dead'), running or possibly running ('alive'), or on another host? */
export function holderLiveness(holder: LockHolder): HolderLiveness {
  if (holder.hostname !== os.hostname()) return 'foreign';
  const boot = bootId();
  if (holder.bootId !== null && boot !== null && holder.bootId !== boot) return 'dead';
  try {
    process.kill(holder.pid, 0);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ESRCH') return 'dead';
    // EPERM: a process with that pid exists (another user's): it may be the holder.
    return 'alive';
  }
  if (holder.procStart !== null) {
    const start = processStartTicks(holder.pid);
    // The pid is in use by a process started at another time: the holder exited and its pid was recycled.
    if (start !== null && start !== holder.procStart) return 'dead';
  }
  return 'alive';
}

/** Was this record written by this very process (same host, boot, pid and start time)? */
export function isThisProcess(holder: LockHolder): boolean {
  const me = currentHolder('', '');
  return holder.hostname === me.hostname && holder.pid === me.pid && holder.bootId === me.bootId && holder.procStart === me.procStart;
}

/** "keyrite ceremony sign" for the CLI, "Keyrite app" under Electron, else the script and its first words. */
export function describeProgram(argv: readonly string[] = process.argv): string {
  if (process.versions['electron'] !== undefined) return 'Keyrite app';
  const script = argv[1] ?? argv[0] ?? 'node';
  const words = argv.slice(2).filter((a) => !a.startsWith('-')).slice(0, 2);
  const isCli = /(^|[/\\])(keyrite[^/\\]*|dist[/\\]cli[/\\][^/\\]+)$/.test(script);
  return [isCli ? 'keyrite' : path.basename(script), ...words].join(' ').slice(0, 200);
}

let cachedBootId: string | null | undefined;

function bootId(): string | null {
  if (cachedBootId === undefined) cachedBootId = readProc('/proc/sys/kernel/random/boot_id')?.trim() ?? null;
  return cachedBootId;
}

/** Field 22 of /proc/<pid>/stat (after the parenthesised command name, which may hold spaces). */
function processStartTicks(pid: number): string | null {
  const stat = readProc(`/proc/${pid}/stat`);
  if (stat === null) return null;
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return fields[19] ?? null;
}

function readProc(file: string): string | null {
  if (process.platform !== 'linux') return null;
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    // No /proc (container without it) or the process is gone: liveness falls back to kill(pid, 0).
    if (['ENOENT', 'ESRCH', 'EACCES'].includes((error as NodeJS.ErrnoException).code ?? '')) return null;
    throw error;
  }
}

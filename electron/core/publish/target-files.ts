/**
 * Copies the target files the targets metadata lists into a TUF repository's `targets/`
 * directory: `HASH.NAME` for every listed hash algorithm when the root has consistent snapshots,
 * the plain name only when it does not. Every file is verified (length and every hash) before
 * anything is written; each is staged in an O_EXCL temp file, hashed again as it is copied (so a
 * source that changes meanwhile is caught), fsync'd, then link()ed to its name (one copy per name),
 * which never replaces an existing file. A published file with other bytes is a conflict, never overwritten.
 */
import { createHash, randomBytes } from 'node:crypto';
import { constants as fsConstants, createReadStream, promises as fsp } from 'node:fs';
import path from 'node:path';

import { fsyncDir } from '../fs/atomic-write';
import { TargetFileConflictError, TargetFileError, TargetFileMismatchError, TargetFileMissingError } from './errors';
import { HASH_ALGORITHMS, type TargetEntry } from './target-list';

export interface TargetFilesResult {
  /** Paths written, relative to the targets directory. */
  written: string[];
  /** Paths already there with the right bytes. */
  unchanged: string[];
}

interface PendingTarget {
  entry: TargetEntry;
  source: string;
  names: string[];
  staged: string | null;
}

/**
 * Phase 1 (no writes): decides each target's file names, checks the ones already published and
 * verifies the source of every missing one. Phase 2 (`write`): stages then links them. Callers
 * run phase 2 only once everything else they publish has been checked too.
 */
export async function planTargetFiles(targets: readonly TargetEntry[], sourceDir: string, targetsDir: string, options: { consistentSnapshot: boolean }): Promise<{ write: () => Promise<TargetFilesResult>; unchanged: string[] }> {
  const pending: PendingTarget[] = [];
  const unchanged: string[] = [];
  for (const entry of targets) {
    const names = fileNames(entry, options.consistentSnapshot);
    const missing: string[] = [];
    for (const name of names) {
      const existing = await digestOf(path.join(targetsDir, name), entry);
      if (existing === 'absent') missing.push(name);
      else if (mismatch(entry, existing) !== null) throw new TargetFileConflictError(entry.path, path.join(targetsDir, name));
      else unchanged.push(name);
    }
    if (missing.length === 0) continue;
    const source = path.join(sourceDir, ...entry.segments);
    // The source may be a symlink (build outputs often are): its bytes are what gets verified and copied.
    const digest = await digestOf(source, entry, true);
    if (digest === 'absent') throw new TargetFileMissingError(entry.path, source);
    assertMatches(entry, source, digest);
    pending.push({ entry, source, names: missing, staged: null });
  }
  return { unchanged, write: () => writeTargets(pending, targetsDir, unchanged) };
}

/** `a/b/HASH.c` per listed algorithm (consistent snapshots), or `a/b/c`. */
export function fileNames(entry: TargetEntry, consistentSnapshot: boolean): string[] {
  const dir = entry.segments.slice(0, -1);
  const base = entry.segments.at(-1) as string;
  if (!consistentSnapshot) return [[...dir, base].join('/')];
  return [...new Set(Object.values(entry.hashes))].map((digest) => [...dir, `${digest}.${base}`].join('/'));
}

async function writeTargets(pending: PendingTarget[], targetsDir: string, unchanged: string[]): Promise<TargetFilesResult> {
  const written: string[] = [];
  try {
    // Stage everything first: a failure here leaves no final name behind.
    for (const target of pending) target.staged = await stage(target, targetsDir);
    for (const target of pending) {
      for (const [i, name] of target.names.entries()) {
        const final = path.join(targetsDir, name);
        // Each name gets its own inode: a hard link shared by the names would let damage to one
        // file (an operator's edit, a bad sector) silently change the other as well.
        const source = i === target.names.length - 1 ? (target.staged as string) : await copyStaged(target.staged as string);
        try {
          await fsp.link(source, final);
          written.push(name);
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
          // Someone published it meanwhile: fine if it is the same file, never replaced if not.
          const now = await digestOf(final, target.entry);
          if (now === 'absent' || mismatch(target.entry, now) !== null) throw new TargetFileConflictError(target.entry.path, final);
          unchanged.push(name);
        } finally {
          if (source !== target.staged) await fsp.rm(source, { force: true });
        }
      }
    }
    for (const dir of new Set(pending.map((t) => path.dirname(t.staged as string)))) await fsyncDir(dir);
  } finally {
    for (const target of pending) if (target.staged !== null) await fsp.rm(target.staged, { force: true });
  }
  return { written, unchanged };
}

/** A second staged copy (O_EXCL, fsync'd) next to the first. */
async function copyStaged(staged: string): Promise<string> {
  const copy = path.join(path.dirname(staged), `.${randomBytes(8).toString('hex')}.tmp`);
  await fsp.copyFile(staged, copy, fsConstants.COPYFILE_EXCL);
  const handle = await fsp.open(copy, fsConstants.O_RDONLY);
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
  return copy;
}

/** Copies the source to an O_EXCL temp file next to its final names, hashing as it goes; fsync'd. */
async function stage(target: PendingTarget, targetsDir: string): Promise<string> {
  const dir = await makeDirs(targetsDir, target.entry.segments.slice(0, -1));
  const tmp = path.join(dir, `.${randomBytes(8).toString('hex')}.tmp`);
  const handle = await fsp.open(tmp, fsConstants.O_WRONLY | fsConstants.O_CREAT | fsConstants.O_EXCL, 0o644);
  try {
    const hashers = hashersFor(target.entry);
    let length = 0;
    for await (const chunk of createReadStream(target.source, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
      length += chunk.length;
      if (length > target.entry.length) break;
      for (const h of hashers.values()) h.update(chunk);
      await handle.write(chunk);
    }
    await handle.sync();
    assertMatches(target.entry, target.source, { length, hashes: finish(hashers) });
  } catch (error) {
    await handle.close();
    await fsp.rm(tmp, { force: true });
    throw error;
  }
  await handle.close();
  return tmp;
}

/** mkdir each segment (0755: the repository is served), refusing a symlink or a file in the way. */
async function makeDirs(root: string, segments: string[]): Promise<string> {
  await fsp.mkdir(root, { recursive: true, mode: 0o755 });
  let dir = root;
  for (const segment of ['', ...segments]) {
    dir = segment === '' ? dir : path.join(dir, segment);
    try {
      await fsp.mkdir(dir, { mode: 0o755 });
      await fsyncDir(path.dirname(dir));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const stat = await fsp.lstat(dir);
    if (!stat.isDirectory()) throw new TargetFileError(`${dir} is not a directory (a symlink or a file is in the way); nothing was written`);
  }
  return dir;
}

interface Digest {
  length: number;
  hashes: Record<string, string>;
}

/**
 * Length and the entry's hashes of a file, or 'absent'. Published names are never followed
 * (lstat): a symlink there is refused, not read through.
 */
async function digestOf(file: string, entry: TargetEntry, followLinks = false): Promise<Digest | 'absent'> {
  let stat;
  try {
    stat = await (followLinks ? fsp.stat(file) : fsp.lstat(file));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 'absent';
    throw error;
  }
  if (!stat.isFile()) throw new TargetFileError(`${file} (target "${entry.path}") is not a regular file`);
  if (stat.size !== entry.length) return { length: stat.size, hashes: {} };
  const hashers = hashersFor(entry);
  for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) for (const h of hashers.values()) h.update(chunk);
  return { length: stat.size, hashes: finish(hashers) };
}

function hashersFor(entry: TargetEntry): Map<string, ReturnType<typeof createHash>> {
  return new Map(Object.keys(entry.hashes).map((algorithm) => [algorithm, createHash(HASH_ALGORITHMS[algorithm] as string)]));
}

function finish(hashers: Map<string, ReturnType<typeof createHash>>): Record<string, string> {
  return Object.fromEntries([...hashers].map(([algorithm, h]) => [algorithm, h.digest('hex')]));
}

/** The first field that differs: null when length and every hash match. */
function mismatch(entry: TargetEntry, digest: Digest): { field: string; expected: string; actual: string } | null {
  if (digest.length !== entry.length) return { field: 'length', expected: String(entry.length), actual: String(digest.length) };
  for (const [algorithm, expected] of Object.entries(entry.hashes)) {
    const actual = digest.hashes[algorithm] ?? '(none)';
    if (actual !== expected.toLowerCase()) return { field: algorithm, expected: expected.toLowerCase(), actual };
  }
  return null;
}

function assertMatches(entry: TargetEntry, source: string, digest: Digest): void {
  const diff = mismatch(entry, digest);
  if (diff) throw new TargetFileMismatchError(entry.path, source, diff.field, diff.expected, diff.actual);
}

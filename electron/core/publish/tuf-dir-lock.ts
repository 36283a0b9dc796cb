/**
 * One publish at a time per TUF repository directory, across processes and hosts: the journal's
 * file lock (electron/core/journal/file-lock.ts) taken as `DIR/.keyrite-publish.lock`.
 *
 * Why inside DIR and not in the workspace keyed by DIR's realpath: the directory is the one thing
 * every publisher shares. Two operators with their own workspaces, a CI job, a second workstation
 * writing over NFS, or the same directory reached through a symlink or a bind mount all meet at
 * the same lock file; a workspace-keyed lock would let each of them through. It can never be served
 * as metadata: a TUF client only asks for spec names (`N.root.json`, `VERSION.ROLE.json`,
 * `timestamp.json`, all ending in `.json`; target files live under `targets/`), and the publisher
 * itself only reads those names. It exists only while a publish runs (mode 0600) and is removed by
 * its holder; a dead holder's lock on this host is recovered by the next publish.
 */
import { promises as fsp } from 'node:fs';
import path from 'node:path';

import { LockHeldError, lockReport, unlockFileLock, withFileLock, type LockHolder, type LockReport, type UnlockResult } from '../journal';
import { PublishLockedError } from './errors';

/** Not a `.json` name: no TUF role's metadata file can ever be called this. */
export const PUBLISH_LOCK_NAME = '.keyrite-publish.lock';

export interface TufDirLockOptions {
  /** Who we are in the lock record ("keyrite publish signed.bundle"; default from argv / "Keyrite app"). */
  program?: string;
  /** A lock left by a publish that died on this host was removed before ours was taken. */
  onStaleLockRecovered?: (holder: LockHolder, lockPath: string) => void;
}

export function tufDirLockPath(dir: string): string {
  return path.join(path.resolve(dir), PUBLISH_LOCK_NAME);
}

/**
 * Runs `fn` holding DIR's publish lock; another process holding it → PublishLockedError at once
 * (a publish never queues silently behind another: the second one's plan would be stale anyway).
 * DIR is created (0755: it is served) when missing, and removed again if this call created it
 * and it is still empty afterwards (a refused first publish leaves nothing behind).
 */
export async function withTufDirLock<T>(dir: string, options: TufDirLockOptions, fn: () => Promise<T>): Promise<T> {
  const resolved = path.resolve(dir);
  const lockPath = tufDirLockPath(resolved);
  const created = await fsp.mkdir(resolved, { recursive: true, mode: 0o755 });
  const { onStaleLockRecovered } = options;
  try {
    return await withFileLock(
      lockPath,
      {
        purpose: `the TUF repository ${resolved}`,
        unlockHint: `keyrite publish --unlock-tuf-dir ${resolved}`,
        ...(options.program === undefined ? {} : { program: options.program }),
        ...(onStaleLockRecovered ? { onStaleRecovered: (holder: LockHolder) => onStaleLockRecovered(holder, lockPath) } : {}),
      },
      fn,
    );
  } catch (error) {
    if (created !== undefined) await removeIfEmpty(resolved);
    // Only the refusal to take OUR lock is translated; errors from inside fn pass through untouched.
    if (error instanceof LockHeldError && error.lockPath === lockPath) throw new PublishLockedError(resolved, lockPath, error.holder, error.state);
    throw error;
  }
}

/** Who holds DIR's publish lock (read-only), or null. */
export function tufDirLockReport(dir: string): Promise<LockReport | null> {
  return lockReport(tufDirLockPath(dir));
}

/** `keyrite publish --unlock-tuf-dir DIR [--force]`: the journal's unlock rules (a live holder here: never). */
export function unlockTufDir(dir: string, options: { force: boolean }): Promise<UnlockResult> {
  return unlockFileLock(tufDirLockPath(dir), options);
}

async function removeIfEmpty(dir: string): Promise<void> {
  try {
    await fsp.rmdir(dir);
  } catch (error) {
    // Not empty (another publish is in it now, or something was written), or already gone: keep it.
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'ENOTEMPTY' && code !== 'EEXIST' && code !== 'ENOENT') throw error;
  }
}

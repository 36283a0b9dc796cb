/**
 * The ceremony engine's use of the journal's lock files: one exclusive lock per ceremony while a
 * process changes it (journal appends, signed files, request.json), one for the workspace signed
 * ledger's claim step. A second writer gets CeremonyLockedError naming the holder.
 */
import { ceremonyLockPath, LockHeldError, signedLedgerLockPath, withFileLock, type LockHolder } from '../journal';
import { CeremonyLockedError } from './errors';

export interface CeremonyLockOptions {
  /** Who we are in the lock record (default: derived from argv; "Keyrite app" under Electron). */
  program?: string;
  /** A lock left by a process that died on this host was removed before ours was taken. */
  onStaleLockRecovered?: (holder: LockHolder, lockPath: string) => void;
}

/** How long a claim waits for another process's claim (each takes milliseconds). */
const LEDGER_WAIT_MS = 5_000;

export function withCeremonyLock<T>(workspaceDir: string, ceremonyId: string, options: CeremonyLockOptions, fn: () => Promise<T>): Promise<T> {
  const lockPath = ceremonyLockPath(workspaceDir, ceremonyId);
  return locked(lockPath, ceremonyId, `ceremony ${ceremonyId}`, `keyrite ceremony unlock ${ceremonyId}`, 0, options, fn);
}

export function withSignedLedgerLock<T>(workspaceDir: string, options: CeremonyLockOptions & { waitMs?: number }, fn: () => Promise<T>): Promise<T> {
  const lockPath = signedLedgerLockPath(workspaceDir);
  return locked(lockPath, null, 'the workspace signed ledger', 'keyrite ceremony unlock --ledger', options.waitMs ?? LEDGER_WAIT_MS, options, fn);
}

async function locked<T>(
  lockPath: string,
  ceremonyId: string | null,
  purpose: string,
  unlockHint: string,
  waitMs: number,
  options: CeremonyLockOptions,
  fn: () => Promise<T>,
): Promise<T> {
  const { onStaleLockRecovered } = options;
  try {
    return await withFileLock(
      lockPath,
      {
        purpose,
        waitMs,
        unlockHint,
        ...(options.program === undefined ? {} : { program: options.program }),
        ...(onStaleLockRecovered ? { onStaleRecovered: (holder: LockHolder) => onStaleLockRecovered(holder, lockPath) } : {}),
      },
      fn,
    );
  } catch (error) {
    // Only the refusal to take OUR lock is translated; errors from inside fn pass through untouched.
    if (error instanceof LockHeldError && error.lockPath === lockPath) {
      throw new CeremonyLockedError(ceremonyId, error.holder, lockPath, `${error.message}${ceremonyId === null ? '' : ' Nothing was changed in the ceremony.'}`);
    }
    throw error;
  }
}

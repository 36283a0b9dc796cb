/** Named errors of the TUF repository writer; every message says what to do next. */
import { describeHolder, type LockHolder, type LockState } from '../journal';

export class TufPublishError extends Error {
  override readonly name: string = 'TufPublishError';
}

/** A versioned file already exists with other bytes: metadata of one version is never replaced. */
export class VersionedFileConflictError extends TufPublishError {
  override readonly name = 'VersionedFileConflictError';
  constructor(readonly filePath: string) {
    super(
      `${filePath} already exists with different content; a published version is never overwritten ` +
        '(clients may have it cached). Pull the repository again and re-run the ceremony on its current state. Nothing was written.',
    );
  }
}

/** The new files do not continue the repository on disk (root gap, version going down, entry dropped). */
export class TufChainError extends TufPublishError {
  override readonly name = 'TufChainError';
}

/** Snapshot/timestamp must be signed here but no (or not enough) matching online keys were given. */
export class OnlineKeyMissingError extends TufPublishError {
  override readonly name = 'OnlineKeyMissingError';
  constructor(
    readonly role: string,
    readonly keyids: readonly string[],
    readonly threshold: number,
    readonly found: number,
  ) {
    super(
      `${role} is an online role: it needs ${threshold} signature(s) from its key(s) ${keyids.map((k) => k.slice(0, 12)).join(', ')}, ` +
        `but ${found} matching key file(s) were given; pass the ${role} key with --online-key FILE. Nothing was written.`,
    );
  }
}

/** A target file to publish is unusable: unsafe path, unverifiable hash, listed twice differently. */
export class TargetFileError extends TufPublishError {
  override readonly name: string = 'TargetFileError';
}

/** A target the metadata lists is neither in the source directory nor already published. */
export class TargetFileMissingError extends TargetFileError {
  override readonly name = 'TargetFileMissingError';
  constructor(
    readonly target: string,
    readonly sourcePath: string,
  ) {
    super(`target "${target}" is listed in the metadata but ${sourcePath} does not exist (and it is not published yet); nothing was written`);
  }
}

/** A source file is not the one the metadata describes. */
export class TargetFileMismatchError extends TargetFileError {
  override readonly name = 'TargetFileMismatchError';
  constructor(
    readonly target: string,
    readonly sourcePath: string,
    /** "length" or the hash algorithm that differs. */
    readonly field: string,
    readonly expected: string,
    readonly actual: string,
  ) {
    super(`target "${target}": ${sourcePath} has ${field} ${actual}, the signed metadata says ${expected}; nothing was written`);
  }
}

/** A published target file already exists with other bytes: it is never replaced. */
export class TargetFileConflictError extends TargetFileError {
  override readonly name = 'TargetFileConflictError';
  constructor(
    readonly target: string,
    readonly filePath: string,
  ) {
    super(`${filePath} (target "${target}") already exists with different content and is never overwritten; nothing was written`);
  }
}

/**
 * Another publish holds the destination directory's lock (or its lock cannot be read): nothing was
 * read for the plan, nothing was written. Says who holds it and how to recover.
 */
export class PublishLockedError extends TufPublishError {
  override readonly name = 'PublishLockedError';
  constructor(
    readonly dir: string,
    readonly lockPath: string,
    readonly holder: LockHolder | null,
    readonly state: LockState,
  ) {
    super(`${dir} is locked ${describeHolder(holder, state)}: another publish is writing into it. ${publishLockAdvice(dir, holder, state)} Nothing was written.`);
  }
}

function publishLockAdvice(dir: string, holder: LockHolder | null, state: LockState): string {
  const unlock = `keyrite publish --unlock-tuf-dir ${dir}`;
  if (state === 'foreign') return `If that publish on ${holder?.hostname ?? 'the other host'} has certainly stopped, remove the lock with "${unlock} --force", then publish again.`;
  if (state === 'unreadable') return `If no publish is running, remove the lock with "${unlock} --force", then publish again.`;
  // 'held' (or a lock that changed while we looked): a live process on this host.
  const pid = holder === null ? '' : ` (pid ${holder.pid})`;
  return `Wait for it to finish, then publish again; if it hangs, stop that process${pid}: the next publish recovers a dead process's lock by itself (or run "${unlock}").`;
}

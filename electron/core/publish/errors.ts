/** Named errors of the TUF repository writer; every message says what to do next. */

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

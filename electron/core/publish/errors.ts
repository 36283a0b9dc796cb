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

/** Named errors of the ceremony journal; each message says which line and what is wrong. */

/** The journal file is damaged or was edited: the chain no longer verifies at `line` (1-based). */
export class JournalCorruptError extends Error {
  override readonly name = 'JournalCorruptError';
  constructor(
    readonly line: number,
    readonly reason: string,
    readonly source = 'journal',
  ) {
    super(`${source} line ${line}: ${reason}`);
  }
}

/**
 * The same role and version would be signed over different bytes (reference/security.md §5,
 * catalogue #44). Same constructor as the ceremony engine's class so it can re-export this one.
 */
export class EquivocationError extends Error {
  override readonly name = 'EquivocationError';
  constructor(
    readonly role: string,
    readonly version: number,
    readonly signedSha256: string,
    readonly attemptedSha256: string,
    /** Journal line of the earlier intent, when known. */
    readonly line?: number,
  ) {
    super(
      `refusing to sign ${role} v${version} over different bytes: payload ${signedSha256.slice(0, 16)}… was already ` +
        `committed for it${line === undefined ? '' : ` (journal line ${line})`}, now asked for ${attemptedSha256.slice(0, 16)}…. ` +
        'Bump the version instead',
    );
  }
}

/** An entry handed to append() is not journal material (bad type, data not a JSON object, bad sign-intent). */
export class JournalEntryError extends Error {
  override readonly name = 'JournalEntryError';
}

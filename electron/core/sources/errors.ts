/**
 * Named source errors. Every message says what was tried and what to do next, because the CLI
 * prints it verbatim and exits 2.
 */

export class SourceError extends Error {
  override readonly name: string = 'SourceError';
}

/** The source (directory, server, URL) cannot be reached or read at all. */
export class SourceUnavailableError extends SourceError {
  override readonly name = 'SourceUnavailableError';
  constructor(message: string, options?: { cause: unknown }) {
    super(message, options);
  }
}

/** The source was read, but holds no repository we recognise. */
export class SourceFormatError extends SourceError {
  override readonly name = 'SourceFormatError';
  constructor(message: string, options?: { cause: unknown }) {
    super(message, options);
  }
}

/** The Notary server does not know the GUN. */
export class GunNotFoundError extends SourceError {
  override readonly name = 'GunNotFoundError';
  constructor(
    readonly gun: string,
    readonly server: string,
  ) {
    super(`GUN not found on server: ${server} has no trust data for "${gun}" (check the GUN spelling, e.g. docker.io/library/alpine)`);
  }
}

/** A trust dir holds several GUNs and the caller asked for one that is not there. */
export class GunNotInTrustDirError extends SourceError {
  override readonly name = 'GunNotInTrustDirError';
  constructor(
    readonly gun: string,
    readonly available: readonly string[],
  ) {
    super(
      `GUN "${gun}" is not in this trust dir; it holds: ${available.length ? available.join(', ') : '(none)'}`,
    );
  }
}

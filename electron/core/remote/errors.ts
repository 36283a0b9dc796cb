/**
 * Named publish errors. Each message says what the server refused and what the person at the
 * keyboard can do about it, because the CLI prints it verbatim and the GUI shows it as is.
 */

export class PublishError extends Error {
  override readonly name: string = 'PublishError';
}

/** What notary's validator said (`validation.SerializableError` in the error `detail`). */
export interface NotaryValidationDetail {
  /** `ErrBadRoot`, `ErrBadTargets`, `ErrBadSnapshot`, `ErrBadHierarchy` or `ErrValidation`. */
  name: string;
  message: string;
}

const VALIDATION_HINTS: Record<string, string> = {
  ErrBadRoot:
    'the new root must be version current or current+1, signed by the old root threshold and the new one, name the server timestamp key, and not be expired',
  ErrBadTargets: 'targets and delegations must be signed by the keys their parent role lists, at its threshold',
  ErrBadSnapshot: 'the snapshot must be signed by the snapshot key in root and list the versions and hashes of the uploaded files',
  ErrBadHierarchy:
    'a role is missing: publish the parent role too, or a snapshot when the server does not manage the snapshot key',
  ErrValidation: 'the server could not validate the upload',
};

/** 400 INVALID_UPDATE: the server validated the metadata and refused it; nothing was stored. */
export class NotaryUpdateRejectedError extends PublishError {
  override readonly name = 'NotaryUpdateRejectedError';
  constructor(
    readonly gun: string,
    readonly validation: NotaryValidationDetail | null,
  ) {
    const what = validation ? `${validation.name}: ${validation.message}` : 'the update is invalid';
    const hint = validation ? VALIDATION_HINTS[validation.name] ?? '' : '';
    super(`the Notary server rejected the update for "${gun}" (${what}); nothing was published${hint ? ` — ${hint}` : ''}`);
  }
}

/** 400 VERSION: the server already holds a newer version of a role. */
export class NotaryOldVersionError extends PublishError {
  override readonly name = 'NotaryOldVersionError';
  constructor(
    readonly gun: string,
    readonly serverMessage: string,
  ) {
    super(
      `the Notary server already has this version of the metadata for "${gun}" or a newer one (${serverMessage}); ` +
        'either this bundle was published before, or someone published since it was pulled: check with "keyrite inspect --server", and if needed pull again and redo the ceremony on the current state',
    );
  }
}

/** Any other 400 (MALFORMED_JSON, INVALID_ROLE, MALFORMED_UPLOAD, INVALID_GUN …). */
export class NotaryBadRequestError extends PublishError {
  override readonly name = 'NotaryBadRequestError';
  constructor(
    readonly code: string | null,
    readonly serverMessage: string,
  ) {
    super(`the Notary server refused the request as malformed (${[code, serverMessage].filter(Boolean).join(': ')}); check the bundle with "keyrite bundle verify"`);
  }
}

export class NotaryUnauthorizedError extends PublishError {
  override readonly name = 'NotaryUnauthorizedError';
  constructor(
    readonly url: string,
    readonly status: number,
  ) {
    super(
      `${url} answered HTTP ${status}: the server requires authentication (registry token auth), which Keyrite does not send; ` +
        'publish through a server without auth in front, or ask the server operator for push access',
    );
  }
}

export class NotaryEndpointNotFoundError extends PublishError {
  override readonly name = 'NotaryEndpointNotFoundError';
  constructor(readonly url: string) {
    super(`${url} answered HTTP 404: this is not a Notary server's publish endpoint; check the --server URL (e.g. https://notary.example.com)`);
  }
}

export class NotaryServerFailureError extends PublishError {
  override readonly name = 'NotaryServerFailureError';
  constructor(
    readonly url: string,
    readonly status: number,
    readonly serverMessage: string | null,
  ) {
    super(
      `${url} failed with HTTP ${status}${serverMessage ? ` (${serverMessage})` : ''}: nothing was published (the server applies an update atomically); try again later or ask the server operator`,
    );
  }
}

/** Something in the signed files makes them unpublishable before anything is sent or written. */
export class PublishInputError extends PublishError {
  override readonly name = 'PublishInputError';
}

/**
 * A file is not laid out as notary's Go code writes it. The server re-serializes snapshot and
 * targets before hashing them, so such bytes would be stored under hashes no client can match.
 */
export class NotaryLayoutError extends PublishError {
  override readonly name = 'NotaryLayoutError';
  constructor(readonly role: string) {
    super(
      `${role} is not in Notary's byte layout ({"signed":<canonical JSON>,"signatures":[{"keyid","method","sig"}]}): ` +
        'the server would hash a different form and clients would reject the repository. Finalize the ceremony with Keyrite to produce it; nothing was published',
    );
  }
}

/** 3xx: POSTs are never re-sent to another address (the signed metadata would go somewhere unnamed). */
export class NotaryRedirectError extends PublishError {
  override readonly name = 'NotaryRedirectError';
  constructor(
    readonly url: string,
    readonly status: number,
  ) {
    super(`${url} answered HTTP ${status} (a redirect); Keyrite does not re-send signed metadata to another address: give the server's final URL in --server (often https:// instead of http://)`);
  }
}

/** POST …/<role>.key failed: the Notary server did not make a new timestamp/snapshot key. */
export class ServerKeyRotationError extends Error {
  override readonly name = 'ServerKeyRotationError';
}

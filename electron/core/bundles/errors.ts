/** Why a bundle was refused. Stable codes: tests, the CLI's --json and the GUI key off them. */
export type BundleRejectCode =
  | 'NOT_A_ZIP'
  | 'BUNDLE_TOO_LARGE'
  | 'ENTRY_COUNT'
  | 'ABSOLUTE_PATH'
  | 'BACKSLASH'
  | 'PATH_TRAVERSAL'
  | 'BAD_NAME'
  | 'LINK_ENTRY'
  | 'HARDLINK_ENTRY'
  | 'DEVICE_ENTRY'
  | 'DIRECTORY_ENTRY'
  | 'ENCRYPTED'
  | 'UNSUPPORTED_COMPRESSION'
  | 'LOCAL_HEADER_MISMATCH'
  | 'DUPLICATE_NAME'
  | 'CASE_COLLISION'
  | 'ENTRY_TOO_LARGE'
  | 'TOTAL_SIZE'
  | 'COMPRESSION_RATIO'
  | 'DECLARED_SIZE_MISMATCH'
  | 'CORRUPT_ENTRY'
  | 'MANIFEST_MISSING'
  | 'MANIFEST_INVALID'
  | 'NOT_IN_MANIFEST'
  | 'MISSING_ENTRY'
  | 'LENGTH_MISMATCH'
  | 'DIGEST_MISMATCH'
  | 'UNKNOWN_ENTRY'
  | 'CONTENT_INVALID'
  | 'JOURNAL_INVALID'
  | 'JOURNAL_HEAD_MISMATCH';

/**
 * The whole bundle is refused (never a partial import): `code` says why, `entry` names the
 * offending zip entry when there is one. Nothing has been written when this is thrown.
 */
export class BundleRejectedError extends Error {
  override readonly name = 'BundleRejectedError';
  constructor(
    readonly code: BundleRejectCode,
    message: string,
    readonly entry?: string,
    options?: { cause: unknown },
  ) {
    super(`bundle rejected (${code})${entry === undefined ? '' : ` at ${JSON.stringify(entry)}`}: ${message}`, options);
  }
}

/** The bundle we were asked to write is not a valid bundle (missing required parts, bad names). */
export class BundleWriteError extends Error {
  override readonly name = 'BundleWriteError';
}

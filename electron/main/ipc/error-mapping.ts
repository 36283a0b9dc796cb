import { KeyriteError } from '../../../shared/errors';
import type { IpcError, IpcErrorCode } from '../../../shared/ipc/result';
import { IpcErrorCode as IpcErrorCodeSchema } from '../../../shared/ipc/result';

/**
 * Named errors (thrown by core services) → IPC error codes. Their messages are written for
 * people ("what happened, what to do"), so they cross as-is. Anything else is a bug: it crosses
 * as a generic 'Internal' and the details stay in main's log.
 */
export const DEFAULT_ERROR_CODES: Readonly<Record<string, IpcErrorCode>> = {
  NotFoundError: 'NotFound',
  RepositoryNotFoundError: 'NotFound',
  GunNotFoundError: 'NotFound',
  GunNotInTrustDirError: 'NotFound',
  KeyNotFoundError: 'NotFound',
  CancelledError: 'Cancelled',
  AbortError: 'Cancelled',
  SourceUnavailableError: 'SourceUnavailable',
  NetworkRefusedError: 'SourceUnavailable',
  TokenNotPresentError: 'SourceUnavailable',
  InvalidInputError: 'InvalidInput',
  SourceFormatError: 'InvalidInput',
  UnsupportedUrlError: 'InvalidInput',
  MetadataParseError: 'InvalidInput',
  MetadataFormatError: 'InvalidInput',
  CanonicalJsonError: 'InvalidInput',
  KeyImportError: 'InvalidInput',
  UnsupportedSchemeError: 'InvalidInput',
  UnknownPickError: 'InvalidInput',
  HttpStatusError: 'SourceUnavailable',
  HttpTimeoutError: 'SourceUnavailable',
  HttpConnectionError: 'SourceUnavailable',
  HttpBodyTooLargeError: 'InvalidInput',
  BusyError: 'Busy',
  JobInProgressError: 'Busy',
  // Key files (electron/core/keys): every refusal has its own class and a precise message.
  WrongPassphraseError: 'InvalidInput',
  KeyFileTruncatedError: 'InvalidInput',
  KeyFileTamperedError: 'InvalidInput',
  KeyFileMalformedError: 'InvalidInput',
  WeakKdfParametersError: 'InvalidInput',
  UnsupportedCipherError: 'InvalidInput',
  UnsupportedKeyFileVersionError: 'InvalidInput',
  UnsupportedKeyAlgorithmError: 'InvalidInput',
  WeakPassphraseError: 'InvalidInput',
  KeyFileExistsError: 'InvalidInput',
  KeyMismatchError: 'InvalidInput',
  InventoryEntryNotFoundError: 'NotFound',
  // Tokens (shared/token/errors): PIN problems are the user's to fix; device problems are the token's.
  PinIncorrectError: 'InvalidInput',
  PinLockedError: 'InvalidInput',
  PinNotInitializedError: 'InvalidInput',
  PinRequiredError: 'InvalidInput',
  NotLoggedInError: 'InvalidInput',
  MechanismUnsupportedError: 'InvalidInput',
  TokenRequestError: 'InvalidInput',
  FunctionCanceledError: 'Cancelled',
  DeviceRemovedError: 'SourceUnavailable',
  TokenHostCrashedError: 'SourceUnavailable',
  TokenHostTimeoutError: 'SourceUnavailable',
  TokenModuleLoadError: 'SourceUnavailable',
  // Named but not the user's doing: the message (which says what to do) still crosses.
  WorkspaceCorruptError: 'Internal',
  InventoryCorruptError: 'Internal',
  Pkcs11OperationError: 'Internal',
  TokenSignatureInvalidError: 'Internal',
  TokenProtocolError: 'Internal',
};

export const GENERIC_INTERNAL_MESSAGE = 'Something went wrong in the main process. The details are in the application log.';

export interface MappedError {
  error: IpcError;
  /** False for unexpected errors: the caller logs those with their stack. */
  expected: boolean;
}

/**
 * Maps a thrown value to an IpcError. A named error is one whose `name` is in `codes`, one that
 * declares a valid `ipcCode`, or any KeyriteError (registered, user-facing; 'Internal' when its
 * name has no code).
 */
export function toIpcError(thrown: unknown, codes: Readonly<Record<string, IpcErrorCode>> = DEFAULT_ERROR_CODES): MappedError {
  if (!(thrown instanceof Error)) {
    return { error: { code: 'Internal', message: GENERIC_INTERNAL_MESSAGE }, expected: false };
  }
  const declared = IpcErrorCodeSchema.safeParse((thrown as { ipcCode?: unknown }).ipcCode);
  const byName = Object.hasOwn(codes, thrown.name) ? codes[thrown.name] : undefined;
  const code = declared.success ? declared.data : byName;
  if (code !== undefined) {
    return { error: { code, message: thrown.message, name: thrown.name }, expected: true };
  }
  if (thrown instanceof KeyriteError) {
    return { error: { code: 'Internal', message: thrown.message, name: thrown.name }, expected: false };
  }
  return { error: { code: 'Internal', message: GENERIC_INTERNAL_MESSAGE }, expected: false };
}

/**
 * The engine's named errors carry messages written for people ("what failed, what to do"), but
 * main's IPC error map knows only its own list. The desk re-throws them with an `ipcCode` and the
 * original name, so the message crosses as is instead of a generic "Internal".
 */
type IpcCode = 'NotFound' | 'InvalidInput' | 'Internal' | 'Cancelled' | 'SourceUnavailable' | 'Busy';

const CODES: Readonly<Record<string, IpcCode>> = {
  CeremonyNotFoundError: 'NotFound',
  CeremonyPhaseError: 'InvalidInput',
  CeremonyBlockedError: 'InvalidInput',
  SignerNotRequiredError: 'InvalidInput',
  SignatureRejectedError: 'InvalidInput',
  KeyResolutionError: 'InvalidInput',
  KeySpecError: 'InvalidInput',
  RootCertificateError: 'InvalidInput',
  EquivocationError: 'InvalidInput',
  PlanError: 'InvalidInput',
  RuleViolationError: 'InvalidInput',
  FinalizeError: 'InvalidInput',
  BundleRejectedError: 'InvalidInput',
  BundleWriteError: 'InvalidInput',
  RequestBundleError: 'InvalidInput',
  PinNeededError: 'InvalidInput',
  PassphraseNeededError: 'InvalidInput',
  DefaultPinRefusedError: 'InvalidInput',
  KeychainPassphraseMissingError: 'InvalidInput',
  TargetFileError: 'InvalidInput',
  PlanInputError: 'InvalidInput',
  NetworkModeError: 'InvalidInput',
  RequestFileExistsError: 'InvalidInput',
  // Another process (a CLI, another app) holds the ceremony: the message names it and since when.
  CeremonyLockedError: 'Busy',
  LostTokenError: 'InvalidInput',
  // An imported partial bundle whose proposal differs from what this workstation computes.
  ProposalReviewError: 'InvalidInput',
  CeremonyJournalError: 'Internal',
  JournalCorruptError: 'Internal',
};

export class CeremonyDeskError extends Error {
  override name: string;
  readonly ipcCode: IpcCode;
  constructor(name: string, message: string, ipcCode: IpcCode) {
    super(message);
    this.name = name;
    this.ipcCode = ipcCode;
  }
}

/** The file chosen as a request bundle is not one (or not a usable one). */
export class RequestBundleError extends Error {
  override readonly name = 'RequestBundleError';
  readonly ipcCode = 'InvalidInput';
}

/**
 * A step before signing (a key generated on a token, a Notary root certificate) needs the token's
 * PIN and the caller gave none for it. The message always starts with "The PIN of token <serial>"
 * so the GUI can ask for exactly that PIN and retry.
 */
export class PinNeededError extends Error {
  override readonly name = 'PinNeededError';
  readonly ipcCode = 'InvalidInput';
  constructor(
    readonly tokenSerial: string,
    why: string,
  ) {
    super(`The PIN of token ${tokenSerial} is needed ${why}; enter it and try again.`);
  }
}

/** The PIN given is a factory default (123456 / 12345678): refused before it reaches the token. */
export class DefaultPinRefusedError extends Error {
  override readonly name = 'DefaultPinRefusedError';
  readonly ipcCode = 'InvalidInput';
}

/** A key file must be opened before signing (a Notary root certificate) and no passphrase was given. */
export class PassphraseNeededError extends Error {
  override readonly name = 'PassphraseNeededError';
  readonly ipcCode = 'InvalidInput';
}

/** "Use the keychain" was chosen but nothing is remembered for that key (root keys never are). */
export class KeychainPassphraseMissingError extends Error {
  override readonly name = 'KeychainPassphraseMissingError';
  readonly ipcCode = 'InvalidInput';
}

/** A target file to sign cannot be read (moved after it was picked, not a regular file). */
export class TargetFileError extends Error {
  override readonly name = 'TargetFileError';
  readonly ipcCode = 'InvalidInput';
}

/** The wizard's plan cannot become an engine plan (a picked file missing, nothing to recover). */
export class PlanInputError extends Error {
  override readonly name = 'PlanInputError';
  readonly ipcCode = 'InvalidInput';
}

/** The app runs air-gapped: pulling from a server is refused. */
export class NetworkModeError extends Error {
  override readonly name = 'NetworkModeError';
  readonly ipcCode = 'InvalidInput';
}

/** A pull never replaces a file: the save pick names one that exists. */
export class RequestFileExistsError extends Error {
  override readonly name = 'RequestFileExistsError';
  readonly ipcCode = 'InvalidInput';
}

/** Known engine errors keep their message and name and gain an IPC code; anything else passes unchanged. */
export function forIpc(error: unknown): unknown {
  if (!(error instanceof Error)) return error;
  if ('ipcCode' in error) return error;
  const code = CODES[error.name];
  return code === undefined ? error : new CeremonyDeskError(error.name, error.message, code);
}

export async function mapped<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    throw forIpc(error);
  }
}

/**
 * The engine's named errors carry messages written for people ("what failed, what to do"), but
 * main's IPC error map knows only its own list. The desk re-throws them with an `ipcCode` and the
 * original name, so the message crosses as is instead of a generic "Internal".
 */
type IpcCode = 'NotFound' | 'InvalidInput' | 'Internal' | 'Cancelled' | 'SourceUnavailable';

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

/** A step needs a token login that only the signing step (with its PIN dialog) may do. */
export class PinNeededError extends Error {
  override readonly name = 'PinNeededError';
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

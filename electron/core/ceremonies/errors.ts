/** Named errors of the ceremony engine; each message says what failed and what to do next. */
import type { LockHolder } from '../journal';

export class CeremonyError extends Error {
  override readonly name: string = 'CeremonyError';
}

/**
 * The same role and version would be signed over different bytes (security.md §5, catalogue #44):
 * one class for the journal's check and the workspace ledger's, so `instanceof` works for both.
 */
export { EquivocationError } from '../journal';

/** A signature did not verify against the key it claims (on arrival: token, file or merged bundle). */
export class SignatureRejectedError extends CeremonyError {
  override readonly name = 'SignatureRejectedError';
}

/** The signer's key is not one the proposal needs. */
export class SignerNotRequiredError extends CeremonyError {
  override readonly name = 'SignerNotRequiredError';
}

/** The ceremony is not in a phase that allows the operation (e.g. signing after finalize). */
export class CeremonyPhaseError extends CeremonyError {
  override readonly name = 'CeremonyPhaseError';
}

/** The journal does not describe a ceremony we can resume (wrong order, missing plan, broken chain). */
export class CeremonyJournalError extends CeremonyError {
  override readonly name = 'CeremonyJournalError';
}

/** A blocking rule check failed, or a threshold is not met: nothing is finalized or exported. */
export class CeremonyBlockedError extends CeremonyError {
  override readonly name = 'CeremonyBlockedError';
  constructor(
    message: string,
    readonly reasons: string[],
  ) {
    super(`${message}: ${reasons.join('; ')}`);
  }
}

export class CeremonyNotFoundError extends CeremonyError {
  override readonly name = 'CeremonyNotFoundError';
  constructor(readonly ceremonyId: string) {
    super(`no ceremony ${ceremonyId} in this workspace (see "keyrite ceremony status")`);
  }
}

/**
 * Another process (the app, another `keyrite ceremony ...`) is changing this ceremony, or the
 * workspace signed ledger, right now: nothing was done. `holder` names it (pid, host, program,
 * since); null when its lock file could not be read.
 */
export class CeremonyLockedError extends CeremonyError {
  override readonly name = 'CeremonyLockedError';
  constructor(
    /** null for the workspace signed ledger's lock. */
    readonly ceremonyId: string | null,
    readonly holder: LockHolder | null,
    readonly lockPath: string,
    message: string,
  ) {
    super(message);
  }
}

import { KeyriteError } from '../errors';

/** A plan cannot become a proposal (unknown key, role missing from the state, impossible threshold...). */
export class PlanError extends KeyriteError {}

/** A signature offered to a ceremony was refused on arrival (never stored unverified). */
export class SignatureRejectedError extends KeyriteError {
  get code(): string {
    return typeof this.detail['code'] === 'string' ? this.detail['code'] : 'SIGNATURE_REJECTED';
  }
}

/** The proposal cannot be finalized: a threshold is unmet or a produced file does not verify. */
export class FinalizeError extends KeyriteError {
  get code(): string {
    return typeof this.detail['code'] === 'string' ? this.detail['code'] : 'FINALIZE_FAILED';
  }
}

/** The same role and version would be signed over different bytes (reference/security.md §6 #44). */
export class EquivocationError extends KeyriteError {}

/** A proposal has blocking rule failures and must not be signed. */
export class RuleViolationError extends KeyriteError {}

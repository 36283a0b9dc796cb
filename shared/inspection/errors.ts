import { KeyriteError, registerErrorClass } from '../errors';

export type InspectionInputReason = 'no-root' | 'root-unparseable' | 'chain-cannot-start' | 'deferred-unresolved';

/**
 * The input cannot be inspected at all: no root, a root that does not parse, or a root chain
 * that cannot start (unusable trusted root). Everything short of that becomes a finding in the
 * report; the CLI maps this error to exit 2. `detail.reason` is stable for callers to branch on.
 */
export class InspectionInputError extends KeyriteError {
  get reason(): InspectionInputReason | null {
    const r = this.detail['reason'];
    return typeof r === 'string' ? (r as InspectionInputReason) : null;
  }
}
registerErrorClass(InspectionInputError);

export function inputError(reason: InspectionInputReason, message: string): InspectionInputError {
  return new InspectionInputError(message, { reason });
}

/**
 * Deferred role files cannot be pre-verified in parallel (a bin delegates further, the delegations
 * are not disjoint hash bins, ...): the caller reloads the repository fully and runs the
 * sequential engine. Never shown to users.
 */
export class FullLoadRequiredError extends KeyriteError {}
registerErrorClass(FullLoadRequiredError);

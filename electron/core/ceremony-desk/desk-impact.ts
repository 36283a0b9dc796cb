/**
 * Recover's first screen: what compromised or lost keys mean for a request (core's
 * assessCompromise), as the strict ImpactView the wizard shows before a recovery is planned.
 */
import { assessCompromiseOf, type CeremonyEnv, type ImpactReport, type KnownKey } from '../../../shared/ceremony';
import type { RepoState } from '../../../shared/ceremony/types';
import type { ImpactView } from '../../../shared/ipc/ceremony-plans';
import { PlanInputError } from './errors';

export function impactOf(state: RepoState, compromised: readonly string[], lost: readonly string[], env: CeremonyEnv, known: readonly KnownKey[]): ImpactView {
  if (compromised.length === 0 && lost.length === 0) throw new PlanInputError('name at least one compromised or lost key ID to see its impact');
  return impactView(assessCompromiseOf(state, { compromised: [...compromised], lost: [...lost] }, env, known));
}

/** Field by field: the IPC schema is strict, and core may grow fields the GUI does not know. */
export function impactView(report: ImpactReport): ImpactView {
  return {
    compromised: [...report.compromised],
    lost: [...report.lost],
    roles: report.roles.map((r) => ({
      role: r.role,
      delegatedBy: r.delegatedBy,
      keyids: [...r.keyids],
      threshold: r.threshold,
      compromised: [...r.compromised],
      lost: [...r.lost],
      remaining: r.remaining,
      thresholdHolds: r.thresholdHolds,
      attackerCanSign: r.attackerCanSign,
    })),
    attackerCan: [...report.attackerCan],
    stranded: [...report.stranded],
    steps: report.steps.map((s) => ({ order: s.order, role: s.role, signers: [...s.signers], signerNames: [...s.signerNames], threshold: s.threshold, oldThreshold: s.oldThreshold, note: s.note })),
  };
}

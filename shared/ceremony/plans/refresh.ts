import { edit, finishProposal, newDraft, notarySigning, type CommonPlanOptions } from '../draft';
import type { CeremonyEnv } from '../env';
import { policyOf } from '../env';
import { PlanError } from '../errors';
import { DAY_MS, policyRole } from '../policy';
import { expiresAt, type LoadedState } from '../state';
import type { Proposal } from '../types';

export interface RefreshPlan extends CommonPlanOptions {
  kind: 'refresh';
  /** Roles to re-sign; default: every offline role expiring within policy.refreshWithinDays. */
  roles?: string[];
}

/**
 * Roles due for re-signing at `env.now` (expired or within the policy window). Snapshot and
 * timestamp count only when they are signed offline (TUF `offlineRoles`): online keys and the
 * Notary server re-sign them without a ceremony.
 */
export function rolesDueForRefresh(loaded: LoadedState, env: CeremonyEnv, offlineRoles: readonly string[] = []): string[] {
  const policy = policyOf(env, loaded.dialect);
  const due: string[] = [];
  for (const [role, body] of loaded.signed) {
    const notaryOffline = loaded.dialect === 'notary-v1' && role === 'snapshot' && notarySnapshotOffline(loaded, env);
    if ((role === 'snapshot' || role === 'timestamp') && !notaryOffline && (loaded.dialect === 'notary-v1' || !offlineRoles.includes(role))) continue;
    const at = expiresAt(body, loaded.dialect);
    if (at === null) continue;
    if (at - env.now.getTime() <= policy.refreshWithinDays[policyRole(role)] * DAY_MS) due.push(role);
  }
  return due;
}

/** Re-sign roles near expiry with new versions and expiries (what `notary witness` does, within policy). */
export function proposeRefresh(loaded: LoadedState, plan: RefreshPlan, env: CeremonyEnv): Proposal {
  if (!loaded.root) throw new PlanError('refresh needs an existing repository');
  const roles = plan.roles ?? rolesDueForRefresh(loaded, env, plan.offlineRoles ?? []);
  if (roles.length === 0) throw new PlanError('refresh: no role expires within the policy window; nothing to re-sign');
  const d = newDraft(loaded, 'refresh');
  for (const role of roles) {
    if (loaded.dialect === 'notary-v1' && (role === 'snapshot' || role === 'timestamp')) {
      // A client-held snapshot key: the ceremony's snapshot step re-signs it (new version and expiry).
      if (role === 'snapshot' && notarySnapshotOffline(loaded, env)) continue;
      throw new PlanError(`refresh: the Notary server re-signs ${role}`);
    }
    edit(d, role);
  }
  return finishProposal(d, env, { ...plan, offlineRoles: [...(plan.offlineRoles ?? []), ...roles.filter((r): r is 'snapshot' | 'timestamp' => r === 'snapshot' || r === 'timestamp')] });
}

/** A Notary repository whose root names a client-held snapshot key (not the server's). */
function notarySnapshotOffline(loaded: LoadedState, env: CeremonyEnv): boolean {
  const root = loaded.signed.get('root');
  return root !== undefined && notarySigning(loaded.state, root, 'snapshot', env) === 'offline';
}

/**
 * The targets this workstation last trusted per role, for recover's "what could the attacker have
 * added" review (review F4): the newest version of each role that a ceremony of this workspace
 * finalized for the same repository (its keyholders reviewed and signed it here). Roles never
 * finalized here have no baseline, and recover then treats every target they hold as suspect.
 */
import { parseMetadata } from '../../../shared/tuf/metadata';
import type { Dialect } from '../../../shared/tuf/model';
import type { TrustedTargets } from '../../../shared/ceremony/plans/recover-content';
import type { RepoState } from '../../../shared/ceremony/types';
import { fromBase64 } from '../../../shared/tuf/encoding';
import { listCeremonies } from '../journal';
import type { CeremonyService } from './ceremony-service';
import { finalizedFiles } from './ceremony-outputs';
import type { EnginePlan } from './key-specs';

export async function trustedTargetsBaseline(service: CeremonyService, repository: { dialect: Dialect; name: string }, currentVersions: Readonly<Record<string, number>>): Promise<Record<string, TrustedTargets>> {
  const out: Record<string, TrustedTargets> = {};
  for (const id of await listCeremonies(service.deps.workspaceDir)) {
    const journal = await service.journal(id);
    if (journal.entries.length === 0) continue;
    const state = await service.state(id);
    if (!state.finalized || state.plan.dialect !== repository.dialect || state.plan.repository !== repository.name) continue;
    const files = await finalizedFiles(service, id, state);
    for (const [role, bytes] of Object.entries(files)) {
      if (role === 'root' || role === 'snapshot' || role === 'timestamp') continue;
      const signed = parseMetadata(bytes, { dialect: repository.dialect }).signedJson;
      const version = typeof signed['version'] === 'number' ? signed['version'] : 0;
      const current = currentVersions[role];
      // A version above the request's current one was never published: not a baseline.
      if (current === undefined || version > current) continue;
      if ((out[role]?.version ?? 0) >= version) continue;
      const targets = signed['targets'];
      const delegations = signed['delegations'];
      out[role] = {
        version,
        targets: typeof targets === 'object' && targets !== null && !Array.isArray(targets) ? targets : {},
        ...(typeof delegations === 'object' && delegations !== null && !Array.isArray(delegations) ? { delegations } : {}),
      };
    }
  }
  return out;
}

/** A recover plan with `trustedTargets` filled from this workspace (other plans unchanged). */
export async function withTrustedBaseline(service: CeremonyService, plan: EnginePlan, request: RepoState): Promise<EnginePlan> {
  if (plan.kind !== 'recover' || plan.trustedTargets !== undefined) return plan;
  const versions: Record<string, number> = {};
  for (const [role, b64] of Object.entries(request.files)) {
    const bytes = fromBase64(b64);
    if (bytes === null) continue;
    const version = parseMetadata(bytes, { dialect: request.dialect }).signedJson['version'];
    if (typeof version === 'number') versions[role] = version;
  }
  const baseline = await trustedTargetsBaseline(service, { dialect: request.dialect, name: request.name }, versions);
  return Object.keys(baseline).length > 0 ? { ...plan, trustedTargets: baseline } : plan;
}

/** For a `recover` ceremony: what the compromised or lost keys affect, and the minimal signing plan (shown before anything is signed). */
import { assessCompromise, loadRepoState, type ImpactReport } from '../../../shared/ceremony';
import type { CeremonyService } from './ceremony-service';

export async function recoveryImpact(service: CeremonyService, id: string): Promise<ImpactReport | null> {
  const state = await service.state(id);
  const plan = state.plan.plan;
  if (plan.kind !== 'recover') return null;
  const request = await service.request(id, state);
  const loaded = loadRepoState(request, service.env(new Date(state.plan.createdAt)), await service.knownKeys());
  // With the proposal, the steps show the real old → new thresholds and the replacement keys (review F16).
  return assessCompromise(loaded, { compromised: plan.compromised, ...(plan.lost ? { lost: plan.lost } : {}) }, state.proposal ?? undefined);
}

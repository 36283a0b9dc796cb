import type { RequestPreview } from '../../../../../shared/ipc/ceremony';
import type { RecoverDraft } from './plan-drafts';

/** Roles whose content is not signed by root's own keys: top-level targets and every delegation. */
const NOT_TARGETS_LIKE = new Set(['root', 'snapshot', 'timestamp']);

/**
 * The targets-like roles a key marked compromised serves (review F4): the recover re-signs their
 * content, and the engine blocks (RESIGNS_COMPROMISED_CONTENT) until each one's suspect targets are
 * dropped or acknowledged. Lost keys do not count: nobody else holds them.
 */
export function suspectRoles(request: Pick<RequestPreview, 'keys' | 'roles'>, fates: RecoverDraft['fates']): string[] {
  const served = new Set(request.keys.filter((k) => fates[k.keyid] === 'compromised').flatMap((k) => k.roles));
  // Keep the request's role order (targets first, then delegations breadth-first).
  return request.roles.map((r) => r.role).filter((role) => served.has(role) && !NOT_TARGETS_LIKE.has(role));
}

/** The plan's dropTargets / acknowledgeTargets for the suspect roles the operator decided on. */
export function suspectPlan(request: Pick<RequestPreview, 'keys' | 'roles'>, d: Pick<RecoverDraft, 'fates' | 'suspect'>): { dropTargets?: Record<string, 'all'>; acknowledgeTargets?: string[] } {
  const roles = suspectRoles(request, d.fates);
  const drop = roles.filter((r) => d.suspect[r] === 'drop');
  const keep = roles.filter((r) => d.suspect[r] === 'keep');
  return {
    ...(drop.length === 0 ? {} : { dropTargets: Object.fromEntries(drop.map((r) => [r, 'all' as const])) }),
    ...(keep.length === 0 ? {} : { acknowledgeTargets: keep }),
  };
}

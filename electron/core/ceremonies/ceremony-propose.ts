/**
 * A started ceremony's proposal, computed from its journalled plan: each key slot resolved (an
 * existing key, a key generated on a token, a Notary root certificate minted — acts journalled
 * write-ahead so a crash resumes them), then the engine's proposal with this workstation's key
 * trust checks, journalled as `proposal`.
 */
import { keyTrustChecks, loadRepoState, policyOf, propose, type CeremonyPlan } from '../../../shared/ceremony';
import type { CeremonyKey } from '../../../shared/ceremony/types';
import type { CeremonyService, KeyAccess } from './ceremony-service';
import type { CeremonyState } from './ceremony-state';
import { CeremonyJournalError } from './errors';
import { KeyResolver } from './key-resolver';
import { planKeySlots, substituteKeys } from './key-specs';

export async function proposeFromPlan(service: CeremonyService, id: string, state: CeremonyState, access: KeyAccess): Promise<void> {
  const { plan } = state;
  if (plan.imported) throw new CeremonyJournalError(`ceremony ${id} was imported without its proposal`);
  const request = await service.request(id, state);
  const now = new Date(plan.createdAt);
  const env = await service.trustEnv(id, state, now);
  const known = await service.knownKeys();
  const parsed = loadRepoState(request, env, known);
  const resolver = new KeyResolver({
    crypto: service.deps.crypto,
    keyStore: service.deps.keyStore,
    inventory: service.deps.inventory,
    tokenClient: () => service.tokens(),
    openSigner: access.openSigner,
    ensureTokenLogin: access.ensureTokenLogin,
    repoKeys: parsed.keys,
  });
  const journal = await service.journal(id);
  const resolved: Record<string, CeremonyKey> = { ...state.keys };
  const ctxBase = { dialect: plan.dialect, gun: plan.repository, now, certValidityDays: policyOf(env, plan.dialect).notaryCertValidityDays };
  for (const slot of planKeySlots(plan.plan)) {
    if (resolved[slot.slot]) continue;
    const ctx = { ...ctxBase, role: slot.role, resumingAct: state.pendingKeyActs.includes(slot.slot) };
    if (KeyResolver.isAct(slot.spec, ctx)) {
      // Write-ahead: the intent is durable before the token is touched; on resume a generated key
      // is found again by its CKA_ID, and a certificate is simply minted anew (never published yet).
      if (!state.pendingKeyActs.includes(slot.slot)) await service.append(journal, 'key-generated', { phase: 'intent', slot: slot.slot, role: slot.role, spec: slot.spec });
      const key = await resolver.resolve(slot.spec, ctx);
      await service.append(journal, 'key-generated', { phase: 'done', slot: slot.slot, role: slot.role, key: key as never });
      resolved[slot.slot] = key;
    } else {
      resolved[slot.slot] = await resolver.resolve(slot.spec, ctx);
    }
  }
  const corePlan = { ...substituteKeys(plan.plan, (slot) => resolved[slot] as never), ceremonyId: id } as unknown as CeremonyPlan;
  const proposed = propose(request, corePlan, env, known);
  const proposal = { ...proposed, checks: [...proposed.checks, ...keyTrustChecks(request, proposed.roles, proposed.keys, env, known)] };
  await service.append(journal, 'proposal', { proposal: proposal as never });
}

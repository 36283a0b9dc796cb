import type { CeremonyEnv } from '../env';
import type { KnownKey } from '../keys';
import { checkRequest } from '../request-check';
import { loadRepoState } from '../state';
import type { Proposal, RepoState } from '../types';
import { proposeInit, type InitPlan } from './init';
import { proposeRecover, type RecoverPlan } from './recover';
import { proposeRefresh, type RefreshPlan } from './refresh';
import { proposeRotateKey, proposeRotateRoot, type RotateKeyPlan, type RotateRootPlan } from './rotate';
import { proposeSignTargets, type SignTargetsPlan } from './sign-targets';
import { proposeAddSigner, proposeRemoveSigner, type AddSignerPlan, type RemoveSignerPlan } from './signers';

export type CeremonyPlan = InitPlan | RotateRootPlan | RotateKeyPlan | AddSignerPlan | RemoveSignerPlan | RefreshPlan | SignTargetsPlan | RecoverPlan;

/** plan → proposal for any ceremony kind (pure: same inputs, same proposal). */
export function propose(state: RepoState, plan: CeremonyPlan, env: CeremonyEnv, known: readonly KnownKey[] = []): Proposal {
  const proposal = proposeUnchecked(state, plan, env, known);
  return { ...proposal, checks: [...checkRequest(state, env), ...proposal.checks] };
}

function proposeUnchecked(state: RepoState, plan: CeremonyPlan, env: CeremonyEnv, known: readonly KnownKey[]): Proposal {
  const loaded = loadRepoState(state, env, known);
  switch (plan.kind) {
    case 'init':
      return proposeInit(loaded, plan, env);
    case 'rotate-root':
      return proposeRotateRoot(loaded, plan, env);
    case 'rotate-key':
      return proposeRotateKey(loaded, plan, env);
    case 'add-signer':
      return proposeAddSigner(loaded, plan, env);
    case 'remove-signer':
      return proposeRemoveSigner(loaded, plan, env);
    case 'refresh':
      return proposeRefresh(loaded, plan, env);
    case 'sign-targets':
      return proposeSignTargets(loaded, plan, env);
    case 'recover':
      return proposeRecover(loaded, plan, env);
  }
}

export type { InitPlan, RecoverPlan, RefreshPlan, RotateKeyPlan, RotateRootPlan, SignTargetsPlan, AddSignerPlan, RemoveSignerPlan };
export { proposeInit, proposeRecover, proposeRefresh, proposeRotateKey, proposeRotateRoot, proposeSignTargets, proposeAddSigner, proposeRemoveSigner };
import { assessCompromise, type ImpactReport } from './recover';
export { assessCompromise, type ImpactReport, type RoleImpact, type RecoveryStep } from './recover';
export { rolesDueForRefresh } from './refresh';
export { NOTARY_RELEASES, notaryRoleName } from './signers';

/** Impact of compromised / lost keys on a pulled repository (recover's first screen). */
export function assessCompromiseOf(state: RepoState, keyids: Parameters<typeof assessCompromise>[1], env: CeremonyEnv, known: readonly KnownKey[] = [], proposal?: Proposal): ImpactReport {
  return assessCompromise(loadRepoState(state, env, known), keyids, proposal);
}

import type { JsonObject } from '../../tuf/model';
import { edit, finishProposal, newDraft, serverKey, type CommonPlanOptions } from '../draft';
import type { CeremonyEnv } from '../env';
import { PlanError } from '../errors';
import { rootRole, type LoadedState } from '../state';
import type { CeremonyKey, Proposal } from '../types';
import { requireThreshold, requireX509, setRootRole } from './edit-helpers';

export interface RotateRootPlan extends CommonPlanOptions {
  kind: 'rotate-root';
  add?: CeremonyKey[];
  /** keyids to remove from the root role. */
  remove?: string[];
  threshold?: number;
}

function keyOf(loaded: LoadedState, id: string): CeremonyKey {
  const k = loaded.keys.get(id);
  if (!k) throw new PlanError(`key ${id.slice(0, 8)}… is not in the repository`);
  return k;
}

/** New root version: keys added/removed, threshold changed; signed by the old AND the new root threshold. */
export function proposeRotateRoot(loaded: LoadedState, plan: RotateRootPlan, env: CeremonyEnv): Proposal {
  if (!loaded.root) throw new PlanError('rotate-root needs an existing repository (run init)');
  const d = newDraft(loaded, 'rotate-root');
  const root = edit(d, 'root');
  const cur = rootRole(root, 'root')!;
  for (const id of plan.remove ?? []) if (!cur.keyids.includes(id)) throw new PlanError(`key ${id.slice(0, 8)}… is not a root key`);
  const add = plan.add ?? [];
  if (loaded.dialect === 'notary-v1') requireX509(add, 'rotate-root');
  const kept = cur.keyids.filter((id) => !(plan.remove ?? []).includes(id)).map((id) => keyOf(loaded, id));
  const next = [...kept, ...add.filter((k) => !cur.keyids.includes(k.keyid))];
  const threshold = plan.threshold ?? Math.min(cur.threshold, next.length);
  requireThreshold(threshold, next.length, 'root');
  d.newKeys.push(...add);
  setRootRole(root, 'root', next, threshold);
  return finishProposal(d, env, plan);
}

export interface RotateKeyPlan extends CommonPlanOptions {
  kind: 'rotate-key';
  role: 'targets' | 'snapshot' | 'timestamp';
  /** New keys (TUF, Notary targets, Notary snapshot taken offline). */
  newKeys?: CeremonyKey[];
  threshold?: number;
  /** Notary snapshot/timestamp: use the server's key from the request (timestamp always is). */
  serverManaged?: boolean;
}

/** Replace a top-level role's keys; the root (same root keys) and the role itself are re-signed. */
export function proposeRotateKey(loaded: LoadedState, plan: RotateKeyPlan, env: CeremonyEnv): Proposal {
  if (!loaded.root) throw new PlanError('rotate-key needs an existing repository (run init)');
  const d = newDraft(loaded, 'rotate-key');
  const root = edit(d, 'root');
  let keys: CeremonyKey[];
  if (loaded.dialect === 'notary-v1' && (plan.role === 'timestamp' || plan.serverManaged === true)) {
    if (plan.role === 'targets') throw new PlanError('the targets key cannot be server-managed');
    keys = [serverKey(d, plan.role, env)];
  } else {
    keys = plan.newKeys ?? [];
    if (keys.length === 0) throw new PlanError(`rotate-key ${plan.role}: no new keys given`);
  }
  const old = rootRole(root, plan.role);
  const threshold = plan.threshold ?? Math.min(old?.threshold ?? 1, keys.length);
  requireThreshold(threshold, keys.length, plan.role);
  d.newKeys.push(...keys);
  setRootRole(root, plan.role, keys, threshold);
  if (JSON.stringify(rootRole(root, plan.role)) === JSON.stringify(old)) throw new PlanError(`rotate-key ${plan.role}: the new keys are the current keys`);
  // The rotated role is re-signed by its new keys (targets always offline; TUF snapshot/timestamp per mode).
  if (plan.role === 'targets' || loaded.dialect === 'tuf-1.0') reSign(d, plan.role);
  return finishProposal(d, env, plan);
}

function reSign(d: ReturnType<typeof newDraft>, role: string): JsonObject | null {
  return d.loaded.signed.has(role) ? edit(d, role) : null;
}

import { buildTargets, delegationRoleJson } from '../builders';
import { edit, effective, finishProposal, newDraft, type CommonPlanOptions, type Draft } from '../draft';
import type { CeremonyEnv } from '../env';
import { PlanError } from '../errors';
import { describeKey } from '../keys';
import type { LoadedState } from '../state';
import type { CeremonyKey, Proposal } from '../types';
import { unsafeTargetPathReason, tufPatternWithin } from '../../inspection/path-match';
import { ensureDelegations, findRole, pruneDelegationKeys, removeRole, requireThreshold, stringList } from './edit-helpers';

export const NOTARY_RELEASES = 'targets/releases';

export interface AddSignerPlan extends CommonPlanOptions {
  kind: 'add-signer';
  /** Signer name: Notary `alice` → `targets/alice` (+ `targets/releases`); TUF the delegated role name. */
  name: string;
  keys: CeremonyKey[];
  threshold?: number;
  /** TUF paths (default ["*"]); Notary always [""] (everything). */
  paths?: string[];
  terminating?: boolean;
  /** Delegating role (default `targets`). */
  parent?: string;
  /** TUF: also create the delegated role's first metadata (signed by the new keys). Default true. */
  createRoleFile?: boolean;
}

export interface RemoveSignerPlan extends CommonPlanOptions {
  kind: 'remove-signer';
  name: string;
  parent?: string;
}

export function notaryRoleName(name: string): string {
  return name.startsWith('targets/') ? name : `targets/${name}`;
}

function upsertDelegation(d: Draft, parent: string, name: string, keys: readonly CeremonyKey[], threshold: number, paths: string[], terminating: boolean): void {
  const body = edit(d, parent);
  const del = ensureDelegations(body);
  for (const k of keys) del.keys[k.keyid] = k.keyObject;
  const existing = findRole(body, name);
  if (existing) {
    const ids = stringList(existing['keyids']);
    for (const k of keys) if (!ids.includes(k.keyid)) ids.push(k.keyid);
    existing['keyids'] = ids;
    return;
  }
  del.roles.push(delegationRoleJson(d.loaded.dialect, { name, keyids: keys.map((k) => k.keyid), threshold, paths, terminating }));
}

/** `docker trust signer add` semantics (Notary) or a TUF delegation with paths and threshold. */
export function proposeAddSigner(loaded: LoadedState, plan: AddSignerPlan, env: CeremonyEnv): Proposal {
  if (!loaded.root) throw new PlanError('add-signer needs an existing repository');
  if (plan.keys.length === 0) throw new PlanError('add-signer: no keys given');
  const d = newDraft(loaded, 'add-signer');
  d.newKeys.push(...plan.keys);
  const parent = plan.parent ?? 'targets';
  if (!effective(d, parent)) throw new PlanError(`add-signer: the repository has no ${parent} metadata`, { role: parent });
  const threshold = plan.threshold ?? 1;
  requireThreshold(threshold, plan.keys.length, plan.name);
  if (loaded.dialect === 'notary-v1') {
    const role = notaryRoleName(plan.name);
    if (role === NOTARY_RELEASES) throw new PlanError('"releases" is reserved: add a named signer, its keys go into targets/releases too');
    upsertDelegation(d, parent, role, plan.keys, threshold, [''], false);
    upsertDelegation(d, parent, NOTARY_RELEASES, plan.keys, 1, [''], false);
  } else {
    const paths = plan.paths ?? ['*'];
    assertDelegationPaths(d, parent, plan.name, paths);
    upsertDelegation(d, parent, plan.name, plan.keys, threshold, paths, plan.terminating ?? false);
    if ((plan.createRoleFile ?? true) && !loaded.signed.has(plan.name)) {
      d.bodies.set(plan.name, buildTargets('tuf-1.0', { version: 1, expires: '', targets: {} }));
    }
  }
  return finishProposal(d, env, plan);
}

/**
 * Review F19 (catalogue #13, #14): TUF delegation path patterns of a repository we author are
 * non-empty, never traverse, absolute, backslashed or drive-lettered, and, under a delegated
 * parent, provably inside the parent's own patterns (otherwise no target of the new role could
 * ever be trusted).
 */
function assertDelegationPaths(d: Draft, parent: string, name: string, paths: readonly string[]): void {
  const refuse = (why: string): never => {
    throw new PlanError(`add-signer ${name}: ${why}`, { role: name, code: 'DELEGATION_PATHS_INVALID' });
  };
  if (paths.length === 0) refuse('no path patterns: the delegation could never sign a target (give --paths, e.g. "name/*")');
  for (const p of paths) {
    const why = p.length === 0 ? 'empty pattern' : unsafeTargetPathReason(p);
    if (why !== null) refuse(`path pattern ${JSON.stringify(p)} is not allowed (${why})`);
  }
  if (parent === 'targets') return;
  const entry = findDelegatingEntry(d, parent);
  const parentPaths = stringList(entry?.['paths']);
  if (parentPaths.length === 0) refuse(`${parent} is delegated by path hash prefixes (or nothing); a path scope inside it cannot be proven`);
  for (const p of paths) {
    if (!parentPaths.some((pp) => tufPatternWithin(p, pp))) refuse(`path pattern ${JSON.stringify(p)} is not inside ${parent}'s scope [${parentPaths.join(', ')}]: clients would never trust its targets (effective scope: nothing)`);
  }
}

/** The delegation entry that delegates `role` (in any effective targets-like body). */
function findDelegatingEntry(d: Draft, role: string): ReturnType<typeof findRole> {
  const names = new Set<string>(['targets', ...d.loaded.signed.keys(), ...d.bodies.keys()]);
  for (const parent of names) {
    if (parent === 'root' || parent === 'snapshot' || parent === 'timestamp' || parent === role) continue;
    const body = effective(d, parent);
    const hit = body ? findRole(body, role) : null;
    if (hit) return hit;
  }
  return null;
}

/** Remove a signer: its delegation (Notary: and its keys from targets/releases). */
export function proposeRemoveSigner(loaded: LoadedState, plan: RemoveSignerPlan, env: CeremonyEnv): Proposal {
  if (!loaded.root) throw new PlanError('remove-signer needs an existing repository');
  const d = newDraft(loaded, 'remove-signer');
  const parent = plan.parent ?? 'targets';
  const body = edit(d, parent);
  const name = loaded.dialect === 'notary-v1' ? notaryRoleName(plan.name) : plan.name;
  if (name === NOTARY_RELEASES && loaded.dialect === 'notary-v1') throw new PlanError('"releases" is reserved and cannot be removed as a signer');
  const role = findRole(body, name);
  if (!role) throw new PlanError(`${parent} has no delegation ${name}`, { role: name });
  const keyids = stringList(role['keyids']);
  removeRole(body, name);
  if (loaded.dialect === 'notary-v1') removeKeysFromReleases(d, body, keyids);
  pruneDelegationKeys(body, parent);
  return finishProposal(d, env, plan);
}

/**
 * Notary: take keys out of targets/releases (docker's RemoveDelegationKeys). A releases role left
 * without keys is removed (a role no key can sign is not a valid delegation); one whose current
 * file was signed by a removed key is flagged: a remaining signer must re-sign it.
 */
export function removeKeysFromReleases(d: Draft, parentBody: ReturnType<typeof edit>, keyids: readonly string[]): void {
  const releases = findRole(parentBody, NOTARY_RELEASES);
  if (!releases) return;
  const remaining = stringList(releases['keyids']).filter((id) => !keyids.includes(id));
  if (remaining.length === 0) {
    removeRole(parentBody, NOTARY_RELEASES);
    d.notes.push({ role: 'targets', kind: 'other', summary: `targets: ${NOTARY_RELEASES} has no signer left and is removed; its targets are no longer trusted` });
    return;
  }
  releases['keyids'] = remaining;
  const t = typeof releases['threshold'] === 'number' ? releases['threshold'] : 1;
  if (t > remaining.length) releases['threshold'] = remaining.length;
  const env0 = d.loaded.envelopes.get(NOTARY_RELEASES);
  if (env0 && env0.signatures.some((s) => keyids.includes(s.keyid))) {
    const names = remaining.map((id) => { const k = d.loaded.keys.get(id) ?? d.newKeys.find((x) => x.keyid === id); return k ? describeKey(k) : id.slice(0, 8); });
    d.notes.push({ role: NOTARY_RELEASES, kind: 'other', summary: `${NOTARY_RELEASES} v${env0.signed.version} was signed by a removed key: one of ${names.join(', ')} must publish it again` });
  }
}

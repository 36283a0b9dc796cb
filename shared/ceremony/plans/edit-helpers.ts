import type { JsonObject } from '../../tuf/model';
import { PlanError } from '../errors';
import { keyMaterialOf } from '../keys';
import { delegationsOf, isObj, rootRole } from '../state';
import type { CeremonyKey } from '../types';

/** Small edits on (copied) metadata bodies. */

export function setRootRole(root: JsonObject, role: string, keys: readonly CeremonyKey[], threshold: number): void {
  const keyMap = isObj(root['keys']) ? root['keys'] : {};
  for (const k of keys) keyMap[k.keyid] = k.keyObject;
  root['keys'] = keyMap;
  const roles = isObj(root['roles']) ? root['roles'] : {};
  roles[role] = { keyids: keys.map((k) => k.keyid), threshold };
  root['roles'] = roles;
  pruneRootKeys(root);
}

/** Drop key objects no top-level role references any more. */
export function pruneRootKeys(root: JsonObject): void {
  const used = new Set<string>();
  for (const r of ['root', 'targets', 'snapshot', 'timestamp']) for (const id of rootRole(root, r)?.keyids ?? []) used.add(id);
  const keyMap = isObj(root['keys']) ? root['keys'] : {};
  for (const id of Object.keys(keyMap)) if (!used.has(id)) delete keyMap[id];
}

export function ensureDelegations(body: JsonObject): { keys: JsonObject; roles: JsonObject[] } {
  let del = body['delegations'];
  if (!isObj(del)) {
    del = { keys: {}, roles: [] };
    body['delegations'] = del;
  }
  if (!isObj(del['keys'])) del['keys'] = {};
  if (!Array.isArray(del['roles'])) del['roles'] = [];
  return { keys: del['keys'], roles: del['roles'] as JsonObject[] };
}

export function findRole(body: JsonObject, name: string): JsonObject | null {
  const del = body['delegations'];
  if (!isObj(del) || !Array.isArray(del['roles'])) return null;
  return (del['roles'].find((r) => isObj(r) && r['name'] === name) as JsonObject | undefined) ?? null;
}

export function removeRole(body: JsonObject, name: string): boolean {
  const { roles } = ensureDelegations(body);
  const i = roles.findIndex((r) => r['name'] === name);
  if (i < 0) return false;
  roles.splice(i, 1);
  return true;
}

/** Drop delegation key objects no delegated role references. */
export function pruneDelegationKeys(body: JsonObject, parent: string): void {
  const { keys } = ensureDelegations(body);
  const used = new Set(delegationsOf(parent, body).flatMap((d) => d.keyids));
  for (const id of Object.keys(keys)) if (!used.has(id)) delete keys[id];
}

export function stringList(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

export function requireX509(keys: readonly CeremonyKey[], what: string): void {
  for (const k of keys) {
    if (!keyMaterialOf(k.keyObject).keytype.endsWith('-x509')) {
      throw new PlanError(`${what}: Notary root keys must be ecdsa-x509/rsa-x509 certificates (CN = GUN); key ${k.keyid.slice(0, 8)}… is ${keyMaterialOf(k.keyObject).keytype}`);
    }
  }
}

export function requireThreshold(threshold: number, count: number, role: string): void {
  if (!Number.isSafeInteger(threshold) || threshold < 1 || threshold > count) {
    throw new PlanError(`${role}: threshold ${threshold} must be between 1 and the ${count} keys`, { role });
  }
}

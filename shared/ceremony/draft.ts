import { toHex } from '../tuf/encoding';
import type { JsonObject } from '../tuf/model';
import { TOP_LEVEL_ROLES } from '../tuf/model';
import { buildSnapshot, buildTimestamp, metaName } from './builders';
import { diffProposal } from './diff';
import { payloadSha256 } from './envelope';
import type { CeremonyEnv } from './env';
import { policyOf } from './env';
import { PlanError } from './errors';
import { ceremonyKeyFromObject, keyIdOf } from './keys';
import { expiresIn, policyRole } from './policy';
import {
  checkExpiredBump,
  checkExpiry,
  checkRootBody,
  checkSnapshotMeta,
  checkTargetsBody,
  checkVersion,
  specVersionCheck,
} from './rules';
import { clone, delegationsOf, isObj, rootRole, scalar, versionOf, type LoadedState } from './state';
import type { CeremonyKey, CeremonyKind, DiffEntry, Proposal, RepoState, RoleProposal, RuleCheck, ThresholdRequirement } from './types';

/** Options every plan accepts. */
export interface CommonPlanOptions {
  ceremonyId?: string;
  /** TUF: sign snapshot/timestamp in this ceremony (default: online keys sign them at publish). */
  offlineRoles?: ('snapshot' | 'timestamp')[];
  /** Expiry per role (strict `YYYY-MM-DDTHH:MM:SSZ`); default from policy.defaultExpiryDays. */
  expires?: Record<string, string>;
}

/** Changed role bodies on their way to a proposal (version/expiry are set by `finishProposal`). */
export interface Draft {
  loaded: LoadedState;
  kind: CeremonyKind;
  bodies: Map<string, JsonObject>;
  newKeys: CeremonyKey[];
  notes: DiffEntry[];
}

export function newDraft(loaded: LoadedState, kind: CeremonyKind): Draft {
  return { loaded, kind, bodies: new Map(), newKeys: [], notes: [] };
}

/** The body a role will have: the draft's new body, else the current one. */
export function effective(d: Draft, role: string): JsonObject | null {
  return d.bodies.get(role) ?? d.loaded.signed.get(role) ?? null;
}

/** Copy-on-write access to a role body in the draft. */
export function edit(d: Draft, role: string): JsonObject {
  const hit = d.bodies.get(role);
  if (hit) return hit;
  const cur = d.loaded.signed.get(role);
  if (!cur) throw new PlanError(`the repository has no ${role} metadata`, { role });
  const copy = clone(cur);
  d.bodies.set(role, copy);
  return copy;
}

/** The server's snapshot/timestamp key as a CeremonyKey (Notary). */
export function serverKey(d: Draft, role: 'snapshot' | 'timestamp', env: CeremonyEnv): CeremonyKey {
  const obj = d.loaded.state.serverKeys[role];
  if (!obj) throw new PlanError(`the request has no ${role} key from the Notary server (pull it again)`, { role });
  return ceremonyKeyFromObject('notary-v1', obj, env.crypto, { label: `Notary server ${role} key` });
}

/** Notary: is this role signed by the server (its root key is the server's key) or offline? */
export function notarySigning(state: RepoState, root: JsonObject, role: 'snapshot' | 'timestamp', env: CeremonyEnv): 'server' | 'offline' {
  if (role === 'timestamp') return 'server';
  const obj = state.serverKeys.snapshot;
  if (!obj) return 'offline';
  const id = keyIdOf({ keytype: obj['keytype'] ?? '', keyval: { private: null, public: (obj['keyval'] as JsonObject | undefined)?.['public'] ?? '' } }, env.crypto);
  const keyids = rootRole(root, 'snapshot')?.keyids ?? [];
  return keyids.length === 1 && keyids[0] === id ? 'server' : 'offline';
}

/** Role order in a proposal = signing order: root, targets, delegations (parents first), snapshot, timestamp. */
function rank(role: string): number {
  if (role === 'root') return 0;
  if (role === 'targets') return 1;
  if (role === 'snapshot') return 10_000;
  if (role === 'timestamp') return 10_001;
  return 2 + role.split('/').length;
}

/** Which targets-like role delegates `role`, and its entry, in the draft's effective bodies. */
export function findDelegation(d: Draft, role: string): { parent: string; keyids: string[]; threshold: number } | null {
  const names = new Set<string>(['targets', ...d.loaded.signed.keys(), ...d.bodies.keys()]);
  for (const parent of names) {
    if (parent === 'root' || parent === 'snapshot' || parent === 'timestamp') continue;
    const body = effective(d, parent);
    if (!body) continue;
    const hit = delegationsOf(parent, body).find((e) => e.name === role);
    if (hit) return { parent, keyids: hit.keyids, threshold: hit.threshold };
  }
  return null;
}

function ceremonyIdFor(d: Draft, env: CeremonyEnv, roles: RoleProposal[]): string {
  const seed = [d.loaded.state.nonce, d.kind, env.now.toISOString(), ...roles.map((r) => `${r.role}:${r.payloadSha256}`)].join('|');
  return toHex(env.crypto.sha256(new TextEncoder().encode(seed))).slice(0, 16);
}

/**
 * The threshold requirements of one role of a draft, from the bodies alone: a new root needs the
 * current root's threshold AND its own; other top-level roles the new root's; a delegation its
 * delegating role's (draft body, else current). Shared with reviewProposal (review.ts), which
 * recomputes an imported proposal's requirements instead of trusting them.
 */
export function roleRequirements(d: Draft, role: string, oldRoot: JsonObject | null, newRoot: JsonObject): ThresholdRequirement[] {
  const newVersion = d.bodies.get(role)!['version'] as number;
  if (role === 'root') {
    const next = rootRole(newRoot, 'root')!;
    const prev = oldRoot ? rootRole(oldRoot, 'root') : null;
    const nextReq = { label: `root v${newVersion} (new)`, keyids: next.keyids, threshold: next.threshold };
    if (!prev) return [nextReq];
    if (JSON.stringify(prev) === JSON.stringify(next)) return [{ ...nextReq, label: `root v${versionOf(oldRoot!)} and v${newVersion} (same keys)` }];
    return [{ label: `root v${versionOf(oldRoot!)} (current)`, keyids: prev.keyids, threshold: prev.threshold }, nextReq];
  }
  if ((TOP_LEVEL_ROLES as readonly string[]).includes(role)) {
    const r = rootRole(newRoot, role)!;
    return [{ label: `${role} (keys of root v${scalar(newRoot['version'])})`, keyids: r.keyids, threshold: r.threshold }];
  }
  const del = findDelegation(d, role);
  if (!del) throw new PlanError(`no targets role delegates to ${role}`, { role });
  return [{ label: `${role} (delegated by ${del.parent})`, keyids: del.keyids, threshold: del.threshold }];
}

/** Every rule check of every proposed role against the request (shared with reviewProposal). */
export function roleChecks(loaded: LoadedState, roles: readonly RoleProposal[], keys: ReadonlyMap<string, CeremonyKey>, env: CeremonyEnv): RuleCheck[] {
  const dialect = loaded.dialect;
  const policy = policyOf(env, dialect);
  const checks: RuleCheck[] = [];
  for (const rp of roles) {
    const old = loaded.signed.get(rp.role) ?? null;
    if (rp.role === 'root') checks.push(...checkRootBody(dialect, loaded.name, old, rp.signed, keys, env.now, env.crypto, policy));
    else {
      checks.push(...checkVersion(rp.role, old ? versionOf(old) : null, rp.signed['version'], policy));
      if (rp.role === 'snapshot') checks.push(...checkSnapshotMeta(old, rp.signed));
      if (rp.role === 'snapshot' || rp.role === 'timestamp') {
        if (dialect === 'tuf-1.0') checks.push(specVersionCheck(rp.signed, rp.role));
      } else checks.push(...checkTargetsBody(dialect, rp.role, rp.signed, keys, env.crypto, policy));
    }
    checks.push(...checkExpiry(rp.role, dialect, rp.signed['expires'], env.now, policy));
    checks.push(checkExpiredBump(rp.role, dialect, old, rp.signed, env.now));
  }
  return checks;
}

/**
 * Turn a draft into a Proposal: bump versions and expiries, re-compute snapshot/timestamp when
 * they are signed offline (TUF), attach threshold requirements (old root too), rule checks and
 * the human-readable diff.
 */
export function finishProposal(d: Draft, env: CeremonyEnv, opts: CommonPlanOptions): Proposal {
  const { loaded } = d;
  const dialect = loaded.dialect;
  const policy = policyOf(env, dialect);
  const expiryFor = (role: string): string => opts.expires?.[role] ?? expiresIn(env.now, policy.defaultExpiryDays[policyRole(role)]);
  const oldRoot = loaded.signed.get('root') ?? null;
  const stamp = (role: string, body: JsonObject): void => {
    body['version'] = versionOf(loaded.signed.get(role)) + 1;
    body['expires'] = expiryFor(role);
    if (dialect === 'tuf-1.0') body['spec_version'] = policy.specVersion;
  };
  for (const [role, body] of d.bodies) stamp(role, body);

  const newRoot = effective(d, 'root');
  if (!newRoot) throw new PlanError('the repository has no root');
  const signingOf = new Map<string, RoleProposal['signing']>();
  const rolesChangedKeys = (r: string): boolean => JSON.stringify(rootRole(newRoot, r)) !== JSON.stringify(oldRoot ? rootRole(oldRoot, r) : null);
  const targetsLike = [...d.bodies.keys()].filter((r) => !['root', 'snapshot', 'timestamp'].includes(r));

  if (dialect === 'tuf-1.0') {
    for (const r of ['snapshot', 'timestamp'] as const) signingOf.set(r, opts.offlineRoles?.includes(r) ? 'offline' : 'online');
    if (targetsLike.length > 0 || rolesChangedKeys('snapshot') || d.bodies.has('snapshot')) {
      const old = loaded.signed.get('snapshot');
      const meta: JsonObject = old && isObj(old['meta']) ? clone(old['meta']) : {};
      for (const r of targetsLike) meta[metaName(dialect, r)] = { version: d.bodies.get(r)!['version'] as number };
      const body = buildSnapshot(dialect, { version: 0, expires: '', meta: {} });
      body['meta'] = meta;
      stamp('snapshot', body);
      d.bodies.set('snapshot', body);
    }
    if (d.bodies.has('snapshot') || rolesChangedKeys('timestamp') || d.bodies.has('timestamp')) {
      const body = buildTimestamp(dialect, { version: 0, expires: '', snapshot: { version: d.bodies.get('snapshot')?.['version'] as number | undefined ?? versionOf(loaded.signed.get('snapshot')) } });
      stamp('timestamp', body);
      d.bodies.set('timestamp', body);
    }
  } else {
    const snapMode = notarySigning(loaded.state, newRoot, 'snapshot', env);
    d.bodies.delete('snapshot');
    d.bodies.delete('timestamp');
    d.notes.push(
      snapMode === 'server'
        ? { role: 'snapshot', kind: 'other', summary: 'snapshot and timestamp: re-signed by the Notary server when the new metadata is published' }
        : { role: 'snapshot', kind: 'other', summary: 'snapshot: signed offline in a second step over the final files (notarySnapshotStep); timestamp: by the Notary server' },
    );
  }

  const keys = new Map<string, CeremonyKey>(loaded.keys);
  for (const k of d.newKeys) keys.set(k.keyid, k);

  const requirements = (role: string): ThresholdRequirement[] => roleRequirements(d, role, oldRoot, newRoot);

  const roles: RoleProposal[] = [...d.bodies.entries()]
    .sort((a, b) => rank(a[0]) - rank(b[0]) || a[0].localeCompare(b[0]))
    .map(([role, body]) => ({
      role,
      version: body['version'] as number,
      expires: body['expires'] as string,
      signed: body,
      payloadSha256: payloadSha256(body, env.crypto),
      requirements: requirements(role),
      signing: signingOf.get(role) ?? 'offline',
    }));

  const checks = roleChecks(loaded, roles, keys, env);

  const keyList = [...keys.values()];
  const diff = [...diffProposal(loaded.signed, roles, keyList), ...d.notes];
  return {
    ceremonyId: opts.ceremonyId ?? ceremonyIdFor(d, env, roles),
    kind: d.kind,
    dialect,
    repository: loaded.name,
    basis: { nonce: loaded.state.nonce, rootVersion: oldRoot ? versionOf(oldRoot) : 0 },
    roles,
    keys: keyList,
    diff,
    checks,
  };
}

import type { CryptoProvider } from '../tuf/crypto';
import { fromHex, toBase64, toHex } from '../tuf/encoding';
import type { Dialect, JsonObject, TopLevelRole } from '../tuf/model';
import type { CeremonyKey } from './types';

/** Metadata bodies (`signed`) for both dialects, exactly the fields python-tuf / notary write. */

export interface RoleKeys {
  keyids: string[];
  threshold: number;
}

export interface RootParams {
  version: number;
  expires: string;
  keys: readonly CeremonyKey[];
  roles: Record<TopLevelRole, RoleKeys>;
  /** TUF only (Notary is always false). Default true. */
  consistentSnapshot?: boolean;
  specVersion?: string;
}

const DEFAULT_SPEC = '1.0.31';

function keyMap(keys: readonly CeremonyKey[]): JsonObject {
  const out: JsonObject = {};
  for (const k of keys) out[k.keyid] = k.keyObject;
  return out;
}

function roleJson(r: RoleKeys): JsonObject {
  return { keyids: [...r.keyids], threshold: r.threshold };
}

export function buildRoot(dialect: Dialect, p: RootParams): JsonObject {
  const roles: JsonObject = {
    root: roleJson(p.roles.root),
    snapshot: roleJson(p.roles.snapshot),
    targets: roleJson(p.roles.targets),
    timestamp: roleJson(p.roles.timestamp),
  };
  if (dialect === 'notary-v1') {
    return { _type: 'Root', consistent_snapshot: false, expires: p.expires, keys: keyMap(p.keys), roles, version: p.version };
  }
  return {
    _type: 'root',
    consistent_snapshot: p.consistentSnapshot ?? true,
    expires: p.expires,
    keys: keyMap(p.keys),
    roles,
    spec_version: p.specVersion ?? DEFAULT_SPEC,
    version: p.version,
  };
}

/** A target as the ceremony knows it: length and hex hashes (converted to base64 for Notary). */
export interface TargetMeta {
  length: number;
  hashes: Record<string, string>;
  custom?: JsonObject;
}

export interface DelegationSpec {
  name: string;
  keyids: string[];
  threshold: number;
  paths: string[];
  terminating?: boolean;
}

export interface TargetsParams {
  version: number;
  expires: string;
  targets?: Record<string, TargetMeta>;
  delegations?: { keys: readonly CeremonyKey[]; roles: readonly DelegationSpec[] } | null;
  specVersion?: string;
}

export function targetJson(dialect: Dialect, t: TargetMeta): JsonObject {
  const hashes: JsonObject = {};
  for (const [alg, hex] of Object.entries(t.hashes)) {
    const bytes = fromHex(hex);
    hashes[alg] = dialect === 'notary-v1' && bytes !== null ? toBase64(bytes) : hex.toLowerCase();
  }
  const out: JsonObject = { hashes, length: t.length };
  if (t.custom !== undefined) out['custom'] = t.custom;
  return out;
}

export function delegationRoleJson(dialect: Dialect, d: DelegationSpec): JsonObject {
  if (dialect === 'notary-v1') return { keyids: [...d.keyids], name: d.name, paths: [...d.paths], threshold: d.threshold };
  return { keyids: [...d.keyids], name: d.name, paths: [...d.paths], terminating: d.terminating ?? false, threshold: d.threshold };
}

export function buildTargets(dialect: Dialect, p: TargetsParams): JsonObject {
  const targets: JsonObject = {};
  for (const [path, t] of Object.entries(p.targets ?? {})) targets[path] = targetJson(dialect, t);
  const delegations: JsonObject | null = p.delegations
    ? { keys: keyMap(p.delegations.keys), roles: p.delegations.roles.map((d) => delegationRoleJson(dialect, d)) }
    : null;
  if (dialect === 'notary-v1') {
    // Notary always writes a delegations object.
    return { _type: 'Targets', delegations: delegations ?? { keys: {}, roles: [] }, expires: p.expires, targets, version: p.version };
  }
  const out: JsonObject = { _type: 'targets', expires: p.expires, spec_version: p.specVersion ?? DEFAULT_SPEC, targets, version: p.version };
  if (delegations) out['delegations'] = delegations;
  return out;
}

/** One `meta` entry: TUF `{version[,length,hashes]}` (hex), Notary `{length,hashes}` (base64). */
export interface MetaEntry {
  version?: number;
  length?: number;
  /** Algorithm → lower-case hex. */
  hashes?: Record<string, string>;
}

export function metaEntryJson(dialect: Dialect, m: MetaEntry): JsonObject {
  const out: JsonObject = {};
  if (m.hashes) {
    const hashes: JsonObject = {};
    for (const [alg, hex] of Object.entries(m.hashes)) {
      const bytes = fromHex(hex);
      hashes[alg] = dialect === 'notary-v1' && bytes !== null ? toBase64(bytes) : hex;
    }
    out['hashes'] = hashes;
  }
  if (m.length !== undefined) out['length'] = m.length;
  if (dialect === 'tuf-1.0') out['version'] = m.version ?? 1;
  return out;
}

/** Meta entry for exact file bytes: Notary sha256+sha512+length; TUF version (plus length/sha256 when asked). */
export function metaEntryForBytes(dialect: Dialect, bytes: Uint8Array, version: number, crypto: CryptoProvider, withHashes = false): MetaEntry {
  if (dialect === 'notary-v1') {
    return { length: bytes.length, hashes: { sha256: toHex(crypto.sha256(bytes)), sha512: toHex(crypto.sha512(bytes)) } };
  }
  return withHashes ? { version, length: bytes.length, hashes: { sha256: toHex(crypto.sha256(bytes)) } } : { version };
}

/** File name a role has in snapshot `meta`: TUF `targets.json`, Notary `targets/releases`. */
export function metaName(dialect: Dialect, role: string): string {
  return dialect === 'notary-v1' ? role : `${role}.json`;
}

export function buildSnapshot(dialect: Dialect, p: { version: number; expires: string; meta: Record<string, MetaEntry>; specVersion?: string }): JsonObject {
  const meta: JsonObject = {};
  for (const [name, m] of Object.entries(p.meta)) meta[name] = metaEntryJson(dialect, m);
  if (dialect === 'notary-v1') return { _type: 'Snapshot', expires: p.expires, meta, version: p.version };
  return { _type: 'snapshot', expires: p.expires, meta, spec_version: p.specVersion ?? DEFAULT_SPEC, version: p.version };
}

export function buildTimestamp(dialect: Dialect, p: { version: number; expires: string; snapshot: MetaEntry; specVersion?: string }): JsonObject {
  const meta: JsonObject = { [metaName(dialect, 'snapshot')]: metaEntryJson(dialect, p.snapshot) };
  if (dialect === 'notary-v1') return { _type: 'Timestamp', expires: p.expires, meta, version: p.version };
  return { _type: 'timestamp', expires: p.expires, meta, spec_version: p.specVersion ?? DEFAULT_SPEC, version: p.version };
}

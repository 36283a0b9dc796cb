import type { Dialect, JsonObject, MetaFile, Root, Signed, SignedType, Snapshot, TargetFile, Targets, Timestamp } from './model';
import { base64ToHex, normalizeHex } from './encoding';
import { bool, checkSpecVersion, copyJson, describe, formatError, int, isObject, obj, parseExpires, ptr, str, unrecognized } from './fields';
import { parseDelegations, parseKeys, parseRootRoles } from './parse-keys-roles';

/** `signed` object -> model, for both dialects. Paths in errors are rooted at `/signed`. */

const TYPE_NAMES: Record<Dialect, Record<SignedType, string>> = {
  'tuf-1.0': { root: 'root', targets: 'targets', snapshot: 'snapshot', timestamp: 'timestamp' },
  'notary-v1': { root: 'Root', targets: 'Targets', snapshot: 'Snapshot', timestamp: 'Timestamp' },
};

/** Dialect and role type from `_type`: `Root` etc. is Notary, lower-case is TUF 1.0. */
export function detectType(signed: JsonObject, path = '/signed'): { dialect: Dialect; type: SignedType } {
  const t = signed['_type'];
  for (const dialect of ['tuf-1.0', 'notary-v1'] as const) {
    for (const [type, name] of Object.entries(TYPE_NAMES[dialect])) {
      if (t === name) return { dialect, type: type as SignedType };
    }
  }
  throw formatError(ptr(path, '_type'), `unknown metadata type ${describe(t)}`);
}

export interface ParseSignedOptions {
  strictExpires?: boolean;
  path?: string;
}

export function parseSigned(signed: JsonObject, dialect: Dialect, options: ParseSignedOptions = {}): Signed {
  const path = options.path ?? '/signed';
  const detected = detectType(signed, path);
  if (detected.dialect !== dialect) {
    throw formatError(ptr(path, '_type'), `_type ${JSON.stringify(signed['_type'])} does not belong to the ${dialect} dialect`);
  }
  const base = parseBase(signed, dialect, options.strictExpires ?? false, path);
  switch (detected.type) {
    case 'root':
      return parseRoot(signed, base, path);
    case 'targets':
      return parseTargets(signed, base, path);
    case 'snapshot':
    case 'timestamp':
      return parseMetaRole(signed, base, detected.type, path);
  }
}

type Base = Omit<Root, 'type' | 'consistentSnapshot' | 'keys' | 'roles'>;

const COMMON_FIELDS = ['_type', 'version', 'expires', 'spec_version'];

function parseBase(signed: JsonObject, dialect: Dialect, strictExpires: boolean, path: string): Base {
  const version = int(signed, 'version', path, 1);
  const expires = str(signed, 'expires', path);
  const parsed = parseExpires(expires, dialect, strictExpires, ptr(path, 'expires'));
  let specVersion: string | null = null;
  if (dialect === 'tuf-1.0') {
    specVersion = str(signed, 'spec_version', path);
    checkSpecVersion(specVersion, ptr(path, 'spec_version'));
  }
  return {
    dialect,
    typeField: signed['_type'] as string,
    version,
    expires,
    expiresAt: parsed.at,
    expiresStrict: parsed.strict,
    specVersion,
    unrecognized: {},
  };
}

function parseRoot(signed: JsonObject, base: Base, path: string): Root {
  const extra = unrecognized(signed, [...COMMON_FIELDS, 'consistent_snapshot', 'keys', 'roles'], path);
  const cs = signed['consistent_snapshot'] === undefined ? null : bool(signed, 'consistent_snapshot', path);
  const keys = parseKeys(obj(signed, 'keys', path), base.dialect, ptr(path, 'keys'));
  const roles = parseRootRoles(obj(signed, 'roles', path), ptr(path, 'roles'));
  return { ...base, type: 'root', unrecognized: extra, consistentSnapshot: cs, keys, roles };
}

function parseTargets(signed: JsonObject, base: Base, path: string): Targets {
  const extra = unrecognized(signed, [...COMMON_FIELDS, 'targets', 'delegations'], path);
  const targetsJson = obj(signed, 'targets', path);
  const targets = new Map<string, TargetFile>();
  const tp = ptr(path, 'targets');
  // for-in, not Object.entries: no 100k two-element arrays for the GC to collect.
  for (const name in targetsJson) {
    const value = targetsJson[name];
    const fast = isObject(value) ? fastTargetFile(name, value, base.dialect) : null;
    if (fast !== null) {
      targets.set(name, fast);
      continue;
    }
    const p = ptr(tp, name);
    if (!isObject(value)) throw formatError(p, `expected a target object, got ${describe(value)}`);
    targets.set(name, parseTargetFile(name, value, base.dialect, p));
  }
  const delegations =
    signed['delegations'] === undefined ? null : parseDelegations(obj(signed, 'delegations', path), base.dialect, ptr(path, 'delegations'));
  return { ...base, type: 'targets', unrecognized: extra, targets, delegations };
}

function hashToHex(v: string, dialect: Dialect): string | null {
  return dialect === 'tuf-1.0' ? normalizeHex(v) : base64ToHex(v);
}

const NO_FIELDS: JsonObject = Object.freeze({});

/**
 * The common well-formed target entry, checked without building JSON pointers (a 100 k-entry
 * targets file spends most of its time here otherwise). Anything unusual goes to the precise path.
 */
function fastTargetFile(name: string, o: JsonObject, dialect: Dialect): TargetFile | null {
  const length = o['length'];
  const h = o['hashes'];
  if (typeof length !== 'number' || !Number.isSafeInteger(length) || length < 0 || !isObject(h)) return null;
  let fields = 0;
  for (const k in o) {
    if (k !== 'length' && k !== 'hashes' && k !== 'custom') return null;
    fields++;
  }
  // Usually the hashes are already lower-case hex: then hashesHex is the same object as `hashes`
  // (a copy of the file's: the model never aliases signedJson).
  let hashesHex: Record<string, string> | null = null;
  let count = 0;
  for (const alg in h) {
    const v = h[alg];
    if (typeof v !== 'string') return null;
    const hex = hashToHex(v, dialect);
    if (hex === null) return null;
    if (hex !== v && hashesHex === null) {
      hashesHex = {};
      for (const done in h) {
        if (done === alg) break;
        hashesHex[done] = h[done] as string;
      }
    }
    if (hashesHex !== null) hashesHex[alg] = hex;
    count++;
  }
  if (count === 0 || fields < 2) return null;
  const hashes = { ...(h as Record<string, string>) };
  const custom = o['custom'];
  return { path: name, length, hashes, hashesHex: hashesHex ?? hashes, custom: custom === undefined ? undefined : copyJson(custom), unrecognized: NO_FIELDS };
}

function parseTargetFile(name: string, o: JsonObject, dialect: Dialect, path: string): TargetFile {
  const length = int(o, 'length', path, 0);
  const { hashes, hashesHex } = parseHashes(o, dialect, path, true);
  return {
    path: name,
    length,
    hashes: hashes ?? {},
    hashesHex: hashesHex ?? {},
    custom: o['custom'] === undefined ? undefined : copyJson(o['custom']),
    unrecognized: unrecognized(o, ['length', 'hashes', 'custom'], path),
  };
}

function parseHashes(
  o: JsonObject,
  dialect: Dialect,
  path: string,
  required: boolean,
): { hashes: Record<string, string> | null; hashesHex: Record<string, string> | null } {
  if (o['hashes'] === undefined && !required) return { hashes: null, hashesHex: null };
  const h = obj(o, 'hashes', path);
  const hp = ptr(path, 'hashes');
  const entries = Object.entries(h);
  if (entries.length === 0) throw formatError(hp, 'hashes is empty');
  const hashes: Record<string, string> = {};
  const hashesHex: Record<string, string> = {};
  for (const [alg, v] of entries) {
    if (typeof v !== 'string') throw formatError(ptr(hp, alg), `expected a string, got ${describe(v)}`);
    hashes[alg] = v;
    const hex = hashToHex(v, dialect);
    if (hex === null) throw formatError(ptr(hp, alg), `hash is not valid ${dialect === 'notary-v1' ? 'base64' : 'hex'}`);
    hashesHex[alg] = hex;
  }
  return { hashes, hashesHex };
}

function parseMetaFile(o: JsonObject, dialect: Dialect, path: string): MetaFile {
  // TUF requires `version` in meta; Notary meta carries length + hashes instead.
  const version = dialect === 'tuf-1.0' || o['version'] !== undefined ? int(o, 'version', path, 1) : null;
  const length = dialect === 'notary-v1' || o['length'] !== undefined ? int(o, 'length', path, 0) : null;
  const { hashes, hashesHex } = parseHashes(o, dialect, path, dialect === 'notary-v1');
  return { version, length, hashes, hashesHex, unrecognized: unrecognized(o, ['version', 'length', 'hashes'], path) };
}

function parseMetaRole(signed: JsonObject, base: Base, type: 'snapshot' | 'timestamp', path: string): Snapshot | Timestamp {
  const extra = unrecognized(signed, [...COMMON_FIELDS, 'meta'], path);
  const metaJson = obj(signed, 'meta', path);
  const mp = ptr(path, 'meta');
  const meta = new Map<string, MetaFile>();
  for (const [name, value] of Object.entries(metaJson)) {
    const p = ptr(mp, name);
    if (!isObject(value)) throw formatError(p, `expected a meta object, got ${describe(value)}`);
    meta.set(name, parseMetaFile(value, base.dialect, p));
  }
  if (type === 'timestamp') {
    const want = base.dialect === 'tuf-1.0' ? 'snapshot.json' : 'snapshot';
    if (!meta.has(want)) throw formatError(mp, `timestamp meta lacks ${JSON.stringify(want)}`);
    if (meta.size !== 1) throw formatError(mp, `timestamp meta must list only ${JSON.stringify(want)}`);
  }
  return { ...base, type, unrecognized: extra, meta };
}

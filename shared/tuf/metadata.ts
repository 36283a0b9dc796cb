import type {
  DelegatedRole,
  Dialect,
  Envelope,
  JsonObject,
  JsonValue,
  Key,
  MetaFile,
  ParseMetadataOptions,
  Role,
  Signature,
  Signed,
  SignedType,
} from './model';
import { DEFAULT_MAX_DEPTH } from './model';
import { fromBase64, fromHex } from './encoding';
import { describe, formatError, isObject, obj, ptr, str, unrecognized } from './fields';
import { detectType, parseSigned } from './parse-signed';
import { parseJsonBytes } from './strict-json';

export { detectType, parseSigned } from './parse-signed';

/**
 * Parse one metadata file: strict JSON (size/depth caps, duplicate keys) -> envelope -> model.
 * Throws MetadataParseError (bytes/JSON) or MetadataFormatError (shape). The envelope keeps the
 * exact bytes and the byte range of `signed` so hashes and signatures are checked on real bytes.
 */
export function parseMetadata<T extends SignedType = SignedType>(
  bytes: Uint8Array,
  options: ParseMetadataOptions & { expectedType?: T } = {},
): Envelope<Extract<Signed, { type: T }>> {
  const { value, members, canonicalMembers } = parseJsonBytes(bytes, {
    ...(options.maxBytes === undefined ? {} : { maxBytes: options.maxBytes }),
    maxDepth: options.maxDepth ?? DEFAULT_MAX_DEPTH,
  });
  if (!isObject(value)) throw formatError('', `metadata must be a JSON object, got ${describe(value)}`);
  const extra = unrecognized(value, ['signed', 'signatures'], '');
  const signedJson = obj(value, 'signed', '');
  const detected = detectType(signedJson);
  const dialect: Dialect = options.dialect ?? detected.dialect;
  if (options.expectedType !== undefined && detected.type !== options.expectedType) {
    throw formatError('/signed/_type', `expected ${options.expectedType} metadata, got ${JSON.stringify(signedJson['_type'])}`);
  }
  const signed = parseSigned(signedJson, dialect, options.strictExpires === undefined ? {} : { strictExpires: options.strictExpires });
  const signatures = parseSignatures(value['signatures'], dialect);
  const signedRange = members.get('signed');
  if (signedRange === undefined) throw formatError('/signed', 'missing');
  return {
    dialect,
    signed: signed as Extract<Signed, { type: T }>,
    signedJson,
    signatures,
    bytes,
    signedRange,
    ...(canonicalMembers === undefined ? {} : { signedCanonical: canonicalMembers.has('signed') }),
    unrecognized: extra,
  };
}

function parseSignatures(v: JsonValue | undefined, dialect: Dialect): Signature[] {
  if (!Array.isArray(v)) throw formatError('/signatures', `expected an array, got ${describe(v)}`);
  return v.map((s, i) => {
    const p = ptr('/signatures', i);
    if (!isObject(s)) throw formatError(p, `expected a signature object, got ${describe(s)}`);
    const keyid = str(s, 'keyid', p);
    const sig = str(s, 'sig', p);
    const method = s['method'] === undefined ? null : str(s, 'method', p).toLowerCase();
    // TUF signatures are hex; Notary's are base64 ([]byte in Go).
    const sigBytes = dialect === 'notary-v1' ? fromBase64(sig) : fromHex(sig);
    return { keyid, sig, method, sigBytes, unrecognized: unrecognized(s, ['keyid', 'sig', 'method'], p), raw: s };
  });
}

// ---- model -> JSON (round-trips every fixture: fromJSON(x).toJSON() deep-equals x) ----

function keysToJSON(keys: ReadonlyMap<string, Key>): JsonObject {
  const out: JsonObject = {};
  for (const [id, key] of keys) out[id] = key.raw;
  return out;
}

function roleToJSON(r: Role): JsonObject {
  return { keyids: [...r.keyids], threshold: r.threshold, ...r.unrecognized };
}

function delegatedRoleToJSON(r: DelegatedRole, dialect: Dialect): JsonObject {
  const out: JsonObject = { name: r.name, ...roleToJSON(r) };
  if (r.paths !== null) out['paths'] = [...r.paths];
  if (r.pathHashPrefixes !== null) out['path_hash_prefixes'] = [...r.pathHashPrefixes];
  if (dialect === 'tuf-1.0') out['terminating'] = r.terminating;
  return out;
}

function metaFileToJSON(m: MetaFile): JsonObject {
  const out: JsonObject = { ...m.unrecognized };
  if (m.version !== null) out['version'] = m.version;
  if (m.length !== null) out['length'] = m.length;
  if (m.hashes !== null) out['hashes'] = { ...m.hashes };
  return out;
}

export function signedToJSON(s: Signed): JsonObject {
  const out: JsonObject = { _type: s.typeField, version: s.version, expires: s.expires, ...s.unrecognized };
  if (s.specVersion !== null) out['spec_version'] = s.specVersion;
  switch (s.type) {
    case 'root': {
      if (s.consistentSnapshot !== null) out['consistent_snapshot'] = s.consistentSnapshot;
      out['keys'] = keysToJSON(s.keys);
      const roles: JsonObject = {};
      for (const [name, role] of s.roles) roles[name] = roleToJSON(role);
      out['roles'] = roles;
      break;
    }
    case 'targets': {
      const targets: JsonObject = {};
      for (const [name, t] of s.targets) {
        const entry: JsonObject = { length: t.length, hashes: { ...t.hashes }, ...t.unrecognized };
        if (t.custom !== undefined) entry['custom'] = t.custom;
        targets[name] = entry;
      }
      out['targets'] = targets;
      if (s.delegations !== null) {
        const d = s.delegations;
        const dj: JsonObject = { keys: keysToJSON(d.keys), ...d.unrecognized };
        // TAP 15 succinct delegations carry no `roles` list.
        if (d.roles.length > 0 || d.unrecognized['succinct_roles'] === undefined) {
          dj['roles'] = d.roles.map((r) => delegatedRoleToJSON(r, s.dialect));
        }
        out['delegations'] = dj;
      }
      break;
    }
    case 'snapshot':
    case 'timestamp': {
      const meta: JsonObject = {};
      for (const [name, m] of s.meta) meta[name] = metaFileToJSON(m);
      out['meta'] = meta;
      break;
    }
  }
  return out;
}

export function envelopeToJSON(e: Envelope): JsonObject {
  return {
    signed: signedToJSON(e.signed),
    signatures: e.signatures.map((s) => {
      const out: JsonObject = { keyid: s.keyid, sig: s.sig, ...s.unrecognized };
      if (s.method !== null) out['method'] = (s.raw['method'] as string | undefined) ?? s.method;
      return out;
    }),
    ...e.unrecognized,
  };
}

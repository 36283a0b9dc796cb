import { createHash } from 'node:crypto';
import { canonicalize } from '../../shared/tuf/canonical-json';
import type { Dialect, JsonObject, JsonValue } from '../../shared/tuf/model';
import type { TestKey } from './test-keys';

/** Signing and byte encodings for built test repositories, as the real writers produce them. */

export type FileFormat = 'pretty' | 'canonical';

/** One signature per key over canonical(signed), in the dialect's shape. */
export function signWith(signed: JsonObject, keys: readonly TestKey[]): JsonObject[] {
  const message = canonicalize(signed);
  return keys.map((k) =>
    k.dialect === 'notary-v1' ? { keyid: k.keyid, method: k.method ?? '', sig: k.sign(message) } : { keyid: k.keyid, sig: k.sign(message) },
  );
}

/**
 * File bytes of an envelope.
 * - Notary: Go's `json.Marshal` of `{signed: RawMessage(canonical), signatures}`: compact, `signed` first.
 * - TUF `pretty`: python-tuf's JSONSerializer (`indent=1, sort_keys=True`, ASCII-escaped).
 * - TUF `canonical`: the whole envelope canonical (go-tuf style; enables the raw-bytes fast path).
 */
export function encodeEnvelope(dialect: Dialect, signed: JsonObject, signatures: JsonObject[], format: FileFormat): Uint8Array {
  if (dialect === 'notary-v1') {
    const sigs = signatures.map((s) => {
      const { keyid, method, sig, ...rest } = s;
      return { keyid, method, sig, ...rest };
    });
    const text = `{"signed":${new TextDecoder().decode(canonicalize(signed))},"signatures":${JSON.stringify(sigs)}}`;
    return new TextEncoder().encode(text);
  }
  if (format === 'canonical') return canonicalize({ signatures, signed });
  const text = JSON.stringify(sortDeep({ signatures, signed }), null, 1).replace(
    /[\u007f-\uffff]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
  return new TextEncoder().encode(text);
}

function sortDeep(v: JsonValue): JsonValue {
  if (Array.isArray(v)) return v.map(sortDeep);
  if (v !== null && typeof v === 'object') {
    const out: JsonObject = {};
    for (const k of Object.keys(v).sort()) out[k] = sortDeep(v[k]!);
    return out;
  }
  return v;
}

export function digest(alg: 'sha256' | 'sha512', data: Uint8Array, dialect: Dialect): string {
  return createHash(alg).update(data).digest(dialect === 'notary-v1' ? 'base64' : 'hex');
}

/** `{length, hashes}` for a file, hashes encoded per dialect (Notary base64, TUF hex). */
export function fileMeta(data: Uint8Array, dialect: Dialect, sha512 = true): JsonObject {
  const hashes: JsonObject = { sha256: digest('sha256', data, dialect) };
  if (sha512) hashes['sha512'] = digest('sha512', data, dialect);
  return { length: data.length, hashes };
}

export function formatExpires(d: Date, dialect: Dialect): string {
  // TUF writers emit whole seconds with Z; Notary's RFC3339Nano accepts the JS ISO form.
  return dialect === 'tuf-1.0' ? `${d.toISOString().slice(0, 19)}Z` : d.toISOString();
}

import { canonicalize, compareCodePoints } from '../tuf/canonical-json';
import type { CryptoProvider } from '../tuf/crypto';
import { toHex } from '../tuf/encoding';
import type { Dialect, JsonObject, JsonValue } from '../tuf/model';
import { concat } from './der';
import { utf8Bytes } from './pem';

/** The bytes every signature covers: canonical JSON of `signed` (both dialects). */
export function canonicalPayload(signed: JsonObject): Uint8Array {
  return canonicalize(signed);
}

export function payloadSha256(signed: JsonObject, crypto: CryptoProvider): string {
  return toHex(crypto.sha256(canonicalPayload(signed)));
}

export interface EnvelopeSignature {
  keyid: string;
  sig: string;
  method?: string | null;
}

/**
 * The metadata file bytes. Notary writes Go's `{"signed":…,"signatures":[{"keyid","method","sig"}]}`
 * (signed first, not canonical order); TUF is compact sorted-key `{"signatures":[{"keyid","sig"}],"signed":…}`.
 * Signatures are sorted by keyid so the same inputs always give the same bytes (a resumed ceremony
 * produces a file identical to an uninterrupted one).
 */
export function assembleEnvelope(dialect: Dialect, signed: JsonObject, signatures: readonly EnvelopeSignature[]): Uint8Array {
  const sorted = [...signatures].sort((a, b) => compareCodePoints(a.keyid, b.keyid));
  if (dialect === 'notary-v1') {
    const sigs = sorted.map((s) => ({ keyid: s.keyid, method: s.method ?? '', sig: s.sig }));
    return concat(utf8Bytes('{"signed":'), canonicalize(signed), utf8Bytes(',"signatures":'), canonicalize(sigs), utf8Bytes('}'));
  }
  return utf8Bytes(sortedJson({ signatures: sorted.map((s) => ({ keyid: s.keyid, sig: s.sig })), signed }));
}

/**
 * Compact JSON with keys in code-point order, as python-tuf's JSONSerializer(compact=True) writes
 * it. Not canonical JSON: canonical form leaves control characters raw (a PEM's newlines), which
 * no JSON parser accepts, so files escape them and signatures cover the canonical form.
 */
export function sortedJson(value: JsonValue): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(sortedJson).join(',')}]`;
  const keys = Object.keys(value).sort(compareCodePoints);
  return `{${keys.map((k) => `${JSON.stringify(k)}:${sortedJson(value[k]!)}`).join(',')}}`;
}

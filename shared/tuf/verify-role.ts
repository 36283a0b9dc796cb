import { canonicalize } from './canonical-json';
import { isCanonicalRange } from './canonical-check';
import type { CryptoProvider } from './crypto';
import { resolveSignatureMethod } from './crypto';
import type { Envelope, Key, RoleVerification, SignatureCheck } from './model';

/** What the signed message is taken from (an Envelope, or a byte scanner's minimal stand-in). */
export type SignedMessageSource = Pick<Envelope, 'signedJson' | 'bytes' | 'signedRange' | 'signedCanonical'>;

/** What signature verification reads from an envelope. */
export type SignedEnvelope = SignedMessageSource & Pick<Envelope, 'dialect' | 'signatures'>;

// Keyed by the parsed `signed` object, so copies of an envelope ({...env, signatures}) share it.
const messages = new WeakMap<object, Uint8Array>();

/**
 * The bytes signatures are over: canonical JSON of `signed` (both dialects; Notary re-canonicalises
 * too). When the file already holds canonical bytes for `signed`, those exact bytes are used without
 * re-encoding (perf.md: canonicalising costs twice the parse). Cached per envelope.
 */
export function signedMessage(envelope: SignedMessageSource): Uint8Array {
  // Known canonical: the byte range itself (no cache, and no read of a lazily parsed signedJson).
  if (envelope.signedCanonical === true) return envelope.bytes.subarray(envelope.signedRange.start, envelope.signedRange.end);
  const hit = messages.get(envelope.signedJson);
  if (hit) return hit;
  const { bytes, signedRange } = envelope;
  const canonical = envelope.signedCanonical ?? isCanonicalRange(bytes, signedRange.start, signedRange.end);
  const message = canonical
    ? bytes.subarray(signedRange.start, signedRange.end)
    : canonicalize(envelope.signedJson, signedRange.end - signedRange.start + 64);
  messages.set(envelope.signedJson, message);
  return message;
}

/** The role's keys by keyid (keyids absent from `keys` are left out: their signatures count as unknown). */
export function roleKeyMap(keys: ReadonlyMap<string, Key>, keyids: readonly string[]): Map<string, Key> {
  const out = new Map<string, Key>();
  for (const id of keyids) {
    const k = keys.get(id);
    if (k) out.set(id, k);
  }
  return out;
}

/**
 * Count valid signatures of one role over an envelope. Each distinct public key (by normalised
 * SPKI identity) counts once (catalogue #4/#5): a keyid signing twice, or a second keyid for an
 * already counted key, is reported in `duplicates` and not counted again.
 */
export function verifyRoleSignatures(
  envelope: SignedEnvelope,
  roleKeys: ReadonlyMap<string, Key>,
  threshold: number,
  crypto: CryptoProvider,
): RoleVerification {
  const message = signedMessage(envelope);
  const seenKeyids = new Set<string>();
  const counted = new Map<string, string>();
  const result: RoleVerification = { valid: 0, threshold, signers: [], invalid: [], unknown: [], duplicates: [], details: [] };
  const record = (check: SignatureCheck, list: string[] | null): void => {
    result.details.push(check);
    if (list && !list.includes(check.keyid)) list.push(check.keyid);
  };
  for (const sig of envelope.signatures) {
    const keyid = sig.keyid;
    if (sig.sig === '') {
      // tuf-on-ci writes `"sig": ""` placeholders for keyholders who have not signed yet.
      record({ keyid, status: 'empty', message: 'empty signature placeholder' }, null);
      continue;
    }
    if (seenKeyids.has(keyid)) {
      record({ keyid, status: 'duplicate', message: 'keyid signed more than once' }, result.duplicates);
      continue;
    }
    seenKeyids.add(keyid);
    const key = roleKeys.get(keyid);
    if (!key) {
      record({ keyid, status: 'unknown-key', message: 'keyid is not a key of this role' }, result.unknown);
      continue;
    }
    if (sig.sigBytes === null) {
      record({ keyid, status: 'malformed', message: `sig is not valid ${envelope.dialect === 'notary-v1' ? 'base64' : 'hex'}` }, result.invalid);
      continue;
    }
    const imported = crypto.importKey(key);
    if (!imported.ok) {
      record({ keyid, status: 'bad-key', message: imported.message }, result.invalid);
      continue;
    }
    const method = resolveSignatureMethod(envelope.dialect, key, imported.handle.info.algorithm, sig.method);
    if (!method.ok) {
      record({ keyid, status: 'unsupported-method', message: method.message }, result.invalid);
      continue;
    }
    if (!crypto.verify(imported.handle, method.method, sig.sigBytes, message)) {
      record({ keyid, status: 'invalid', message: 'signature does not verify' }, result.invalid);
      continue;
    }
    const identity = imported.handle.info.identity;
    const first = counted.get(identity);
    if (first !== undefined) {
      record({ keyid, status: 'duplicate', message: `same public key as ${first}` }, result.duplicates);
      continue;
    }
    counted.set(identity, keyid);
    record({ keyid, status: 'valid', message: null }, result.signers);
  }
  result.valid = result.signers.length;
  return result;
}

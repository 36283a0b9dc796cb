import { createHash, createPrivateKey, createPublicKey, generateKeyPair, type KeyObject } from 'node:crypto';
import { promisify } from 'node:util';

import { canonicalize } from '../../../shared/tuf/canonical-json';
import { toBase64, toHex } from '../../../shared/tuf/encoding';
import { notaryKeyObject } from '../../../shared/tuf/keys';
import type { JsonObject } from '../../../shared/tuf/model';
import { UnsupportedKeyAlgorithmError } from './errors';

const generateKeyPairAsync = promisify(generateKeyPair);

/** Software key algorithms Keyrite generates (issue 3: ed25519, ECDSA P-256, RSA ≥ 3072). */
export type KeyAlgorithm = 'ed25519' | 'ecdsa-p256' | 'rsa';

export const MIN_RSA_BITS = 3072;

export interface SoftwareKeyPair {
  algorithm: KeyAlgorithm;
  privateKey: KeyObject;
  publicKey: KeyObject;
}

export async function generateSoftwareKey(algorithm: KeyAlgorithm, options: { rsaBits?: number } = {}): Promise<SoftwareKeyPair> {
  switch (algorithm) {
    case 'ed25519': {
      const { privateKey, publicKey } = await generateKeyPairAsync('ed25519');
      return { algorithm, privateKey, publicKey };
    }
    case 'ecdsa-p256': {
      const { privateKey, publicKey } = await generateKeyPairAsync('ec', { namedCurve: 'P-256' });
      return { algorithm, privateKey, publicKey };
    }
    case 'rsa': {
      const bits = options.rsaBits ?? MIN_RSA_BITS;
      if (bits < MIN_RSA_BITS) throw new UnsupportedKeyAlgorithmError(`RSA keys must have at least ${MIN_RSA_BITS} bits, got ${bits}`);
      const { privateKey, publicKey } = await generateKeyPairAsync('rsa', { modulusLength: bits, publicExponent: 0x10001 });
      return { algorithm, privateKey, publicKey };
    }
  }
}

/** Classifies a node KeyObject; only the algorithms we can sign with in both dialects pass. */
export function algorithmOf(key: KeyObject): KeyAlgorithm {
  const type = key.asymmetricKeyType;
  if (type === 'ed25519') return 'ed25519';
  if (type === 'ec') {
    const curve = key.asymmetricKeyDetails?.namedCurve;
    if (curve === 'prime256v1' || curve === 'P-256') return 'ecdsa-p256';
    throw new UnsupportedKeyAlgorithmError(`EC curve ${curve ?? 'unknown'} (only P-256 is supported)`);
  }
  if (type === 'rsa') return 'rsa';
  throw new UnsupportedKeyAlgorithmError(type ?? 'unknown key type');
}

/** Public half of a private key (or the key itself when it is public). */
export function publicOf(key: KeyObject): KeyObject {
  return key.type === 'private' ? createPublicKey(key) : key;
}

/** SPKI DER of a public or private key. */
export function spkiDer(key: KeyObject): Buffer {
  return publicOf(key).export({ type: 'spki', format: 'der' });
}

/** Raw 32-byte Ed25519 public key (the last 32 bytes of its 44-byte SPKI). */
function ed25519Raw(key: KeyObject): Buffer {
  return spkiDer(key).subarray(-32);
}

/** Notary's key type name for an algorithm. */
export function notaryKeyType(algorithm: KeyAlgorithm): 'ed25519' | 'ecdsa' | 'rsa' {
  return algorithm === 'ecdsa-p256' ? 'ecdsa' : algorithm;
}

/** Notary's `public` field: base64 SPKI DER for ecdsa/rsa, base64 raw key for ed25519. */
export function notaryPublicB64(key: KeyObject): string {
  return algorithmOf(key) === 'ed25519' ? toBase64(ed25519Raw(key)) : toBase64(spkiDer(key));
}

/**
 * Notary's canonical key ID (`utils.CanonicalKeyID`) — the name of the key file in
 * `private/<id>.key`. Built with the same canonical-JSON code the metadata engine uses.
 */
export function notaryKeyId(key: KeyObject): string {
  const obj = notaryKeyObject(notaryKeyType(algorithmOf(key)), notaryPublicB64(key));
  return sha256Hex(canonicalize(obj));
}

/** The securesystemslib/python-tuf key object for a public key (TUF 1.0 dialect). */
export function tufKeyObject(key: KeyObject): JsonObject {
  const algorithm = algorithmOf(key);
  if (algorithm === 'ed25519') return { keytype: 'ed25519', scheme: 'ed25519', keyval: { public: ed25519Raw(key).toString('hex') } };
  const pem = publicOf(key).export({ type: 'spki', format: 'pem' }).toString();
  if (algorithm === 'ecdsa-p256') return { keytype: 'ecdsa', scheme: 'ecdsa-sha2-nistp256', keyval: { public: pem } };
  return { keytype: 'rsa', scheme: 'rsassa-pss-sha256', keyval: { public: pem } };
}

/** TUF 1.0 key ID: sha256 of the canonical key object (python-tuf / securesystemslib). */
export function tufKeyId(key: KeyObject): string {
  return sha256Hex(canonicalize(tufKeyObject(key)));
}

function sha256Hex(bytes: Uint8Array): string {
  return toHex(new Uint8Array(createHash('sha256').update(bytes).digest()));
}

/** True when two keys (public or private) have the same public key. */
export function samePublicKey(a: KeyObject, b: KeyObject): boolean {
  return spkiDer(a).equals(spkiDer(b));
}

/** Re-create a private key from PKCS#8 DER (used by the envelopes after decryption). */
export function privateKeyFromPkcs8(der: Uint8Array): KeyObject {
  return createPrivateKey({ key: Buffer.from(der), format: 'der', type: 'pkcs8' });
}

import { canonicalize } from './canonical-json';
import type { CryptoProvider, PublicKeyHandle } from './crypto';
import { toBase64, toHex } from './encoding';
import type { Dialect, JsonObject, Key } from './model';

/**
 * Key IDs. TUF: hex(sha256(canonical(key object as stored))), so extra fields such as
 * `keyid_hash_algorithms` or `x-tuf-on-ci-keyowner` are part of the hash (that is how tough and
 * go-tuf compute it, and why sigstore root v11 broke them). Notary: the ID of
 * `{"keytype","keyval":{"private":null,"public"}}`.
 */
export function computeKeyId(key: Pick<Key, 'keytype' | 'public' | 'raw'>, dialect: Dialect, crypto: CryptoProvider): string {
  const obj: JsonObject = dialect === 'notary-v1' ? notaryKeyObject(key.keytype, key.public) : key.raw;
  return toHex(crypto.sha256(canonicalize(obj)));
}

export function notaryKeyObject(keytype: string, publicB64: string): JsonObject {
  return { keytype, keyval: { private: null, public: publicB64 } };
}

/** keyid == sha256(canonical(key)) (catalogue #6). */
export function keyIdMatches(key: Key, dialect: Dialect, crypto: CryptoProvider): boolean {
  return computeKeyId(key, dialect, crypto) === key.keyid;
}

/**
 * Notary's canonical key ID (`utils.CanonicalKeyID`): for `ecdsa-x509`/`rsa-x509` keys, the ID of
 * the plain `ecdsa`/`rsa` key built from the leaf certificate's SPKI; the keyid itself otherwise.
 * Private key files are named by it, so it links a root cert key to its key file.
 */
export function notaryCanonicalKeyId(key: Key, handle: PublicKeyHandle, crypto: CryptoProvider): string {
  if (!key.keytype.endsWith('-x509')) return key.keyid;
  const plain = key.keytype.slice(0, -'-x509'.length);
  return toHex(crypto.sha256(canonicalize(notaryKeyObject(plain, toBase64(handle.info.spkiDer)))));
}

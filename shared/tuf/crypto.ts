/**
 * The crypto boundary. shared/ must stay pure (no node:crypto), so every hash, key import and
 * signature check goes through an injected CryptoProvider. The Node implementation is
 * electron/core/crypto/node-crypto-provider.ts; tests use the same one.
 */

/** Normalised key algorithm (matches KeyView.algorithm in the inspection report). */
export type KeyAlgorithm = 'ed25519' | 'ecdsa-p256' | 'ecdsa-p384' | 'rsa' | 'unknown';

/**
 * A signature algorithm after dialect rules are applied (see `resolveSignatureMethod`).
 * ECDSA hashes with SHA-256 on P-256 and SHA-384 on P-384 for TUF; Notary always uses SHA-256.
 */
export type VerifyMethod =
  | 'ed25519'
  | 'ecdsa-sha256-der'
  | 'ecdsa-sha384-der'
  | 'ecdsa-sha256-raw' // Notary `ecdsa`: fixed-width r‖s
  | 'rsa-pss-sha256' // salt length 32 = digest length (Notary: PSSSaltLengthEqualsHash)
  | 'rsa-pss-sha256-any-salt' // TUF: securesystemslib verifies with PSS.AUTO (any salt length)
  | 'rsa-pkcs1v15-sha256'; // Notary verify-only

/** What the provider needs from a metadata key (the model's Key satisfies this structurally). */
export interface KeyMaterial {
  keytype: string;
  /** TUF `scheme`; null for Notary keys. */
  scheme: string | null;
  /** `keyval.public` exactly as stored (hex, PEM, base64 DER or base64 PEM cert, per dialect). */
  public: string;
}

export interface CertInfo {
  subjectCN: string;
  issuerCN: string;
  /** ISO-8601 UTC. */
  notBefore: string;
  notAfter: string;
  selfSigned: boolean;
  /** e.g. `ecdsa-with-SHA256`, `sha256WithRSAEncryption`, `sha1WithRSAEncryption`. */
  signatureAlgorithm: string;
  /** The certificate is signed with SHA-1 (Notary rejects root certs like that). */
  sha1: boolean;
  /** Hex serial, upper-case as node:crypto reports it. */
  serialNumber: string;
  isCA: boolean;
}

export interface PublicKeyInfo {
  algorithm: KeyAlgorithm;
  /** RSA modulus bits or curve size; 256 for ed25519. Callers report WEAK_KEY for RSA < 2048. */
  bits: number | null;
  /** Why the key is weak (RSA < 2048 bits), or null. Weak keys still import so they can be reported. */
  weakReason: string | null;
  /** DER SubjectPublicKeyInfo of the (leaf) public key. */
  spkiDer: Uint8Array;
  spkiPem: string;
  /**
   * Normalised identity: hex sha256 of the SPKI DER. Two keyids naming the same public key
   * (PEM vs hex, different scheme, cert vs plain) share it, so a signer counts once.
   */
  identity: string;
  /** Leaf certificate for `*-x509` keys. */
  cert: CertInfo | null;
  /** Every certificate in the PEM bundle, leaf first (empty for plain keys). */
  chain: CertInfo[];
}

/** Opaque handle to an imported key; the provider caches its native key object behind it. */
export interface PublicKeyHandle {
  readonly info: PublicKeyInfo;
}

export type KeyImportFailure =
  | 'unsupported-keytype'
  | 'malformed' // junk PEM/hex/base64, trailing bytes, wrong DER
  | 'invalid-point' // off-curve or small-order point
  | 'algorithm-mismatch' // keytype says ecdsa but the bytes hold an RSA key, etc.
  | 'bad-certificate';

export type KeyImportResult =
  | { ok: true; handle: PublicKeyHandle }
  | { ok: false; reason: KeyImportFailure; message: string };

export interface CryptoProvider {
  sha256(data: Uint8Array): Uint8Array;
  sha512(data: Uint8Array): Uint8Array;
  /** Never throws: junk input is a `{ ok: false }` result. Results are cached per key material. */
  importKey(key: KeyMaterial): KeyImportResult;
  /** Never throws: a wrong method for the key, a malformed signature or a bad key give false. */
  verify(handle: PublicKeyHandle, method: VerifyMethod, signature: Uint8Array, message: Uint8Array): boolean;
}

/** Result of `resolveSignatureMethod`: the method, or why none applies. */
export type MethodResolution = { ok: true; method: VerifyMethod } | { ok: false; message: string };

/**
 * Pick the verification method for a signature.
 * - TUF: from the key's `scheme` (the signature has no method).
 * - Notary: from the signature's `method` (lower-cased), checked against the key algorithm.
 */
export function resolveSignatureMethod(
  dialect: 'notary-v1' | 'tuf-1.0',
  key: KeyMaterial,
  algorithm: KeyAlgorithm,
  signatureMethod: string | null,
): MethodResolution {
  if (dialect === 'tuf-1.0') {
    switch (key.scheme) {
      case 'ed25519':
        return algorithm === 'ed25519' ? { ok: true, method: 'ed25519' } : mismatch(key.scheme, algorithm);
      case 'ecdsa-sha2-nistp256':
        return algorithm === 'ecdsa-p256' ? { ok: true, method: 'ecdsa-sha256-der' } : mismatch(key.scheme, algorithm);
      case 'ecdsa-sha2-nistp384':
        return algorithm === 'ecdsa-p384' ? { ok: true, method: 'ecdsa-sha384-der' } : mismatch(key.scheme, algorithm);
      case 'rsassa-pss-sha256':
        return algorithm === 'rsa' ? { ok: true, method: 'rsa-pss-sha256-any-salt' } : mismatch(key.scheme, algorithm);
      case 'rsa-pkcs1v15-sha256':
        return algorithm === 'rsa' ? { ok: true, method: 'rsa-pkcs1v15-sha256' } : mismatch(key.scheme, algorithm);
      default:
        return { ok: false, message: `unsupported TUF signature scheme ${JSON.stringify(key.scheme)}` };
    }
  }
  const method = (signatureMethod ?? '').toLowerCase();
  switch (method) {
    case 'eddsa':
      return algorithm === 'ed25519' ? { ok: true, method: 'ed25519' } : mismatch(method, algorithm);
    case 'ecdsa':
      return algorithm === 'ecdsa-p256' || algorithm === 'ecdsa-p384'
        ? { ok: true, method: 'ecdsa-sha256-raw' }
        : mismatch(method, algorithm);
    case 'rsapss':
    case 'pycrypto-pkcs#1 pss':
      return algorithm === 'rsa' ? { ok: true, method: 'rsa-pss-sha256' } : mismatch(method, algorithm);
    case 'rsapkcs1v15':
      return algorithm === 'rsa' ? { ok: true, method: 'rsa-pkcs1v15-sha256' } : mismatch(method, algorithm);
    default:
      return { ok: false, message: `unsupported Notary signature method ${JSON.stringify(signatureMethod)}` };
  }
}

function mismatch(scheme: string, algorithm: KeyAlgorithm): MethodResolution {
  return { ok: false, message: `signature scheme ${JSON.stringify(scheme)} does not fit a ${algorithm} key` };
}

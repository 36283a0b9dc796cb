import { canonicalize } from '../tuf/canonical-json';
import type { CryptoProvider, PublicKeyHandle } from '../tuf/crypto';
import { toBase64, toHex } from '../tuf/encoding';
import { notaryKeyObject } from '../tuf/keys';
import { copyJson } from '../tuf/fields';
import type { Dialect, JsonObject, Key } from '../tuf/model';
import { PlanError } from './errors';
import { toPem, utf8Bytes } from './pem';
import type { CeremonyKey, SignerRef } from './types';

export type CeremonyAlgorithm = CeremonyKey['algorithm'];

/** A public key as the core hands it over (from a token, a key file, a partner's key). */
export interface PublicKeyInput {
  algorithm: CeremonyAlgorithm;
  spkiDer: Uint8Array;
  signer: SignerRef;
  holder?: string;
  tokenSerial?: string;
  label?: string;
}

/** Inventory facts used to name keys found in metadata (matched by hex sha256 of SPKI DER). */
export interface KnownKey {
  spkiSha256: string;
  signer: SignerRef;
  holder?: string;
  tokenSerial?: string;
  label?: string;
}

type Naming = Partial<Pick<CeremonyKey, 'holder' | 'tokenSerial' | 'label'>>;

function naming(src: Naming): Naming {
  const out: Naming = {};
  if (src.holder !== undefined) out.holder = src.holder;
  if (src.tokenSerial !== undefined) out.tokenSerial = src.tokenSerial;
  if (src.label !== undefined) out.label = src.label;
  return out;
}

export function keyIdOf(keyObject: JsonObject, crypto: CryptoProvider): string {
  return toHex(crypto.sha256(canonicalize(keyObject)));
}

/** TUF (securesystemslib) or Notary key object for a public key. */
export function keyObjectFor(dialect: Dialect, algorithm: CeremonyAlgorithm, spkiDer: Uint8Array): JsonObject {
  const raw25519 = (): Uint8Array => spkiDer.subarray(spkiDer.length - 32);
  if (dialect === 'notary-v1') {
    if (algorithm === 'ed25519') return notaryKeyObject('ed25519', toBase64(raw25519()));
    return notaryKeyObject(algorithm === 'rsa' ? 'rsa' : 'ecdsa', toBase64(spkiDer));
  }
  const pem = toPem('PUBLIC KEY', spkiDer);
  switch (algorithm) {
    case 'ed25519':
      return { keytype: 'ed25519', scheme: 'ed25519', keyval: { public: toHex(raw25519()) } };
    case 'ecdsa-p256':
      return { keytype: 'ecdsa', scheme: 'ecdsa-sha2-nistp256', keyval: { public: pem } };
    case 'ecdsa-p384':
      return { keytype: 'ecdsa', scheme: 'ecdsa-sha2-nistp384', keyval: { public: pem } };
    case 'rsa':
      return { keytype: 'rsa', scheme: 'rsassa-pss-sha256', keyval: { public: pem } };
  }
}

export function ceremonyKeyFromSpki(dialect: Dialect, input: PublicKeyInput, crypto: CryptoProvider): CeremonyKey {
  const keyObject = keyObjectFor(dialect, input.algorithm, input.spkiDer);
  return {
    keyid: keyIdOf(keyObject, crypto),
    keyObject,
    publicKeyPem: toPem('PUBLIC KEY', input.spkiDer),
    algorithm: input.algorithm,
    signer: input.signer,
    ...naming(input),
  };
}

/** Notary root key: the self-signed cert as `ecdsa-x509`/`rsa-x509`, keyid = ID of that object. */
export function notaryRootKeyFromCert(certPem: string, signer: SignerRef, crypto: CryptoProvider, extra: Naming = {}): CeremonyKey {
  const pem = certPem.endsWith('\n') ? certPem : `${certPem}\n`;
  const probe = notaryKeyObject('ecdsa-x509', toBase64(utf8Bytes(pem)));
  const handle = importOrThrow(crypto, probe, 'notary-v1');
  const keytype = handle.info.algorithm === 'rsa' ? 'rsa-x509' : 'ecdsa-x509';
  return ceremonyKeyFromObject('notary-v1', notaryKeyObject(keytype, toBase64(utf8Bytes(pem))), crypto, { signer, ...extra });
}

export function keyMaterialOf(keyObject: JsonObject): { keytype: string; scheme: string | null; public: string } {
  const keyval = keyObject['keyval'];
  const pub = typeof keyval === 'object' && keyval !== null && !Array.isArray(keyval) ? keyval['public'] : undefined;
  return {
    keytype: typeof keyObject['keytype'] === 'string' ? keyObject['keytype'] : '',
    scheme: typeof keyObject['scheme'] === 'string' ? keyObject['scheme'] : null,
    public: typeof pub === 'string' ? pub : '',
  };
}

function importOrThrow(crypto: CryptoProvider, keyObject: JsonObject, dialect: Dialect): PublicKeyHandle {
  const imported = crypto.importKey(keyMaterialOf(keyObject));
  if (!imported.ok) {
    throw new PlanError(`cannot read ${dialect} key ${JSON.stringify(keyObject['keytype'])}: ${imported.message}`, { reason: imported.reason });
  }
  return imported.handle;
}

/** A key object from metadata or RepoState.serverKeys, as a CeremonyKey (named from `known` when it matches). */
export function ceremonyKeyFromObject(
  dialect: Dialect,
  keyObject: JsonObject,
  crypto: CryptoProvider,
  meta: Naming & { signer?: SignerRef; keyid?: string } = {},
  known: readonly KnownKey[] = [],
): CeremonyKey {
  const handle = importOrThrow(crypto, keyObject, dialect);
  const info = handle.info;
  if (info.algorithm === 'unknown') throw new PlanError(`unsupported key algorithm in ${JSON.stringify(keyObject['keytype'])} key`);
  const match = known.find((k) => k.spkiSha256 === info.identity);
  const computed = dialect === 'notary-v1' ? keyIdOf(notaryKeyObject(keyMaterialOf(keyObject).keytype, keyMaterialOf(keyObject).public), crypto) : keyIdOf(keyObject, crypto);
  return {
    keyid: meta.keyid ?? computed,
    // A copy: the object often comes from a parsed body (whose bytes are signed) and travels on into
    // new bodies and proposals; it must never be the file's own object.
    keyObject: copyJson(keyObject),
    publicKeyPem: info.spkiPem,
    algorithm: info.algorithm,
    signer: meta.signer ?? match?.signer ?? { kind: 'external' },
    ...naming(match ?? {}),
    ...naming(meta),
  };
}

/** Public-key identity (hex sha256 of SPKI DER): the same key under two keyids has one identity. */
export function keyIdentity(key: CeremonyKey, crypto: CryptoProvider): string {
  return importOrThrow(crypto, key.keyObject, 'tuf-1.0').info.identity;
}

/** Notary canonical key ID (private key file name) of a root cert key; the keyid otherwise. */
export function notaryCanonicalId(key: CeremonyKey, crypto: CryptoProvider): string {
  const kt = keyMaterialOf(key.keyObject).keytype;
  if (!kt.endsWith('-x509')) return key.keyid;
  const handle = importOrThrow(crypto, key.keyObject, 'notary-v1');
  return keyIdOf(notaryKeyObject(kt.slice(0, -5), toBase64(handle.info.spkiDer)), crypto);
}

/** The metadata model's Key for a CeremonyKey (what shared/tuf verifyRoleSignatures takes). */
export function toModelKey(key: CeremonyKey): Key {
  const m = keyMaterialOf(key.keyObject);
  const algos = key.keyObject['keyid_hash_algorithms'];
  return {
    keyid: key.keyid,
    keytype: m.keytype,
    scheme: m.scheme,
    public: m.public,
    keyidHashAlgorithms: Array.isArray(algos) ? algos.filter((a): a is string => typeof a === 'string') : null,
    raw: key.keyObject,
  };
}

/** Short display of a keyid. */
export function shortId(keyid: string): string {
  return `${keyid.slice(0, 8)}…`;
}

/** "3f2a1b4c… (token 1234567, Alice)": people read serials and names, not keyids. */
export function describeKey(key: Pick<CeremonyKey, 'keyid' | 'holder' | 'tokenSerial' | 'label' | 'signer'>): string {
  const parts: string[] = [];
  if (key.tokenSerial !== undefined) parts.push(`token ${key.tokenSerial}`);
  else if (key.signer.kind === 'token') parts.push(`token ${key.signer.tokenSerial}`);
  else if (key.signer.kind === 'file') parts.push('key file');
  if (key.holder !== undefined) parts.push(key.holder);
  if (key.label !== undefined && key.holder === undefined) parts.push(key.label);
  return parts.length > 0 ? `${shortId(key.keyid)} (${parts.join(', ')})` : shortId(key.keyid);
}

import { createCipheriv, createDecipheriv, createHmac, createPublicKey, randomBytes, scrypt, timingSafeEqual, type KeyObject } from 'node:crypto';

import { canonicalize } from '../../../shared/tuf/canonical-json';
import type { JsonObject } from '../../../shared/tuf/model';
import {
  KeyFileMalformedError,
  KeyFileTamperedError,
  KeyFileTruncatedError,
  KeyMismatchError,
  UnsupportedCipherError,
  UnsupportedKeyAlgorithmError,
  UnsupportedKeyFileVersionError,
  WeakKdfParametersError,
  WrongPassphraseError,
} from './errors';
import { assertNewPassphrase, passphraseBytes } from './passphrase';
import { algorithmOf, notaryKeyId, privateKeyFromPkcs8, samePublicKey, spkiDer, type KeyAlgorithm } from './software-keys';

/**
 * Keyrite's own encrypted key file (issue 3, security.md §6 #42).
 *
 * A JSON envelope: scrypt (memory-hard) derives 64 bytes from the passphrase and a random salt;
 * the first 32 are the AEAD key, the last 32 key an HMAC "passphrase check". Everything but the
 * ciphertext and tag — format, version, KDF parameters, cipher, key identity, check — is the AEAD's
 * associated data (in canonical JSON), so an edited header fails authentication like an edited
 * ciphertext. The check value only lets us tell "wrong passphrase" from "file modified": it adds
 * nothing for an attacker, who can already test a guess against the AEAD tag at the same scrypt cost.
 */
export const KEYRITE_KEY_FORMAT = 'keyrite-encrypted-key';
export const KEYRITE_KEY_VERSION = 1;

export type AeadCipher = 'aes-256-gcm' | 'chacha20-poly1305';
const CIPHERS: readonly AeadCipher[] = ['aes-256-gcm', 'chacha20-poly1305'];
const KEY_ALGORITHMS: readonly KeyAlgorithm[] = ['ed25519', 'ecdsa-p256', 'rsa'];

export interface ScryptParams {
  /** log2 of the CPU/memory cost N. */
  logN: number;
  r: number;
  p: number;
}

/** Minimum accepted on read and the default on write: N = 2^17, r = 8, p = 1 (≈128 MiB). */
export const KDF_MINIMUM: Readonly<ScryptParams> = { logN: 17, r: 8, p: 1 };
/** Upper bounds: a hostile file must not make us allocate gigabytes or spin for minutes. */
const KDF_MAXIMUM = { logN: 22, r: 32, p: 16, memoryBytes: 1024 * 1024 * 1024 };
const SALT_BYTES = 16;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
const CHECK_CONTEXT = Buffer.from('keyrite key file passphrase check v1', 'utf8');

export interface KeyFileIdentity {
  /** Notary canonical key ID (also the file name). */
  id: string;
  role: string | null;
  gun: string | null;
  algorithm: KeyAlgorithm;
  /** base64 SPKI DER. */
  publicKey: string;
  label: string | null;
}

export interface KeyFileHeader {
  format: typeof KEYRITE_KEY_FORMAT;
  version: number;
  key: KeyFileIdentity;
  kdf: ScryptParams & { name: 'scrypt'; salt: string };
  cipher: { name: AeadCipher; nonce: string };
  check: string;
}

export interface KeyFileEnvelope extends KeyFileHeader {
  ciphertext: string;
  tag: string;
}

export interface DecryptedKey {
  privateKey: KeyObject;
  identity: KeyFileIdentity;
}

export interface EncryptOptions {
  role?: string | null;
  gun?: string | null;
  label?: string | null;
  kdf?: Partial<ScryptParams>;
  cipher?: AeadCipher;
}

export async function encryptKeyFile(privateKey: KeyObject, passphrase: string, options: EncryptOptions = {}): Promise<string> {
  assertNewPassphrase(passphrase);
  const kdf = { ...KDF_MINIMUM, ...options.kdf };
  checkKdfPolicy(kdf, null);
  const cipher = options.cipher ?? 'aes-256-gcm';
  const salt = randomBytes(SALT_BYTES);
  const nonce = randomBytes(NONCE_BYTES);
  const derived = await deriveKeys(passphrase, salt, kdf);
  try {
    const key: KeyFileIdentity = {
      id: notaryKeyId(privateKey),
      role: options.role ?? null,
      gun: options.gun ?? null,
      algorithm: algorithmOf(privateKey),
      publicKey: spkiDer(privateKey).toString('base64'),
      label: options.label ?? null,
    };
    const header: KeyFileHeader = {
      format: KEYRITE_KEY_FORMAT,
      version: KEYRITE_KEY_VERSION,
      key,
      kdf: { name: 'scrypt', ...kdf, salt: salt.toString('base64') },
      cipher: { name: cipher, nonce: nonce.toString('base64') },
      check: passphraseCheck(derived.checkKey).toString('base64'),
    };
    const plaintext = privateKey.export({ type: 'pkcs8', format: 'der' });
    try {
      // Both AEADs share the GCM call shape (setAAD, 16-byte tag); the cast only picks that overload.
      const aead = createCipheriv(cipher as 'aes-256-gcm', derived.encKey, nonce, { authTagLength: TAG_BYTES });
      aead.setAAD(headerAad(header));
      const ciphertext = Buffer.concat([aead.update(plaintext), aead.final()]);
      const tag = aead.getAuthTag();
      // Prove the round trip before anyone stores this: open it again with the same derived key.
      const check = createDecipheriv(cipher as 'aes-256-gcm', derived.encKey, nonce, { authTagLength: TAG_BYTES });
      check.setAAD(headerAad(header));
      check.setAuthTag(tag);
      const reopened = Buffer.concat([check.update(ciphertext), check.final()]);
      if (!reopened.equals(plaintext)) throw new KeyMismatchError('the sealed key does not reopen to the same bytes');
      reopened.fill(0);
      const envelope: KeyFileEnvelope = { ...header, ciphertext: ciphertext.toString('base64'), tag: tag.toString('base64') };
      return `${JSON.stringify(envelope, null, 2)}\n`;
    } finally {
      plaintext.fill(0);
    }
  } finally {
    derived.encKey.fill(0);
    derived.checkKey.fill(0);
  }
}

/** Parses and validates the envelope without the passphrase (listing, policy checks). */
export function readKeyFileHeader(data: string | Uint8Array, filePath: string | null = null): KeyFileEnvelope {
  const text = typeof data === 'string' ? data : Buffer.from(data).toString('utf8');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    // A JSON document cut anywhere before its closing brace: an interrupted copy.
    if (text.trimStart().startsWith('{') && !text.trimEnd().endsWith('}')) throw new KeyFileTruncatedError('the JSON envelope ends early', filePath);
    throw new KeyFileMalformedError('not a JSON key envelope', filePath, { cause: error });
  }
  return validateEnvelope(json, filePath);
}

export async function decryptKeyFile(data: string | Uint8Array, passphrase: string, filePath: string | null = null): Promise<DecryptedKey> {
  const envelope = readKeyFileHeader(data, filePath);
  const derived = await deriveKeys(passphrase, Buffer.from(envelope.kdf.salt, 'base64'), envelope.kdf);
  try {
    const expectedCheck = Buffer.from(envelope.check, 'base64');
    if (!timingSafeEqual(passphraseCheck(derived.checkKey), expectedCheck)) throw new WrongPassphraseError(filePath);
    const header: KeyFileHeader = {
      format: envelope.format,
      version: envelope.version,
      key: envelope.key,
      kdf: envelope.kdf,
      cipher: envelope.cipher,
      check: envelope.check,
    };
    let plaintext: Buffer;
    try {
      const aead = createDecipheriv(envelope.cipher.name as 'aes-256-gcm', derived.encKey, Buffer.from(envelope.cipher.nonce, 'base64'), { authTagLength: TAG_BYTES });
      aead.setAAD(headerAad(header));
      aead.setAuthTag(Buffer.from(envelope.tag, 'base64'));
      plaintext = Buffer.concat([aead.update(Buffer.from(envelope.ciphertext, 'base64')), aead.final()]);
    } catch {
      // The passphrase check passed, so a failing tag means the bytes changed, not the passphrase.
      throw new KeyFileTamperedError(filePath);
    }
    try {
      const privateKey = privateKeyFromPkcs8(plaintext);
      const recorded = createPublicKey({ key: Buffer.from(envelope.key.publicKey, 'base64'), format: 'der', type: 'spki' });
      if (!samePublicKey(privateKey, recorded)) throw new KeyMismatchError('private key does not match the recorded public key', filePath);
      if (notaryKeyId(privateKey) !== envelope.key.id) throw new KeyMismatchError('key ID does not match the private key', filePath);
      return { privateKey, identity: envelope.key };
    } finally {
      plaintext.fill(0);
    }
  } finally {
    derived.encKey.fill(0);
    derived.checkKey.fill(0);
  }
}

function headerAad(header: KeyFileHeader): Uint8Array {
  return canonicalize(header as unknown as JsonObject);
}

function passphraseCheck(checkKey: Buffer): Buffer {
  return createHmac('sha256', checkKey).update(CHECK_CONTEXT).digest();
}

async function deriveKeys(passphrase: string, salt: Buffer, params: ScryptParams): Promise<{ encKey: Buffer; checkKey: Buffer }> {
  const N = 2 ** params.logN;
  const password = passphraseBytes(passphrase);
  try {
    const out = await new Promise<Buffer>((resolve, reject) =>
      scrypt(password, salt, 64, { N, r: params.r, p: params.p, maxmem: 2 * 128 * N * params.r + 1024 * 1024 }, (error, key) =>
        error ? reject(error) : resolve(key),
      ),
    );
    return { encKey: out.subarray(0, 32), checkKey: out.subarray(32) };
  } finally {
    password.fill(0);
  }
}

export function checkKdfPolicy(params: ScryptParams, filePath: string | null): void {
  const { logN, r, p } = params;
  if (![logN, r, p].every((v) => Number.isSafeInteger(v) && v > 0)) throw new WeakKdfParametersError('logN, r and p must be positive integers', filePath);
  if (logN < KDF_MINIMUM.logN) throw new WeakKdfParametersError(`scrypt N = 2^${logN} is below the minimum 2^${KDF_MINIMUM.logN}`, filePath);
  if (r < KDF_MINIMUM.r) throw new WeakKdfParametersError(`scrypt r = ${r} is below the minimum ${KDF_MINIMUM.r}`, filePath);
  if (p < KDF_MINIMUM.p) throw new WeakKdfParametersError(`scrypt p = ${p} is below the minimum ${KDF_MINIMUM.p}`, filePath);
  if (logN > KDF_MAXIMUM.logN || r > KDF_MAXIMUM.r || p > KDF_MAXIMUM.p || 128 * 2 ** logN * r > KDF_MAXIMUM.memoryBytes) {
    throw new WeakKdfParametersError(`scrypt parameters N = 2^${logN}, r = ${r}, p = ${p} exceed the resource limits`, filePath);
  }
}

function validateEnvelope(json: unknown, filePath: string | null): KeyFileEnvelope {
  const malformed = (detail: string): KeyFileMalformedError => new KeyFileMalformedError(detail, filePath);
  if (!isObject(json)) throw malformed('the envelope is not a JSON object');
  if (json.format !== KEYRITE_KEY_FORMAT) throw malformed(`format is not "${KEYRITE_KEY_FORMAT}"`);
  if (json.version !== KEYRITE_KEY_VERSION) throw new UnsupportedKeyFileVersionError(json.version, filePath);
  const { kdf, cipher, key } = json;
  if (!isObject(cipher) || typeof cipher.name !== 'string') throw malformed('missing cipher');
  if (!CIPHERS.includes(cipher.name as AeadCipher)) throw new UnsupportedCipherError(cipher.name, filePath);
  if (!isObject(kdf) || typeof kdf.name !== 'string') throw malformed('missing kdf');
  if (kdf.name !== 'scrypt') throw new WeakKdfParametersError(`KDF "${kdf.name}" is not accepted (only scrypt)`, filePath);
  checkKdfPolicy({ logN: kdf.logN as number, r: kdf.r as number, p: kdf.p as number }, filePath);
  const salt = base64Field(kdf.salt, 'kdf.salt', filePath);
  if (salt.length < SALT_BYTES) throw new WeakKdfParametersError(`salt is ${salt.length} bytes, minimum ${SALT_BYTES}`, filePath);
  if (base64Field(cipher.nonce, 'cipher.nonce', filePath).length !== NONCE_BYTES) throw malformed(`cipher.nonce must be ${NONCE_BYTES} bytes`);
  if (base64Field(json.check, 'check', filePath).length !== 32) throw malformed('check must be 32 bytes');
  base64Field(json.ciphertext, 'ciphertext', filePath);
  const tag = base64Field(json.tag, 'tag', filePath);
  if (tag.length !== TAG_BYTES) throw new KeyFileTruncatedError(`authentication tag is ${tag.length} bytes, expected ${TAG_BYTES}`, filePath);
  if (!isObject(key) || typeof key.id !== 'string' || typeof key.algorithm !== 'string' || typeof key.publicKey !== 'string') {
    throw malformed('missing key identity');
  }
  if (!KEY_ALGORITHMS.includes(key.algorithm as KeyAlgorithm)) throw new UnsupportedKeyAlgorithmError(key.algorithm, filePath);
  for (const field of ['role', 'gun', 'label'] as const) {
    if (key[field] !== null && typeof key[field] !== 'string') throw malformed(`key.${field} must be a string or null`);
  }
  return json as unknown as KeyFileEnvelope;
}

function base64Field(value: unknown, name: string, filePath: string | null): Buffer {
  if (typeof value !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(value) || value.length % 4 !== 0) {
    throw new KeyFileMalformedError(`${name} is not base64`, filePath);
  }
  return Buffer.from(value, 'base64');
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

import { createCipheriv, createDecipheriv, createPrivateKey, pbkdf2Sync, randomBytes, type KeyObject } from 'node:crypto';

import { children, decodeOid, readTlv, type DerNode } from '../crypto/der';
import { integer, octetString, oid, sequence } from './der-writer';
import { KeyFileMalformedError, UnsupportedCipherError, UnsupportedKeyAlgorithmError, WeakKdfParametersError, WrongPassphraseError } from './errors';
import { passphraseBytes } from './passphrase';
import { algorithmOf } from './software-keys';

/**
 * PKCS#8 exactly as notary writes it (`tuf/utils/pkcs8.go`, notary.md §3):
 * - ECDSA: version 1, AlgorithmIdentifier as a bare SEQUENCE of two OIDs (no NULL), SEC1 inside.
 * - RSA: version 0, SEQUENCE { rsaEncryption } (no NULL), PKCS#1 inside.
 * - Ed25519: version 0, OID 1.3.6.1.4.1.11591.15.1, raw 96 bytes: public(32) ‖ seed(32) ‖ public(32).
 * Encrypted: PBES2 with PBKDF2-HMAC-SHA1 (no PRF field), 2048 iterations, 8-byte salt, AES-256-CBC.
 */
const OID = {
  pbes2: '1.2.840.113549.1.5.13',
  pbkdf2: '1.2.840.113549.1.5.12',
  aes256cbc: '2.16.840.1.101.3.4.1.42',
  hmacSha1: '1.2.840.113549.2.7',
  hmacSha256: '1.2.840.113549.2.9',
  ecPublicKey: '1.2.840.10045.2.1',
  p256: '1.2.840.10045.3.1.7',
  rsa: '1.2.840.113549.1.1.1',
  notaryEd25519: '1.3.6.1.4.1.11591.15.1',
  ed25519: '1.3.101.112',
} as const;

export const NOTARY_PBKDF2_ITERATIONS = 2048;
/** Below this we refuse to read: notary itself writes 2048, and 1 iteration is catalogue #42. */
const MIN_PBKDF2_ITERATIONS = 1000;
const MAX_PBKDF2_ITERATIONS = 10_000_000;
const ED25519_PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

/** Notary's unencrypted PKCS#8 for a private key. */
export function toNotaryPkcs8(privateKey: KeyObject): Buffer {
  switch (algorithmOf(privateKey)) {
    case 'ecdsa-p256': {
      const sec1 = privateKey.export({ type: 'sec1', format: 'der' });
      return sequence(integer(1), sequence(oid(OID.ecPublicKey), oid(OID.p256)), octetString(sec1));
    }
    case 'rsa': {
      const pkcs1 = privateKey.export({ type: 'pkcs1', format: 'der' });
      return sequence(integer(0), sequence(oid(OID.rsa)), octetString(pkcs1));
    }
    case 'ed25519': {
      const jwk = privateKey.export({ format: 'jwk' });
      const seed = Buffer.from(jwk.d ?? '', 'base64url');
      const pub = Buffer.from(jwk.x ?? '', 'base64url');
      return sequence(integer(0), sequence(oid(OID.notaryEd25519)), octetString(Buffer.concat([pub, seed, pub])));
    }
  }
}

/** Parses notary's (or any standard) unencrypted PKCS#8 into a node key. */
export function fromNotaryPkcs8(der: Uint8Array, filePath: string | null = null): KeyObject {
  const root = readTlv(der, 0);
  const parts = root && root.end === der.length ? children(der, root) : null;
  const alg = parts?.[1];
  const algParts = alg ? children(der, alg) : null;
  const algOid = algParts?.[0];
  const keyOctets = parts?.[2];
  if (!parts || !algOid || algOid.tag !== 0x06 || !keyOctets || keyOctets.tag !== 0x04) throw new KeyFileMalformedError('not a PKCS#8 PrivateKeyInfo', filePath);
  const dotted = decodeOid(der, algOid);
  if (dotted === OID.notaryEd25519) {
    const raw = der.subarray(keyOctets.start, keyOctets.end);
    if (raw.length !== 96) throw new KeyFileMalformedError(`notary Ed25519 key is ${raw.length} bytes, expected 96`, filePath);
    const seed = raw.subarray(32, 64);
    return createPrivateKey({ key: Buffer.concat([ED25519_PKCS8_PREFIX, seed]), format: 'der', type: 'pkcs8' });
  }
  if (dotted !== OID.ecPublicKey && dotted !== OID.rsa && dotted !== OID.ed25519) throw new UnsupportedKeyAlgorithmError(`PKCS#8 algorithm ${dotted}`, filePath);
  try {
    // OpenSSL accepts notary's version-1 ECDSA and NULL-less RSA encodings as they are.
    return createPrivateKey({ key: Buffer.from(der), format: 'der', type: 'pkcs8' });
  } catch (error) {
    throw new KeyFileMalformedError('PKCS#8 private key does not parse', filePath, { cause: error });
  }
}

/** EncryptedPrivateKeyInfo exactly as notary writes it. */
export function encryptNotaryPkcs8(plain: Uint8Array, passphrase: string): Buffer {
  const salt = randomBytes(8);
  const iv = randomBytes(16);
  const password = passphraseBytes(passphrase);
  const key = pbkdf2Sync(password, salt, NOTARY_PBKDF2_ITERATIONS, 32, 'sha1');
  password.fill(0);
  const cipher = createCipheriv('aes-256-cbc', key, iv);
  const encrypted = Buffer.concat([cipher.update(plain), cipher.final()]);
  key.fill(0);
  const kdf = sequence(oid(OID.pbkdf2), sequence(octetString(salt), integer(NOTARY_PBKDF2_ITERATIONS)));
  const scheme = sequence(oid(OID.aes256cbc), octetString(iv));
  return sequence(sequence(oid(OID.pbes2), sequence(kdf, scheme)), octetString(encrypted));
}

/**
 * Decrypts a PBES2 EncryptedPrivateKeyInfo (PBKDF2 with HMAC-SHA1 — absent PRF — or HMAC-SHA256,
 * AES-256-CBC) and returns the inner PKCS#8 DER. Done by hand rather than by OpenSSL so that notary's
 * non-standard inner encodings (Ed25519 under its private OID) can be read too.
 */
export function decryptNotaryPkcs8(der: Uint8Array, passphrase: string, filePath: string | null = null): Buffer {
  const malformed = (detail: string): KeyFileMalformedError => new KeyFileMalformedError(`EncryptedPrivateKeyInfo: ${detail}`, filePath);
  const root = readTlv(der, 0);
  if (!root || root.end !== der.length) throw malformed('not one DER element');
  const [algId, data] = kids(der, root, malformed);
  const [pbesOid, pbesParams] = kids(der, need(algId, malformed), malformed);
  if (!pbesOid || pbesOid.tag !== 0x06 || decodeOid(der, pbesOid) !== OID.pbes2) throw new UnsupportedCipherError(pbesOid ? decodeOid(der, pbesOid) : 'none', filePath);
  const [kdf, scheme] = kids(der, need(pbesParams, malformed), malformed);
  const [kdfOid, kdfParams] = kids(der, need(kdf, malformed), malformed);
  if (!kdfOid || decodeOid(der, kdfOid) !== OID.pbkdf2) throw new WeakKdfParametersError('only PBKDF2 is accepted in PBES2', filePath);
  const kp = kids(der, need(kdfParams, malformed), malformed);
  const salt = need(kp[0], malformed);
  const iterNode = need(kp[1], malformed);
  if (salt.tag !== 0x04 || iterNode.tag !== 0x02) throw malformed('bad PBKDF2 parameters');
  const iterations = readSmallInt(der, iterNode, malformed);
  let prfIndex = 2;
  let keyLength = 32;
  if (kp[2]?.tag === 0x02) {
    keyLength = readSmallInt(der, kp[2], malformed);
    prfIndex = 3;
  }
  let digest: 'sha1' | 'sha256' = 'sha1';
  const prf = kp[prfIndex];
  if (prf) {
    const prfOidNode = kids(der, prf, malformed)[0];
    const prfOid = prfOidNode ? decodeOid(der, prfOidNode) : '';
    if (prfOid === OID.hmacSha256) digest = 'sha256';
    else if (prfOid !== OID.hmacSha1) throw new WeakKdfParametersError(`unsupported PBKDF2 PRF ${prfOid}`, filePath);
  }
  if (iterations < MIN_PBKDF2_ITERATIONS) throw new WeakKdfParametersError(`PBKDF2 iterations = ${iterations} is below the minimum ${MIN_PBKDF2_ITERATIONS}`, filePath);
  if (iterations > MAX_PBKDF2_ITERATIONS) throw new WeakKdfParametersError(`PBKDF2 iterations = ${iterations} exceeds the limit`, filePath);
  const [encOid, ivNode] = kids(der, need(scheme, malformed), malformed);
  const encName = encOid ? decodeOid(der, encOid) : 'none';
  if (encName !== OID.aes256cbc || keyLength !== 32) throw new UnsupportedCipherError(encName === OID.aes256cbc ? `aes-256-cbc with ${keyLength}-byte key` : encName, filePath);
  const iv = der.subarray(need(ivNode, malformed).start, need(ivNode, malformed).end);
  if (iv.length !== 16) throw malformed('IV must be 16 bytes');
  const dataNode = need(data, malformed);
  if (dataNode.tag !== 0x04) throw malformed('encrypted data is not an OCTET STRING');
  const encrypted = der.subarray(dataNode.start, dataNode.end);
  if (encrypted.length === 0 || encrypted.length % 16 !== 0) throw malformed('encrypted data is not a whole number of AES blocks (truncated?)');
  const password = passphraseBytes(passphrase);
  const key = pbkdf2Sync(password, der.subarray(salt.start, salt.end), iterations, 32, digest);
  password.fill(0);
  let plain: Buffer;
  try {
    const decipher = createDecipheriv('aes-256-cbc', key, iv);
    plain = Buffer.concat([decipher.update(encrypted), decipher.final()]);
  } catch {
    // CBC has no authentication: bad padding is how a wrong passphrase shows up.
    throw new WrongPassphraseError(filePath);
  } finally {
    key.fill(0);
  }
  const inner = readTlv(plain, 0);
  // A wrong passphrase passes the padding check 1 time in ~256; the garbage is not DER then.
  if (!inner || inner.end !== plain.length || inner.tag !== 0x30) throw new WrongPassphraseError(filePath);
  return plain;
}

function kids(der: Uint8Array, node: DerNode, malformed: (d: string) => Error): DerNode[] {
  if (node.tag !== 0x30) throw malformed('expected a SEQUENCE');
  const list = children(der, node);
  if (!list) throw malformed('bad DER inside a SEQUENCE');
  return list;
}

function need(node: DerNode | undefined, malformed: (d: string) => Error): DerNode {
  if (!node) throw malformed('missing element');
  return node;
}

function readSmallInt(der: Uint8Array, node: DerNode, malformed: (d: string) => Error): number {
  const length = node.end - node.start;
  if (length < 1 || length > 6) throw malformed('integer out of range');
  let value = 0;
  for (let i = node.start; i < node.end; i++) value = value * 256 + (der[i] as number);
  if ((der[node.start] as number) & 0x80) throw malformed('negative integer');
  return value;
}

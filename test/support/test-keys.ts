import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes, sign as nodeSign, constants, webcrypto, type KeyObject } from 'node:crypto';
import * as x509 from '@peculiar/x509';
import { canonicalize } from '../../shared/tuf/canonical-json';
import type { Dialect, JsonObject } from '../../shared/tuf/model';

/**
 * Signing keys for tests and benchmarks, in the exact shapes each dialect stores:
 * - TUF: ed25519 (hex), ecdsa P-256/P-384 (PEM, DER signatures), rsa (PEM, RSA-PSS-SHA256);
 * - Notary: ed25519/ecdsa/rsa as base64 (raw r‖s ECDSA), root keys as `ecdsa-x509` with a
 *   self-signed certificate whose CN is the GUN.
 */

export type TestKeyAlgorithm = 'ed25519' | 'ecdsa-p256' | 'ecdsa-p384' | 'rsa';

export interface TestKey {
  keyid: string;
  dialect: Dialect;
  algorithm: TestKeyAlgorithm;
  /** The public key object as it appears in metadata `keys`. */
  metadata: JsonObject;
  privateKey: KeyObject;
  publicKey: KeyObject;
  /** Notary only: signature `method`. */
  method: string | null;
  /** Notary x509 keys: the cert PEM and the canonical key ID (ID of the plain SPKI key). */
  certPem: string | null;
  canonicalId: string;
  /** Sign `message` in the dialect's encoding; returns the `sig` string (hex for TUF, base64 for Notary). */
  sign(message: Uint8Array): string;
}

x509.cryptoProvider.set(webcrypto as unknown as Crypto);

const sha256Hex = (b: Uint8Array | string): string => createHash('sha256').update(b).digest('hex');

export function keyIdOf(metadata: JsonObject): string {
  return sha256Hex(canonicalize(metadata));
}

function rawSignature(alg: TestKeyAlgorithm, dialect: Dialect, key: KeyObject, message: Uint8Array): Buffer {
  switch (alg) {
    case 'ed25519':
      return nodeSign(null, message, key);
    case 'ecdsa-p256':
    case 'ecdsa-p384':
      // TUF: DER with the curve's hash; Notary: raw r‖s over SHA-256 (tuf/signed/verifiers.go).
      return dialect === 'tuf-1.0'
        ? nodeSign(alg === 'ecdsa-p256' ? 'sha256' : 'sha384', message, { key, dsaEncoding: 'der' })
        : nodeSign('sha256', message, { key, dsaEncoding: 'ieee-p1363' });
    case 'rsa':
      return nodeSign('sha256', message, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 });
  }
}

function generatePair(alg: TestKeyAlgorithm, rsaBits: number): { privateKey: KeyObject; publicKey: KeyObject } {
  switch (alg) {
    case 'ed25519':
      return generateKeyPairSync('ed25519');
    case 'ecdsa-p256':
      return generateKeyPairSync('ec', { namedCurve: 'P-256' });
    case 'ecdsa-p384':
      return generateKeyPairSync('ec', { namedCurve: 'P-384' });
    case 'rsa':
      return generateKeyPairSync('rsa', { modulusLength: rsaBits });
  }
}

export interface KeyOptions {
  /** RSA modulus size (default 2048; use 1024 to test WEAK_KEY). */
  rsaBits?: number;
  /** Extra fields on the TUF key object (e.g. `x-tuf-on-ci-keyowner`), part of the keyid hash. */
  extra?: JsonObject;
  /** Give the key this keyid instead of the computed one (to test KEYID_MISMATCH). */
  keyidOverride?: string;
}

/** A TUF 1.0 key (python-tuf / securesystemslib shapes). */
export function generateTufKey(alg: TestKeyAlgorithm = 'ed25519', options: KeyOptions = {}): TestKey {
  const pair = generatePair(alg, options.rsaBits ?? 2048);
  const pem = pair.publicKey.export({ type: 'spki', format: 'pem' }).toString();
  let metadata: JsonObject;
  if (alg === 'ed25519') {
    const raw = pair.publicKey.export({ type: 'spki', format: 'der' }).subarray(12);
    metadata = { keytype: 'ed25519', scheme: 'ed25519', keyval: { public: raw.toString('hex') } };
  } else if (alg === 'rsa') {
    metadata = { keytype: 'rsa', scheme: 'rsassa-pss-sha256', keyval: { public: pem } };
  } else {
    const scheme = alg === 'ecdsa-p256' ? 'ecdsa-sha2-nistp256' : 'ecdsa-sha2-nistp384';
    metadata = { keytype: 'ecdsa', scheme, keyval: { public: pem } };
  }
  metadata = { ...metadata, ...options.extra };
  const keyid = options.keyidOverride ?? keyIdOf(metadata);
  return {
    keyid,
    dialect: 'tuf-1.0',
    algorithm: alg,
    metadata,
    ...pair,
    method: null,
    certPem: null,
    canonicalId: keyid,
    sign: (m) => rawSignature(alg, 'tuf-1.0', pair.privateKey, m).toString('hex'),
  };
}

const NOTARY_METHOD: Record<TestKeyAlgorithm, string> = { ed25519: 'eddsa', 'ecdsa-p256': 'ecdsa', 'ecdsa-p384': 'ecdsa', rsa: 'rsapss' };

/** A plain Notary key: `{"keytype","keyval":{"private":null,"public":<base64>}}`. */
export function generateNotaryKey(alg: TestKeyAlgorithm = 'ecdsa-p256', options: KeyOptions = {}): TestKey {
  const pair = generatePair(alg, options.rsaBits ?? 2048);
  const der = pair.publicKey.export({ type: 'spki', format: 'der' });
  const pub = alg === 'ed25519' ? der.subarray(12) : der;
  const keytype = alg === 'ed25519' ? 'ed25519' : alg === 'rsa' ? 'rsa' : 'ecdsa';
  const metadata: JsonObject = { keytype, keyval: { private: null, public: pub.toString('base64') } };
  const keyid = options.keyidOverride ?? keyIdOf(metadata);
  return notaryKey(alg, keyid, metadata, pair, null, keyid);
}

function notaryKey(
  alg: TestKeyAlgorithm,
  keyid: string,
  metadata: JsonObject,
  pair: { privateKey: KeyObject; publicKey: KeyObject },
  certPem: string | null,
  canonicalId: string,
): TestKey {
  return {
    keyid,
    dialect: 'notary-v1',
    algorithm: alg,
    metadata,
    ...pair,
    method: NOTARY_METHOD[alg],
    certPem,
    canonicalId,
    sign: (m) => rawSignature(alg, 'notary-v1', pair.privateKey, m).toString('base64'),
  };
}

export interface CertOptions {
  /** Certificate CN (Notary requires the GUN). */
  commonName: string;
  notBefore?: Date;
  notAfter?: Date;
  /** Sign the cert with SHA-1 (to test CERT_INVALID). Only for RSA keys. */
  sha1?: boolean;
}

/**
 * A Notary root key: `ecdsa-x509` (or `rsa-x509`) holding a self-signed cert like Notary's
 * `rootCertKey` mints (CN = GUN, random 128-bit serial, KU DigitalSignature|KeyEncipherment,
 * EKU CodeSigning, CA:FALSE; 10 years by default).
 */
export async function generateNotaryRootKey(alg: 'ecdsa-p256' | 'rsa', cert: CertOptions, options: KeyOptions = {}): Promise<TestKey> {
  const algorithm =
    alg === 'rsa'
      ? { name: 'RSASSA-PKCS1-v1_5', hash: cert.sha1 ? 'SHA-1' : 'SHA-256', publicExponent: new Uint8Array([1, 0, 1]), modulusLength: options.rsaBits ?? 2048 }
      : { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };
  const keys = (await webcrypto.subtle.generateKey(algorithm, true, ['sign', 'verify']));
  const notBefore = cert.notBefore ?? new Date(Date.now() - 60_000);
  const notAfter = cert.notAfter ?? new Date(notBefore.getTime() + 10 * 365 * 86_400_000);
  const certificate = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: `01${randomBytes(16).toString('hex')}`,
    name: [{ CN: [cert.commonName] }],
    notBefore,
    notAfter,
    signingAlgorithm: algorithm,
    keys,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.codeSigning]),
    ],
  });
  const pem = `${certificate.toString('pem').replace(/\r\n/g, '\n').trim()}\n`;
  const pkcs8 = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', keys.privateKey));
  const privateKey = createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' });
  const publicKey = createPublicKey(privateKey);
  const keytype = alg === 'rsa' ? 'rsa-x509' : 'ecdsa-x509';
  const metadata: JsonObject = { keytype, keyval: { private: null, public: Buffer.from(pem).toString('base64') } };
  const plain: JsonObject = {
    keytype: alg === 'rsa' ? 'rsa' : 'ecdsa',
    keyval: { private: null, public: publicKey.export({ type: 'spki', format: 'der' }).toString('base64') },
  };
  const keyid = options.keyidOverride ?? keyIdOf(metadata);
  return notaryKey(alg, keyid, metadata, { privateKey, publicKey }, pem, keyIdOf(plain));
}

export function generateKey(dialect: Dialect, alg: TestKeyAlgorithm, options: KeyOptions = {}): TestKey {
  return dialect === 'tuf-1.0' ? generateTufKey(alg, options) : generateNotaryKey(alg, options);
}

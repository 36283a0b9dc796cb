import { webcrypto, X509Certificate as NodeX509 } from 'node:crypto';
import * as x509 from '@peculiar/x509';

import type { AttestationAnchors } from '../../../../electron/core/attestation/yubico-roots';

x509.cryptoProvider.set(webcrypto as unknown as Crypto);

// ECDSA CAs keep the suite fast; real Yubico CAs are RSA, which the fixtures cover.
const CA_SIGNING = { name: 'ECDSA', hash: 'SHA-256' };
const EC: EcKeyGenParams = { name: 'ECDSA', namedCurve: 'P-256' };
const DAY = 24 * 3600 * 1000;

export interface SyntheticOptions {
  serial?: number;
  firmware?: [number, number, number];
  pinPolicy?: number;
  touchPolicy?: number;
  /** Slot certificate validity. */
  notBefore?: Date;
  notAfter?: Date;
  /** Insert an intermediate CA between the root and the device certificate (5.7.4+ shape). */
  withIntermediate?: boolean;
}

export interface SyntheticChain {
  slotPem: string;
  slotDer: Uint8Array;
  devicePem: string;
  /** The attested key's SPKI DER. */
  publicKeyDer: Uint8Array;
  anchors: AttestationAnchors;
}

/** DER INTEGER of a non-negative serial. */
function derInteger(n: number): Uint8Array<ArrayBuffer> {
  const bytes: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff);
  if (bytes.length === 0 || (bytes[0] as number) & 0x80) bytes.unshift(0);
  return new Uint8Array([0x02, bytes.length, ...bytes]);
}

async function keys(alg: EcKeyGenParams): Promise<CryptoKeyPair> {
  return webcrypto.subtle.generateKey(alg, true, ['sign', 'verify']);
}

/**
 * A PKI shaped like Yubico's: self-signed root ("Yubico PIV Root CA Serial 263751" — a fake with
 * the real name), optional intermediate, F9 device CA, and a slot-9c certificate carrying
 * Yubico's extensions over a P-256 key.
 */
export async function syntheticChain(options: SyntheticOptions = {}): Promise<SyntheticChain> {
  const now = Date.now();
  const long = { notBefore: new Date(now - 10 * DAY), notAfter: new Date(now + 3650 * DAY) };
  const rootKeys = await keys(EC);
  const root = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: '01',
    name: 'CN=Yubico PIV Root CA Serial 263751',
    keys: rootKeys,
    signingAlgorithm: CA_SIGNING,
    ...long,
    extensions: [new x509.BasicConstraintsExtension(true, 2, true)],
  });
  let issuer = { cert: root, keys: rootKeys };
  const intermediates: NodeX509[] = [];
  if (options.withIntermediate) {
    const interKeys = await keys(EC);
    const inter = await x509.X509CertificateGenerator.create({
      serialNumber: '02',
      subject: 'CN=Yubico PIV Attestation B 1',
      issuer: root.subject,
      signingKey: rootKeys.privateKey,
      publicKey: interKeys.publicKey,
      signingAlgorithm: CA_SIGNING,
      ...long,
      extensions: [new x509.BasicConstraintsExtension(true, 1, true)],
    });
    intermediates.push(new NodeX509(Buffer.from(inter.rawData)));
    issuer = { cert: inter, keys: interKeys };
  }
  const deviceKeys = await keys(EC);
  const device = await x509.X509CertificateGenerator.create({
    serialNumber: '03',
    subject: 'CN=Yubico PIV Attestation',
    issuer: issuer.cert.subject,
    signingKey: issuer.keys.privateKey,
    publicKey: deviceKeys.publicKey,
    signingAlgorithm: CA_SIGNING,
    ...long,
    extensions: [new x509.BasicConstraintsExtension(true, 0, true)],
  });
  const slotKeys = await keys(EC);
  const [major, minor, patch] = options.firmware ?? [5, 4, 3];
  const slot = await x509.X509CertificateGenerator.create({
    serialNumber: '04',
    subject: 'CN=YubiKey PIV Attestation 9c',
    issuer: device.subject,
    signingKey: deviceKeys.privateKey,
    publicKey: slotKeys.publicKey,
    signingAlgorithm: CA_SIGNING,
    notBefore: options.notBefore ?? long.notBefore,
    notAfter: options.notAfter ?? long.notAfter,
    extensions: [
      new x509.Extension('1.3.6.1.4.1.41482.3.3', false, new Uint8Array([major, minor, patch])),
      new x509.Extension('1.3.6.1.4.1.41482.3.7', false, derInteger(options.serial ?? 12345678)),
      new x509.Extension('1.3.6.1.4.1.41482.3.8', false, new Uint8Array([options.pinPolicy ?? 2, options.touchPolicy ?? 2])),
      new x509.Extension('1.3.6.1.4.1.41482.3.9', false, new Uint8Array([3])),
    ],
  });
  const spki = new Uint8Array(await webcrypto.subtle.exportKey('spki', slotKeys.publicKey));
  return {
    slotPem: slot.toString('pem'),
    slotDer: new Uint8Array(slot.rawData),
    devicePem: device.toString('pem'),
    publicKeyDer: spki,
    anchors: { roots: [new NodeX509(Buffer.from(root.rawData))], intermediates },
  };
}

/** Rewrites the PIN/touch policy bytes inside the signed certificate without re-signing it. */
export function tamperPolicy(slotDer: Uint8Array, pin: number, touch: number): Uint8Array {
  const oid = Buffer.from('060a2b0601040182c40a0308', 'hex');
  const der = Buffer.from(slotDer);
  const at = der.indexOf(oid);
  if (at < 0) throw new Error('policy extension not found');
  const value = at + oid.length;
  if (der[value] !== 0x04 || der[value + 1] !== 0x02) throw new Error('unexpected policy encoding');
  der[value + 2] = pin;
  der[value + 3] = touch;
  return new Uint8Array(der);
}

/**
 * A throwaway attestation PKI for the emulated card, shaped like Yubico's: a self-signed test root
 * ("Keyrite Test PIV Root CA", never a Yubico name, so the real-root verifier must reject it), the
 * card's F9 device certificate ("Yubico PIV Attestation", as real cards call it) and, per slot,
 * "YubiKey PIV Attestation <slot>" over the slot's public key with Yubico's extensions.
 * ECDSA P-256 everywhere keeps it fast; the real RSA chain is covered by the fixtures elsewhere.
 */
import { webcrypto, type KeyObject } from 'node:crypto';

import * as x509 from '@peculiar/x509';

const crypto = webcrypto as unknown as Crypto;
const SIGNING = { name: 'ECDSA', hash: 'SHA-256' };
const EC_KEY: EcKeyGenParams = { name: 'ECDSA', namedCurve: 'P-256' };
const YUBICO_OID = '1.3.6.1.4.1.41482.3';
const YEAR = 365 * 24 * 3600 * 1000;

export interface AttestationFacts {
  firmware: readonly [number, number, number];
  serial: number;
  /** PIV values: 1 never, 2 once, 3 always. */
  pinPolicy: number;
  /** 1 never, 2 always, 3 cached. */
  touchPolicy: number;
  /** .3.9 form factor byte (1 = USB-A keychain). */
  formFactor: number;
}

function derInteger(n: number): Uint8Array<ArrayBuffer> {
  const bytes: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff);
  if (bytes.length === 0 || (bytes[0] as number) & 0x80) bytes.unshift(0);
  return new Uint8Array([0x02, bytes.length, ...bytes]);
}

function randomSerial(): string {
  const bytes = webcrypto.getRandomValues(new Uint8Array(16));
  bytes[0] = (bytes[0] as number) & 0x7f; // positive INTEGER
  return Buffer.from(bytes).toString('hex');
}

export class AttestationAuthority {
  private constructor(
    private readonly deviceKeys: CryptoKeyPair,
    /** DER of the test root (tests that verify chains pass it as their anchor). */
    readonly rootDer: Buffer,
    /** DER of the card's F9 device certificate (GET DATA 5FFF01). */
    readonly deviceCertDer: Buffer,
    private readonly deviceSubject: string,
  ) {}

  static async create(facts: Pick<AttestationFacts, 'firmware'>): Promise<AttestationAuthority> {
    const now = Date.now();
    const validity = { notBefore: new Date(now - YEAR), notAfter: new Date(now + 20 * YEAR) };
    const rootKeys = await crypto.subtle.generateKey(EC_KEY, false, ['sign', 'verify']);
    const root = await x509.X509CertificateGenerator.createSelfSigned(
      {
        serialNumber: randomSerial(),
        name: 'CN=Keyrite Test PIV Root CA',
        keys: rootKeys,
        signingAlgorithm: SIGNING,
        ...validity,
        extensions: [new x509.BasicConstraintsExtension(true, 1, true)],
      },
      crypto,
    );
    const deviceKeys = await crypto.subtle.generateKey(EC_KEY, false, ['sign', 'verify']);
    const device = await x509.X509CertificateGenerator.create(
      {
        serialNumber: randomSerial(),
        subject: 'CN=Yubico PIV Attestation',
        issuer: root.subject,
        publicKey: deviceKeys.publicKey,
        signingKey: rootKeys.privateKey,
        signingAlgorithm: SIGNING,
        ...validity,
        extensions: [
          new x509.Extension(`${YUBICO_OID}.3`, false, new Uint8Array(facts.firmware)),
          new x509.BasicConstraintsExtension(true, 0, true),
        ],
      },
      crypto,
    );
    return new AttestationAuthority(deviceKeys, Buffer.from(root.rawData), Buffer.from(device.rawData), device.subject);
  }

  /** INS F9: the attestation certificate of one slot's (generated) key. */
  async attest(slot: number, publicKey: KeyObject, facts: AttestationFacts): Promise<Buffer> {
    const spki = publicKey.export({ type: 'spki', format: 'der' });
    const now = Date.now();
    const cert = await x509.X509CertificateGenerator.create(
      {
        serialNumber: randomSerial(),
        subject: `CN=YubiKey PIV Attestation ${slot.toString(16)}`,
        issuer: this.deviceSubject,
        publicKey: new x509.PublicKey(spki),
        signingKey: this.deviceKeys.privateKey,
        signingAlgorithm: SIGNING,
        notBefore: new Date(now - YEAR),
        notAfter: new Date(now + 20 * YEAR),
        extensions: [
          new x509.Extension(`${YUBICO_OID}.3`, false, new Uint8Array(facts.firmware)),
          new x509.Extension(`${YUBICO_OID}.7`, false, derInteger(facts.serial)),
          new x509.Extension(`${YUBICO_OID}.8`, false, new Uint8Array([facts.pinPolicy, facts.touchPolicy])),
          new x509.Extension(`${YUBICO_OID}.9`, false, new Uint8Array([facts.formFactor])),
        ],
      },
      crypto,
    );
    return Buffer.from(cert.rawData);
  }
}

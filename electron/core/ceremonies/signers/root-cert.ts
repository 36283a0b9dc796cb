/**
 * Notary root keys are `ecdsa-x509`: a self-signed certificate with CN = GUN (trustpinning/certs.go),
 * shaped like the one `notary init` mints (random serial, KU digitalSignature|keyEncipherment,
 * EKU codeSigning, CA:false). Keyrite signs its TBS with the root key itself, on a token or in a
 * file, so the private key never has to leave the token. @peculiar/x509 builds the DER; its
 * `crypto.subtle.sign` is replaced by the ceremony signer (raw r‖s, as WebCrypto returns).
 */
import { randomBytes } from 'node:crypto';

import { CeremonyError } from '../errors';
import type { CeremonySigner } from './ceremony-signer';

export class RootCertificateError extends CeremonyError {
  override readonly name = 'RootCertificateError';
}

export interface RootCertOptions {
  gun: string;
  notBefore: Date;
  notAfter: Date;
}

export async function createNotaryRootCertificate(signer: CeremonySigner, options: RootCertOptions): Promise<string> {
  if (signer.algorithm !== 'ecdsa-p256' || !signer.signEcdsaRaw) {
    throw new RootCertificateError(`Notary root keys must be ECDSA P-256 (ecdsa-x509); ${signer.label} is ${signer.algorithm}`);
  }
  // Loaded on first use: initialising @peculiar/x509 and its ASN.1 schemas costs ~45 ms, which
  // every CLI command (`keyrite inspect` included) would otherwise pay at start-up.
  const x509 = await import('@peculiar/x509');
  const signEcdsaRaw = signer.signEcdsaRaw.bind(signer);
  const algorithm = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };
  // A CryptoKey stand-in: the generator only reads `algorithm` and hands the key back to sign().
  const signingKey = { algorithm, type: 'private', extractable: false, usages: ['sign'] } as never;
  const subtle = {
    sign: async (_alg: unknown, _key: unknown, data: ArrayBuffer | ArrayBufferView): Promise<ArrayBuffer> => {
      const bytes = data instanceof ArrayBuffer ? new Uint8Array(data) : new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
      const raw = await signEcdsaRaw(Uint8Array.from(bytes));
      return raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength) as ArrayBuffer;
    },
  };
  const crypto = { subtle, getRandomValues: <T extends ArrayBufferView>(a: T): T => a } as never;
  const certificate = await x509.X509CertificateGenerator.create(
    {
      // Positive 128-bit serial (leading 01 keeps the DER INTEGER positive), as notary does.
      serialNumber: `01${randomBytes(16).toString('hex')}`,
      subject: [{ CN: [options.gun] }],
      issuer: [{ CN: [options.gun] }],
      notBefore: options.notBefore,
      notAfter: options.notAfter,
      publicKey: Uint8Array.from(signer.spkiDer).buffer,
      signingKey,
      signingAlgorithm: algorithm,
      extensions: [
        new x509.BasicConstraintsExtension(false, undefined, true),
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment, true),
        new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.codeSigning]),
      ],
    },
    crypto,
  );
  const ok = await certificate.verify({ publicKey: certificate.publicKey, signatureOnly: true });
  if (!ok) throw new RootCertificateError(`the root certificate signed by ${signer.label} does not verify`);
  return `${certificate.toString('pem').replace(/\r\n/g, '\n').trim()}\n`;
}

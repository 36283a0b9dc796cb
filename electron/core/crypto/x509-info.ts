import { X509Certificate } from 'node:crypto';
import type { CertInfo } from '../../../shared/tuf/crypto';
import { certSignatureAlgorithm, isSingleDerElement, isSha1Algorithm } from './der';

export type CertificateBundle =
  | { ok: true; leaf: X509Certificate; chain: CertInfo[] }
  | { ok: false; message: string };

const PEM_BLOCK = /-----BEGIN CERTIFICATE-----\r?\n([A-Za-z0-9+/=\r\n]+?)-----END CERTIFICATE-----/g;

/**
 * Parse a PEM bundle (leaf first, as Notary stores `*-x509` keys). Anything other than
 * CERTIFICATE blocks and whitespace is refused, so junk around the PEM is not silently ignored.
 */
export function parseCertificateBundle(pem: string): CertificateBundle {
  const blocks = [...pem.matchAll(PEM_BLOCK)];
  if (blocks.length === 0) return { ok: false, message: 'no PEM CERTIFICATE block' };
  if (pem.replace(PEM_BLOCK, '').trim() !== '') return { ok: false, message: 'unexpected text around the PEM certificates' };
  const chain: CertInfo[] = [];
  let leaf: X509Certificate | null = null;
  for (const block of blocks) {
    const der = new Uint8Array(Buffer.from(block[1]!.replace(/\s+/g, ''), 'base64'));
    if (!isSingleDerElement(der)) return { ok: false, message: 'certificate DER has trailing or missing bytes' };
    let cert: X509Certificate;
    try {
      cert = new X509Certificate(der);
    } catch (error) {
      return { ok: false, message: `unparsable certificate: ${(error as Error).message}` };
    }
    leaf ??= cert;
    chain.push(certInfo(cert, der));
  }
  if (leaf === null) return { ok: false, message: 'no certificate' };
  return { ok: true, leaf, chain };
}

function commonName(dn: string): string {
  // node prints one attribute per line: `CN=docker.com/notary0.1/samplerepo`.
  for (const line of dn.split('\n')) {
    if (line.startsWith('CN=')) return line.slice(3);
  }
  return '';
}

function certInfo(cert: X509Certificate, der: Uint8Array): CertInfo {
  const signatureAlgorithm = certSignatureAlgorithm(der) ?? 'unknown';
  let selfSigned = false;
  try {
    // Not checkIssued(): OpenSSL also demands keyCertSign there, which Notary's leaf certs lack.
    selfSigned = cert.subject === cert.issuer && cert.verify(cert.publicKey);
  } catch {
    // An unsupported or broken self-signature simply means "not self-signed".
    selfSigned = false;
  }
  return {
    subjectCN: commonName(cert.subject),
    issuerCN: commonName(cert.issuer),
    notBefore: new Date(cert.validFrom).toISOString(),
    notAfter: new Date(cert.validTo).toISOString(),
    selfSigned,
    signatureAlgorithm,
    sha1: isSha1Algorithm(signatureAlgorithm),
    serialNumber: cert.serialNumber,
    isCA: cert.ca,
  };
}

import { createHash, X509Certificate } from 'node:crypto';

import { YUBICO_ATTESTATION_INTERMEDIATES_PEM, YUBICO_ATTESTATION_ROOT_1_PEM, YUBICO_PIV_ROOT_CA_263751_PEM } from './roots/yubico-pems';

/** Trust anchors for PIV attestation: roots end a chain; intermediates may only link to them. */
export interface AttestationAnchors {
  roots: readonly X509Certificate[];
  intermediates: readonly X509Certificate[];
}

/** Pinned SHA-256 of each bundled certificate (DER): a swapped PEM fails closed at load. */
export const YUBICO_FINGERPRINTS: Readonly<Record<string, string>> = {
  'CN=Yubico PIV Root CA Serial 263751': '63ECE914E54DD87915F34033C85AF4C0696BA1512F8ADD66CED738331207B546',
  'CN=Yubico Attestation Root 1': '62760C6A6EF91679F454C8902B80FD009825B3F25DA90F1FBACE2EC6586CD5A8',
  'CN=Yubico Attestation Intermediate A 1': '4698A1D3389C3EC60016C216250F1D0439922832D65142327436376DC2942B55',
  'CN=Yubico Attestation Intermediate B 1': 'D4CC3F456FDAF4E7812A21AAB1DFE9D8E27D24E2FD2D6F21C9940109F0DAA754',
  'CN=Yubico PIV Attestation A 1': '6DE693F05376F5D8CA29069261E1C8626C75D503BD2EDBFD75354CAD1F722870',
  'CN=Yubico PIV Attestation B 1': '2D55B7998F4E42569D6D8FA382B6DC77D1DACF07358B19701163892922B17052',
};

export class BundledRootError extends Error {
  override readonly name = 'BundledRootError';
}

const PEM_CERT = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

export function parsePemCertificates(pem: string): X509Certificate[] {
  return [...pem.matchAll(PEM_CERT)].map((m) => new X509Certificate(m[0]));
}

function pinned(cert: X509Certificate): X509Certificate {
  const subject = cert.subject.replace(/\n/g, ', ');
  const expected = YUBICO_FINGERPRINTS[`CN=${subject.replace(/^CN=/, '')}`];
  const actual = createHash('sha256').update(cert.raw).digest('hex').toUpperCase();
  if (expected !== actual) throw new BundledRootError(`bundled certificate ${subject} has SHA-256 ${actual}, expected ${expected ?? '(not pinned)'}`);
  if (!cert.ca) throw new BundledRootError(`bundled certificate ${subject} is not a CA`);
  return cert;
}

let cached: AttestationAnchors | null = null;

/** Yubico's PIV attestation roots (pre-5.7.4 and 5.7.4+) with the 5.7.4+ intermediates. */
export function yubicoAttestationAnchors(): AttestationAnchors {
  cached ??= {
    roots: [...parsePemCertificates(YUBICO_PIV_ROOT_CA_263751_PEM), ...parsePemCertificates(YUBICO_ATTESTATION_ROOT_1_PEM)].map(pinned),
    intermediates: parsePemCertificates(YUBICO_ATTESTATION_INTERMEDIATES_PEM).map(pinned),
  };
  return cached;
}

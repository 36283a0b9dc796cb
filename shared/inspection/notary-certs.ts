import type { CertInfo, PublicKeyInfo } from '../tuf/crypto';
import type { FindingSink } from './findings';

const DAY_MS = 24 * 60 * 60 * 1000;
/** Notary warns when a root certificate expires within six months (`trustpinning/certs.go`). */
const SIX_MONTHS_MS = 182 * DAY_MS;
/** Notary allows one day of clock skew on NotBefore (`utils.ValidateCertificate`). */
const NOT_BEFORE_LEEWAY_MS = DAY_MS;

/** `CN == GUN`, or a wildcard CN `prefix*` that the GUN starts with. */
export function cnMatchesGun(cn: string, gun: string): boolean {
  if (cn === gun) return true;
  return cn.endsWith('*') && gun.startsWith(cn.slice(0, -1));
}

/**
 * Notary root certificate rules (`validRootLeafCerts`, `ValidateCertificate`) for the root the
 * client ends up trusting: CN = GUN, inside the validity window at `at`, no SHA-1, RSA >= 2048,
 * a non-CA leaf; warn within six months of expiry. Intermediate roots of a chain are only
 * checked for signatures (their certificates' expiry is ignored, as notary does).
 */
export function checkRootCertificate(
  keyid: string,
  info: PublicKeyInfo,
  gun: string,
  at: Date,
  findings: FindingSink,
): void {
  const cert = info.cert;
  if (cert === null) {
    findings.error('CERT_INVALID', `Root key ${short(keyid)} is an x509 key without a readable certificate.`, { role: 'root', keyid });
    return;
  }
  if (!cnMatchesGun(cert.subjectCN, gun)) {
    findings.error(
      'CERT_CN_MISMATCH',
      `Root certificate ${short(keyid)} has CN "${cert.subjectCN}" but the repository is "${gun}"; notary rejects it.`,
      { role: 'root', keyid },
    );
  }
  if (cert.sha1) {
    findings.error('CERT_INVALID', `Root certificate ${short(keyid)} is signed with SHA-1 (${cert.signatureAlgorithm}); notary rejects it.`, {
      role: 'root',
      keyid,
    });
  }
  if (cert.isCA) {
    findings.error('CERT_INVALID', `Root certificate ${short(keyid)} is a CA certificate; the root leaf must not be a CA.`, { role: 'root', keyid });
  }
  checkValidity(keyid, cert, at, findings, 'root', 'error');
}

/**
 * Delegation certificates: notary does not enforce their expiry (the 0.3 fixture's delegation
 * cert expired in 2017 and still verifies), so their window is reported as info only.
 */
export function checkDelegationCertificate(keyid: string, cert: CertInfo, role: string, at: Date, findings: FindingSink): void {
  checkValidity(keyid, cert, at, findings, role, 'info');
}

function checkValidity(keyid: string, cert: CertInfo, at: Date, findings: FindingSink, role: string, severity: 'error' | 'info'): void {
  const notBefore = Date.parse(cert.notBefore);
  const notAfter = Date.parse(cert.notAfter);
  const now = at.getTime();
  const enforced = severity === 'error' ? '' : ' (notary does not enforce delegation certificate expiry)';
  if (Number.isNaN(notBefore) || Number.isNaN(notAfter)) {
    findings.add('CERT_INVALID', severity, `Certificate ${short(keyid)} has an unreadable validity window.`, { role, keyid });
    return;
  }
  if (now > notAfter) {
    findings.add('CERT_EXPIRED', severity, `Certificate ${short(keyid)} (CN "${cert.subjectCN}") expired ${cert.notAfter}${enforced}.`, {
      role,
      keyid,
    });
  } else if (now + NOT_BEFORE_LEEWAY_MS < notBefore) {
    findings.add('CERT_EXPIRED', severity, `Certificate ${short(keyid)} (CN "${cert.subjectCN}") is not valid before ${cert.notBefore}.`, {
      role,
      keyid,
    });
  } else if (severity === 'error' && notAfter - now < SIX_MONTHS_MS) {
    findings.warning('CERT_EXPIRING', `Root certificate ${short(keyid)} expires ${cert.notAfter}, within six months; rotate the root key.`, {
      role,
      keyid,
    });
  }
}

export function short(keyid: string): string {
  return keyid.length > 12 ? keyid.slice(0, 12) : keyid;
}

import { bitString, bool, concat, explicit, nul, octets, oid, readTlv, seq, set, smallInteger, time, unsignedInteger, utf8 } from './der';
import { toPem } from './pem';

/**
 * The self-signed root certificate Notary expects for a root key (`cryptoservice.GenerateCertificate`
 * → `utils.NewCertificate`): CN = GUN as subject and issuer, random 128-bit serial, KeyUsage
 * DigitalSignature|KeyEncipherment, ExtKeyUsage CodeSigning, BasicConstraints CA:FALSE. It is split
 * in two steps so the root key can sign the TBS bytes wherever it lives (token or file).
 */
export type CertKeyAlgorithm = 'ecdsa-p256' | 'ecdsa-p384' | 'rsa';

export interface RootCertParams {
  gun: string;
  /** DER SubjectPublicKeyInfo of the root key. */
  spkiDer: Uint8Array;
  algorithm: CertKeyAlgorithm;
  notBefore: Date;
  notAfter: Date;
  /** Random bytes (16 = 128 bits, as notary); the caller supplies them: shared/ has no RNG. */
  serial: Uint8Array;
}

const OID_CN = '2.5.4.3';
const SIG_OIDS: Record<CertKeyAlgorithm, string> = {
  'ecdsa-p256': '1.2.840.10045.4.3.2', // ecdsa-with-SHA256
  'ecdsa-p384': '1.2.840.10045.4.3.3', // ecdsa-with-SHA384 (Go's default for P-384)
  rsa: '1.2.840.113549.1.1.11', // sha256WithRSAEncryption
};

/** Hash the signer must use over the TBS bytes (PKCS#11: CKM_ECDSA_SHA256/384 or CKM_SHA256_RSA_PKCS). */
export function certSignatureHash(algorithm: CertKeyAlgorithm): 'sha256' | 'sha384' {
  return algorithm === 'ecdsa-p384' ? 'sha384' : 'sha256';
}

function signatureAlgorithm(algorithm: CertKeyAlgorithm): Uint8Array {
  // RFC 5758: ECDSA algorithm identifiers have no parameters; RSA ones carry NULL.
  return algorithm === 'rsa' ? seq(oid(SIG_OIDS.rsa), nul()) : seq(oid(SIG_OIDS[algorithm]));
}

function name(cn: string): Uint8Array {
  return seq(set(seq(oid(OID_CN), utf8(cn))));
}

function extension(id: string, critical: boolean, value: Uint8Array): Uint8Array {
  return critical ? seq(oid(id), bool(true), octets(value)) : seq(oid(id), octets(value));
}

/** DER TBSCertificate: the exact bytes the root key signs. */
export function notaryRootCertTbs(p: RootCertParams): Uint8Array {
  const extensions = seq(
    // keyUsage: digitalSignature (bit 0) | keyEncipherment (bit 2) → 0b101xxxxx, 5 unused bits
    extension('2.5.29.15', true, bitString(Uint8Array.of(0xa0), 5)),
    extension('2.5.29.37', false, seq(oid('1.3.6.1.5.5.7.3.3'))),
    extension('2.5.29.19', true, seq()),
  );
  return seq(
    explicit(0, smallInteger(2)),
    unsignedInteger(p.serial),
    signatureAlgorithm(p.algorithm),
    name(p.gun),
    seq(time(p.notBefore), time(p.notAfter)),
    name(p.gun),
    p.spkiDer,
    explicit(3, extensions),
  );
}

/** Raw fixed-width r‖s (PKCS#11 CKM_ECDSA, Notary signatures) → DER ECDSA-Sig-Value. */
export function ecdsaRawToDer(raw: Uint8Array): Uint8Array {
  if (raw.length === 0 || raw.length % 2 !== 0) throw new RangeError(`raw ECDSA signature has odd length ${raw.length}`);
  const half = raw.length / 2;
  return seq(unsignedInteger(raw.subarray(0, half)), unsignedInteger(raw.subarray(half)));
}

/** True when the bytes are one DER SEQUENCE spanning the whole input (an ECDSA-Sig-Value). */
function isDerSequence(b: Uint8Array): boolean {
  const h = readTlv(b, 0);
  return h !== null && h[0] === 0x30 && h[2] === b.length;
}

/**
 * Certificate DER (and PEM, as notary stores it in root.json) from the TBS bytes and the root key's
 * signature over them. ECDSA signatures may come raw (token) or DER (node:crypto default).
 */
export function assembleCertificate(
  tbs: Uint8Array,
  algorithm: CertKeyAlgorithm,
  signature: Uint8Array,
  encoding: 'raw' | 'der',
): { der: Uint8Array; pem: string } {
  let sig = signature;
  if (algorithm !== 'rsa') {
    sig = encoding === 'raw' ? ecdsaRawToDer(signature) : signature;
    if (!isDerSequence(sig)) throw new RangeError('ECDSA certificate signature is not a DER SEQUENCE');
  }
  const der = seq(tbs, signatureAlgorithm(algorithm), bitString(sig));
  return { der, pem: toPem('CERTIFICATE', der) };
}

export { concat };

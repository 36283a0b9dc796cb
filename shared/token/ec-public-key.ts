/**
 * EC public keys as PKCS#11 exposes them: CKA_EC_PARAMS (a named-curve OID) and CKA_EC_POINT
 * (an uncompressed point, usually wrapped in a DER OCTET STRING). Builds the SPKI DER that
 * node:crypto and the TUF/Notary key formats use.
 */
import { toBase64, toHex } from '../tuf/encoding';
import type { EcCurve } from './types';

/** DER of the named-curve OIDs, as CKA_EC_PARAMS holds them. */
export const EC_PARAMS_DER: Readonly<Record<EcCurve, string>> = {
  'P-256': '06082a8648ce3d030107',
  'P-384': '06052b81040022',
};

/** SPKI prefix up to the BIT STRING content: SEQUENCE{ SEQUENCE{ id-ecPublicKey, curve }, BIT STRING 00 }. */
const SPKI_PREFIX: Readonly<Record<EcCurve, string>> = {
  'P-256': '3059301306072a8648ce3d020106082a8648ce3d030107034200',
  'P-384': '3076301006072a8648ce3d020106052b81040022036200',
};

const POINT_BYTES: Readonly<Record<EcCurve, number>> = { 'P-256': 65, 'P-384': 97 };

export function curveFromEcParams(ecParams: Uint8Array): EcCurve | null {
  const hex = toHex(ecParams);
  for (const [curve, der] of Object.entries(EC_PARAMS_DER) as [EcCurve, string][]) {
    if (der === hex) return curve;
  }
  return null;
}

/**
 * CKA_EC_POINT → uncompressed point. PKCS#11 says DER OCTET STRING; some modules return the bare
 * point, so both are accepted, but only for the exact length of the curve.
 */
export function unwrapEcPoint(ecPoint: Uint8Array, curve: EcCurve): Uint8Array | null {
  const n = POINT_BYTES[curve];
  if (ecPoint.length === n && ecPoint[0] === 0x04) return ecPoint;
  const header = n < 0x80 ? [0x04, n] : [0x04, 0x81, n];
  if (ecPoint.length === header.length + n && header.every((b, i) => ecPoint[i] === b)) {
    const point = ecPoint.subarray(header.length);
    return point[0] === 0x04 ? point : null;
  }
  return null;
}

export function ecSpkiFromPoint(point: Uint8Array, curve: EcCurve): Uint8Array {
  const prefix = SPKI_PREFIX[curve];
  const out = new Uint8Array(prefix.length / 2 + point.length);
  for (let i = 0; i < prefix.length / 2; i++) out[i] = parseInt(prefix.slice(2 * i, 2 * i + 2), 16);
  out.set(point, prefix.length / 2);
  return out;
}

export function spkiToPem(spki: Uint8Array): string {
  const b64 = toBase64(spki);
  const lines = b64.match(/.{1,64}/g) ?? [];
  return `-----BEGIN PUBLIC KEY-----\n${lines.join('\n')}\n-----END PUBLIC KEY-----\n`;
}

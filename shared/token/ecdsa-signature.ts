/**
 * ECDSA signature encodings. PKCS#11 CKM_ECDSA returns raw r‖s (what Notary verifies); TUF
 * verifiers (tuf-js, securesystemslib) want DER (hardware.md §2, verified with tuf-js).
 */
import { TokenSignatureInvalidError } from './errors';
import type { EcCurve, SignatureDialect } from './types';

export const CURVE_FIELD_BYTES: Readonly<Record<EcCurve, number>> = { 'P-256': 32, 'P-384': 48 };

function derInteger(bigEndian: Uint8Array): Uint8Array {
  let start = 0;
  while (start < bigEndian.length - 1 && bigEndian[start] === 0) start++;
  const trimmed = bigEndian.subarray(start);
  // A set high bit would read as negative: prefix 0x00.
  const pad = (trimmed[0] ?? 0) & 0x80 ? 1 : 0;
  const out = new Uint8Array(2 + pad + trimmed.length);
  out[0] = 0x02;
  out[1] = pad + trimmed.length;
  out.set(trimmed, 2 + pad);
  return out;
}

/** Raw r‖s (each `fieldBytes` long) → DER `SEQUENCE { INTEGER r, INTEGER s }`. */
export function rawEcdsaToDer(raw: Uint8Array, curve: EcCurve): Uint8Array {
  const n = CURVE_FIELD_BYTES[curve];
  if (raw.length !== 2 * n) {
    throw new TokenSignatureInvalidError(`ECDSA ${curve} signature must be ${2 * n} bytes of r‖s, got ${raw.length}`);
  }
  const r = derInteger(raw.subarray(0, n));
  const s = derInteger(raw.subarray(n));
  const bodyLength = r.length + s.length;
  // P-384 bodies can exceed 127 bytes: long-form length.
  const header = bodyLength < 0x80 ? [0x30, bodyLength] : [0x30, 0x81, bodyLength];
  const out = new Uint8Array(header.length + bodyLength);
  out.set(header, 0);
  out.set(r, header.length);
  out.set(s, header.length + r.length);
  return out;
}

/** DER → raw r‖s; strict (exact lengths, no trailing bytes). */
export function derEcdsaToRaw(der: Uint8Array, curve: EcCurve): Uint8Array {
  const n = CURVE_FIELD_BYTES[curve];
  const fail = (why: string): never => {
    throw new TokenSignatureInvalidError(`not a DER ECDSA ${curve} signature: ${why}`);
  };
  let pos = 0;
  if (der[pos++] !== 0x30) fail('expected SEQUENCE');
  let length = der[pos++] ?? fail('truncated');
  if (length === 0x81) length = der[pos++] ?? fail('truncated');
  else if (length > 0x80) fail('bad length');
  if (pos + length !== der.length) fail('length mismatch');
  const out = new Uint8Array(2 * n);
  for (const offset of [0, n]) {
    if (der[pos++] !== 0x02) fail('expected INTEGER');
    const intLength = der[pos++] ?? fail('truncated');
    let value = der.subarray(pos, pos + intLength);
    if (value.length !== intLength) fail('truncated INTEGER');
    pos += intLength;
    while (value.length > n && value[0] === 0) value = value.subarray(1);
    if (value.length > n) fail('INTEGER too large');
    out.set(value, offset + n - value.length);
  }
  if (pos !== der.length) fail('trailing bytes');
  return out;
}

/** The encoding a dialect expects for an ECDSA signature. */
export function encodeEcdsaSignature(raw: Uint8Array, curve: EcCurve, dialect: SignatureDialect): Uint8Array {
  return dialect === 'tuf-1.0' ? rawEcdsaToDer(raw, curve) : raw.slice();
}

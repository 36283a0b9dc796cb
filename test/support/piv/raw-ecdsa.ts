/**
 * ECDSA over a caller-supplied digest, as a PIV card does for GENERAL AUTHENTICATE. node:crypto
 * only signs messages it hashes itself, so the scalar multiplication k·G is borrowed from ECDH
 * (its "public key" for private key k is exactly k·G) and the rest is modular arithmetic.
 */
import { createECDH, randomBytes, type KeyObject } from 'node:crypto';

export type PivCurve = 'P-256' | 'P-384';

const CURVES: Record<PivCurve, { ecdh: string; n: bigint; bytes: number }> = {
  'P-256': { ecdh: 'prime256v1', n: 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n, bytes: 32 },
  'P-384': {
    ecdh: 'secp384r1',
    n: 0xffffffffffffffffffffffffffffffffffffffffffffffffc7634d81f4372ddf581a0db248b0a77aecec196accc52973n,
    bytes: 48,
  },
};

const toBig = (bytes: Uint8Array): bigint => (bytes.length === 0 ? 0n : BigInt(`0x${Buffer.from(bytes).toString('hex')}`));

function toBytes(value: bigint, length: number): Buffer {
  return Buffer.from(value.toString(16).padStart(length * 2, '0'), 'hex');
}

function modInverse(a: bigint, n: bigint): bigint {
  let [oldR, r] = [((a % n) + n) % n, n];
  let [oldS, s] = [1n, 0n];
  while (r !== 0n) {
    const q = oldR / r;
    [oldR, r] = [r, oldR - q * r];
    [oldS, s] = [s, oldS - q * s];
  }
  return ((oldS % n) + n) % n;
}

/** Raw r‖s signature of `digest` (truncated to the curve order's length, as FIPS 186 says). */
export function signDigest(privateKey: KeyObject, curve: PivCurve, digest: Uint8Array): Buffer {
  const { ecdh, n, bytes } = CURVES[curve];
  const jwk = privateKey.export({ format: 'jwk' });
  if (!jwk.d) throw new Error('not an EC private key');
  const d = toBig(Buffer.from(jwk.d, 'base64url'));
  const e = toBig(digest.subarray(0, bytes));
  for (;;) {
    const k = toBig(randomBytes(bytes)) % n;
    if (k === 0n) continue;
    const multiplier = createECDH(ecdh);
    multiplier.setPrivateKey(toBytes(k, bytes));
    const point = multiplier.getPublicKey(); // 04 ‖ x ‖ y = k·G
    const r = toBig(point.subarray(1, 1 + bytes)) % n;
    if (r === 0n) continue;
    const s = (modInverse(k, n) * (e + r * d)) % n;
    if (s === 0n) continue;
    return Buffer.concat([toBytes(r, bytes), toBytes(s, bytes)]);
  }
}

/** Raw r‖s → DER SEQUENCE of two INTEGERs (what a PIV card returns in tag 82). */
export function rawToDer(raw: Buffer): Buffer {
  const half = raw.length / 2;
  const int = (b: Buffer): Buffer => {
    let v = b;
    while (v.length > 1 && v[0] === 0) v = v.subarray(1);
    if ((v[0] as number) & 0x80) v = Buffer.concat([Buffer.from([0]), v]);
    return Buffer.concat([Buffer.from([0x02, v.length]), v]);
  };
  const body = Buffer.concat([int(raw.subarray(0, half)), int(raw.subarray(half))]);
  const header = body.length < 0x80 ? Buffer.from([0x30, body.length]) : Buffer.from([0x30, 0x81, body.length]);
  return Buffer.concat([header, body]);
}

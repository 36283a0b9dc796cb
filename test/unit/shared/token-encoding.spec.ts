/** Pure token helpers: ECDSA raw↔DER, SPKI from CKA_EC_POINT, PIN state from flags, module lookup. */
import { generateKeyPairSync, sign, verify } from 'node:crypto';

import { describe, expect, it } from 'vitest';

import { resolveModulePath } from '../../../electron/core/tokens/module-resolver';
import { curveFromEcParams, ecSpkiFromPoint, unwrapEcPoint } from '../../../shared/token/ec-public-key';
import { derEcdsaToRaw, encodeEcdsaSignature, rawEcdsaToDer } from '../../../shared/token/ecdsa-signature';
import { TokenModuleLoadError, TokenSignatureInvalidError } from '../../../shared/token/errors';
import { pinStateFromFlags } from '../../../shared/token/pin-state';
import type { EcCurve } from '../../../shared/token/types';

const CASES: [EcCurve, string, 'sha256' | 'sha384'][] = [
  ['P-256', 'prime256v1', 'sha256'],
  ['P-384', 'secp384r1', 'sha384'],
];

describe('ECDSA signature encodings', () => {
  it.each(CASES)('%s: raw → DER → raw round-trips and matches node:crypto', (curve, namedCurve, hash) => {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve });
    for (let i = 0; i < 40; i++) {
      const message = Buffer.from(`message ${i}`);
      const raw = sign(hash, message, { key: privateKey, dsaEncoding: 'ieee-p1363' });
      const der = rawEcdsaToDer(raw, curve);
      expect(verify(hash, message, { key: publicKey, dsaEncoding: 'der' }, der)).toBe(true);
      expect(Buffer.from(derEcdsaToRaw(der, curve))).toEqual(raw);
    }
  });

  it('pads a high bit with 0x00 and strips leading zeros', () => {
    const raw = new Uint8Array(64);
    raw[0] = 0x80; // r = 0x80 00..00: needs a 0x00 pad
    raw[63] = 0x01; // s = 1: all leading zeros stripped
    expect(Buffer.from(rawEcdsaToDer(raw, 'P-256')).toString('hex')).toBe(`3026022100${'80'.padEnd(64, '0')}020101`);
  });

  it('rejects wrong lengths and malformed DER', () => {
    expect(() => rawEcdsaToDer(new Uint8Array(63), 'P-256')).toThrow(TokenSignatureInvalidError);
    expect(() => derEcdsaToRaw(Uint8Array.from([0x30, 0x03, 0x02, 0x01, 0x01]), 'P-256')).toThrow(TokenSignatureInvalidError);
    expect(() => derEcdsaToRaw(Uint8Array.from([0x30, 0x06, 0x02, 0x01, 0x01, 0x02, 0x01, 0x01, 0x00]), 'P-256')).toThrow(/length mismatch/);
  });

  it('encodes per dialect: raw for notary-v1, DER for tuf-1.0', () => {
    const raw = new Uint8Array(64).fill(1);
    expect(encodeEcdsaSignature(raw, 'P-256', 'notary-v1')).toEqual(raw);
    expect(encodeEcdsaSignature(raw, 'P-256', 'tuf-1.0')[0]).toBe(0x30);
  });
});

describe('EC public keys from PKCS#11 attributes', () => {
  it.each(CASES)('%s: SPKI rebuilt from a DER-wrapped CKA_EC_POINT equals node:crypto export', (curve, namedCurve) => {
    const { publicKey } = generateKeyPairSync('ec', { namedCurve });
    const spki = publicKey.export({ format: 'der', type: 'spki' });
    const jwk = publicKey.export({ format: 'jwk' });
    const point = Buffer.concat([Buffer.from([4]), Buffer.from(jwk.x ?? '', 'base64url'), Buffer.from(jwk.y ?? '', 'base64url')]);
    const wrapped = Buffer.concat([Buffer.from(point.length < 128 ? [4, point.length] : [4, 0x81, point.length]), point]);
    const unwrapped = unwrapEcPoint(wrapped, curve);
    expect(unwrapped).not.toBeNull();
    expect(Buffer.from(ecSpkiFromPoint(unwrapped ?? new Uint8Array(), curve))).toEqual(spki);
    expect(unwrapEcPoint(point, curve)).toEqual(point); // bare point accepted too
    expect(unwrapEcPoint(point.subarray(1), curve)).toBeNull();
  });

  it('maps CKA_EC_PARAMS OIDs to curves and refuses others', () => {
    expect(curveFromEcParams(Buffer.from('06082a8648ce3d030107', 'hex'))).toBe('P-256');
    expect(curveFromEcParams(Buffer.from('06052b81040022', 'hex'))).toBe('P-384');
    expect(curveFromEcParams(Buffer.from('06032b6570', 'hex'))).toBeNull(); // Ed25519: not via this path
  });
});

describe('PIN state from token flags', () => {
  it('reads CKF_USER_PIN_* most severe first', () => {
    expect(pinStateFromFlags(0x42d)).toBe('ok');
    expect(pinStateFromFlags(0x1042d)).toBe('count-low');
    expect(pinStateFromFlags(0x3042d)).toBe('final-try');
    expect(pinStateFromFlags(0x5042d)).toBe('locked');
    expect(pinStateFromFlags(0x425)).toBe('not-initialized');
  });
});

describe('PKCS#11 module profiles', () => {
  it('picks the first existing candidate and names the paths it tried', () => {
    const exists = (p: string): boolean => p === '/usr/lib/libykcs11.so';
    expect(resolveModulePath('ykcs11', { platform: 'linux', exists })).toBe('/usr/lib/libykcs11.so');
    expect(resolveModulePath('ykcs11', { platform: 'darwin', exists: (p) => p.startsWith('/opt/homebrew') })).toBe('/opt/homebrew/lib/libykcs11.dylib');
    expect(() => resolveModulePath('opensc', { platform: 'linux', exists: () => false })).toThrow(TokenModuleLoadError);
    expect(() => resolveModulePath('opensc', { platform: 'linux', exists: () => false })).toThrow(/opensc-pkcs11\.so/);
    expect(resolveModulePath('custom', { customPath: '/x/module.so' })).toBe('/x/module.so');
  });
});

import { describe, expect, it } from 'vitest';

import { base64ToHex, fromHex } from '../../../../shared/tuf/encoding';

// The shape Notary's hashes must have: standard alphabet, padded, `=` only at the end.
const PADDED_BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Deterministic strings over an alphabet that mixes valid, padding, URL-safe and non-ASCII characters. */
function* samples(count: number): Generator<string> {
  const alphabet = 'ABCab01+/=-_ \u00e9\u0100xyz=';
  let x = 0x2545f491;
  const next = (): number => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 2 ** 32;
  };
  for (let t = 0; t < count; t++) {
    let s = '';
    const len = Math.floor(next() * 13);
    for (let k = 0; k < len; k++) s += alphabet[Math.floor(next() * alphabet.length)];
    yield s;
  }
}

describe('base64ToHex (Notary target hashes)', () => {
  it('accepts exactly padded standard base64 and decodes it like Node does', () => {
    let valid = 0;
    for (const s of samples(100_000)) {
      const hex = base64ToHex(s);
      expect(hex === null, JSON.stringify(s)).toBe(!PADDED_BASE64.test(s));
      if (hex !== null) {
        expect(hex).toBe(Buffer.from(s, 'base64').toString('hex'));
        valid++;
      }
    }
    expect(valid).toBeGreaterThan(1000);
  });

  it('decodes a SHA-256 digest and refuses URL-safe, unpadded and mid-string padding', () => {
    const digest = Buffer.alloc(32, 0xfb);
    expect(base64ToHex(digest.toString('base64'))).toBe('fb'.repeat(32));
    expect(base64ToHex(digest.toString('base64url'))).toBeNull();
    expect(base64ToHex('QQ')).toBeNull();
    expect(base64ToHex('QQ==QUFB')).toBeNull();
    expect(base64ToHex('')).toBe('');
  });
});

describe('fromHex (signatures, key values)', () => {
  it('decodes hex of either case like Node does and refuses anything else', () => {
    const alphabet = '0123456789abcdefABCDEFgG \u00e9\u0130x';
    let x = 7;
    for (let t = 0; t < 20_000; t++) {
      let s = '';
      x = (x * 1103515245 + 12345) >>> 0;
      const len = x % 9;
      for (let k = 0; k < len; k++) {
        x = (x * 1103515245 + 12345) >>> 0;
        s += alphabet[(x >>> 8) % alphabet.length];
      }
      const valid = /^(?:[0-9a-fA-F]{2})*$/.test(s);
      const got = fromHex(s);
      if (!valid) expect(got, JSON.stringify(s)).toBeNull();
      else expect(got === null ? null : Buffer.from(got).toString('hex')).toBe(Buffer.from(s, 'hex').toString('hex'));
    }
  });
});

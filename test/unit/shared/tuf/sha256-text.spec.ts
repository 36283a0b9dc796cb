import { createHash } from 'node:crypto';

import { describe, expect, it } from 'vitest';

import { sha256TextHex } from '../../../../shared/tuf/sha256-text';

describe('sha256TextHex', () => {
  it('matches node:crypto for every length across several blocks, ASCII and multi-byte', () => {
    const alphabet = ['a', '/', 'Z', '9', 'é', '😀', '中', '\u0000'];
    let s = '';
    for (let n = 0; n < 300; n++) {
      expect(sha256TextHex(s), `length ${n}`).toBe(createHash('sha256').update(s, 'utf8').digest('hex'));
      s += alphabet[(n * 7) % alphabet.length];
    }
  });

  it('hashes the known test vector and a long input', () => {
    expect(sha256TextHex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    const long = 'x'.repeat(100_000);
    expect(sha256TextHex(long)).toBe(createHash('sha256').update(long).digest('hex'));
  });
});

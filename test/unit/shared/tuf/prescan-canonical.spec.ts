import { describe, expect, it } from 'vitest';

import { isCanonicalRange } from '../../../../shared/tuf/canonical-check';
import { canonicalize } from '../../../../shared/tuf/canonical-json';
import { countMembers, prescanJson } from '../../../../shared/tuf/json-prescan';
import { parseJsonBytes } from '../../../../shared/tuf/strict-json';
import { mulberry32 } from '../../../support/prng';

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
const dec = (b: Uint8Array): string => new TextDecoder().decode(b);

const ALPHABET = ['a', 'b', 'B', '_', '"', '\\', 'é', '😀', '\n', '\u0001', '/', 'z0'];

function randomValue(r: () => number, depth: number): unknown {
  const pick = r();
  if (depth > 3 || pick < 0.3) {
    const k = Math.floor(r() * 4);
    if (k === 0) return Math.floor(r() * 2000) - 1000;
    if (k === 1) return r() < 0.5;
    if (k === 2) return null;
    return randomString(r);
  }
  if (pick < 0.55) return Array.from({ length: Math.floor(r() * 4) }, () => randomValue(r, depth + 1));
  const o: Record<string, unknown> = {};
  for (let i = Math.floor(r() * 5); i > 0; i--) o[randomString(r)] = randomValue(r, depth + 1);
  return o;
}

function randomString(r: () => number): string {
  let s = '';
  for (let i = Math.floor(r() * 4); i > 0; i--) s += ALPHABET[Math.floor(r() * ALPHABET.length)];
  return s;
}

/** Variants of one document: canonical, and canonical with one local change that may break canonical form. */
function variants(signed: unknown, r: () => number): string[] {
  const canonical = dec(canonicalize(signed as never));
  const out = [`{"signatures":[],"signed":${canonical}}`, `{"signed":${canonical} , "signatures":[]}`, `{"signed":${JSON.stringify(signed, null, 1)},"signatures":[]}`];
  out.push(`{"signed":${JSON.stringify(signed)},"signatures":[]}`);
  // Swap two sibling keys somewhere, or add an escape.
  const at = Math.floor(r() * canonical.length);
  out.push(`{"signed":${canonical.slice(0, at)}${canonical.slice(at).replace('"', '"\\u0041')},"signatures":[]}`);
  return out;
}

describe('prescanJson canonical verdict', () => {
  it('agrees with isCanonicalRange on the signed member of random documents', () => {
    const r = mulberry32(458);
    let checked = 0;
    let canonicalSeen = 0;
    for (let n = 0; n < 1500; n++) {
      const signed = { _type: 'targets', v: randomValue(r, 0), w: randomValue(r, 0) };
      for (const text of variants(signed, r)) {
        const bytes = enc(text);
        let parsed: boolean;
        try {
          parseJsonBytes(bytes);
          parsed = true;
        } catch {
          parsed = false;
        }
        if (!parsed) continue; // the precondition of both checks: the document parses
        const pre = prescanJson(bytes, 128);
        if (pre === null) continue; // slow-parser input: verify-role runs isCanonicalRange itself
        const range = pre.members.get('signed');
        expect(range).toBeDefined();
        const expected = isCanonicalRange(bytes, range!.start, range!.end);
        // Skipping the duplicate count is only sound when the count would have matched.
        if (pre.duplicateFree) expect(countMembers(JSON.parse(text))).toBe(pre.memberCount);
        expect(pre.canonical.has('signed'), text).toBe(expected);
        checked++;
        if (expected) canonicalSeen++;
      }
    }
    expect(checked).toBeGreaterThan(3000);
    expect(canonicalSeen).toBeGreaterThan(1000);
  });

  it('flags whitespace, unsorted keys, duplicate-looking keys and escapes other than \\" and \\\\', () => {
    const verdict = (signed: string) => prescanJson(enc(`{"signatures":[] , "signed": ${signed} }`), 128)?.canonical.has('signed');
    expect(verdict('{"a":1,"b":[1,2],"c":{"x":"q\\"\\\\"}}')).toBe(true);
    expect(verdict('{"a":1, "b":2}')).toBe(false);
    expect(verdict('{"b":1,"a":2}')).toBe(false);
    expect(verdict('{"a":{"y":1,"x":2}}')).toBe(false);
    expect(verdict('{"a":"\\n"}')).toBe(false);
    expect(verdict('{"a":"\\u0041"}')).toBe(false);
    // Keys compare by unescaped bytes: '"' (0x22) sorts before '\\' (0x5c).
    expect(verdict('{"a\\"":1,"a\\\\":2}')).toBe(true);
    expect(verdict('{"a\\\\":1,"a\\"":2}')).toBe(false);
  });
});

describe('duplicate keys with the count skipped for canonical input', () => {
  it('still rejects duplicates anywhere, canonical-looking or not', () => {
    const docs = [
      '{"signatures":[],"signed":{"a":1,"a":2}}',
      '{"signatures":[],"signed":{"a":{"x":1,"x":1}}}',
      '{"signatures":[{"keyid":"k","keyid":"k"}],"signed":{}}',
      '{"signed":{},"signed":{}}',
      '[{"a":1,"a":2}]',
    ];
    for (const doc of docs) {
      expect(() => parseJsonBytes(enc(doc)), doc).toThrow(/duplicate key/);
    }
  });

  it('marks canonical object documents duplicate-free and others not', () => {
    expect(prescanJson(enc('{"signatures":[{"keyid":"k","sig":"s"}],"signed":{"a":1,"b":[{"c":2}]}}'), 128)?.duplicateFree).toBe(true);
    expect(prescanJson(enc('{"signatures":[],"signed":{"b":1,"a":2}}'), 128)?.duplicateFree).toBe(false);
    expect(prescanJson(enc('{"signatures": [], "signed":{"a":1}}'), 128)?.duplicateFree).toBe(true);
    expect(prescanJson(enc('{"signatures":[],"signed":{"a": 1}}'), 128)?.duplicateFree).toBe(false);
    expect(prescanJson(enc('[{"a":1}]'), 128)?.duplicateFree).toBe(false);
  });
});

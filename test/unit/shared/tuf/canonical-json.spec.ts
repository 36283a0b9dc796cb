import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

import { CanonicalJsonError } from '../../../../shared/errors';
import { isCanonicalRange } from '../../../../shared/tuf/canonical-check';
import { canonicalize, canonicalString, compareCodePoints } from '../../../../shared/tuf/canonical-json';
import type { JsonValue } from '../../../../shared/tuf/model';
import { parseJsonBytes } from '../../../../shared/tuf/strict-json';

const PYTHON = '/usr/bin/python3';

/** Tricky inputs shared with securesystemslib (catalogue #23). */
const VECTORS: JsonValue[] = [
  {},
  [],
  { a: {}, b: [], c: [{}, []] },
  'plain',
  '\u0000\u0001\u001f\u007f control \t\n\r\b\f',
  'quote " backslash \\ slash / done',
  'non-ASCII é ü ß 中文 ☃ and non-BMP 😀 𝄞',
  { é: 1, e: 2, z: 3, E: 4, '': 5 },
  // UTF-16 order puts U+1F600 (surrogates D83D..) before U+FFFF; code-point order puts it after.
  { '\uffff': 1, '😀': 2, '\ue000': 3, '\ud7ff': 4, a: 5 },
  { '10': 1, '9': 2, '1': 3, '01': 4 },
  { nested: { deeper: { deepest: [1, -1, 0, 9007199254740991, -9007199254740991] } } },
  [true, false, null, 'x', 123456789],
  { signed: { _type: 'root', version: 1, keys: { abc: { keytype: 'ed25519', keyval: { public: 'ff' } } } } },
];

function pythonCanonical(values: JsonValue[]): string[] | null {
  if (!existsSync(PYTHON)) return null;
  const script = [
    'import json, sys',
    'from securesystemslib.formats import encode_canonical',
    'vals = json.loads(sys.stdin.read())',
    'sys.stdout.write(json.dumps([encode_canonical(v) for v in vals]))',
  ].join('\n');
  const r = spawnSync(PYTHON, ['-c', script], { input: JSON.stringify(values), encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`python failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as string[];
}

const expected = pythonCanonical(VECTORS);

describe('canonicalize', () => {
  it.skipIf(expected === null)('matches securesystemslib encode_canonical byte for byte (golden vectors; needs /usr/bin/python3)', () => {
    VECTORS.forEach((v, i) => {
      const ours = canonicalize(v);
      const theirs = new TextEncoder().encode(expected![i]);
      expect(Buffer.from(ours).toString('hex'), `vector ${i}: ${JSON.stringify(v)}`).toBe(Buffer.from(theirs).toString('hex'));
    });
  });

  it('escapes only quote and backslash, writing control characters raw', () => {
    expect(canonicalString({ s: 'a"b\\c\n\u0001' })).toBe('{"s":"a\\"b\\\\c\n\u0001"}');
  });

  it('sorts keys by code point, not by UTF-16 unit', () => {
    expect(canonicalString({ '😀': 1, '\uffff': 2 })).toBe('{"\uffff":2,"😀":1}');
    expect(compareCodePoints('\uffff', '😀')).toBeLessThan(0);
    expect(compareCodePoints('😀', '\uffff')).toBeGreaterThan(0);
    expect(compareCodePoints('a', 'ab')).toBeLessThan(0);
  });

  it.each([
    [{ x: 1.5 }, /non-integer/],
    [{ x: -0 }, /-0/],
    [{ x: 2 ** 53 }, /outside/],
    [{ x: NaN }, /non-integer/],
    [{ x: '\ud800' }, /lone surrogate/],
    [{ x: 'a\udc00b' }, /lone surrogate/],
    [{ x: undefined as unknown as JsonValue }, /not a JSON value/],
  ])('rejects %j', (value, message) => {
    expect(() => canonicalize(value)).toThrow(CanonicalJsonError);
    expect(() => canonicalize(value)).toThrow(message);
  });

  it('names the JSON pointer of a bad value', () => {
    try {
      canonicalize({ a: [{ 'b/c': 0.5 }] });
      expect.unreachable();
    } catch (error) {
      expect((error as CanonicalJsonError).detail['path']).toBe('/a/0/b~1c');
    }
  });
});

describe('isCanonicalRange', () => {
  const check = (text: string): boolean => {
    const b = new TextEncoder().encode(text);
    return isCanonicalRange(b, 0, b.length);
  };

  it('accepts exactly the canonical encodings of the vectors', () => {
    for (const v of VECTORS) {
      const bytes = canonicalize(v);
      expect(isCanonicalRange(bytes, 0, bytes.length)).toBe(true);
    }
  });

  it.each([
    ['{"b":1,"a":2}', 'unsorted keys'],
    ['{"a":1, "b":2}', 'whitespace'],
    ['{"a":"\\n"}', 'escape other than \\" and \\\\'],
    ['{"a":"\\u0041"}', 'unicode escape'],
    ['{"😀":1,"\uffff":2}', 'UTF-16 order instead of code point order'],
    ['{"a":1}{}', 'two values'],
    ['{"a":1', 'unterminated'],
  ])('rejects %s (%s)', (text) => {
    expect(check(text)).toBe(false);
  });

  it('compares escaped keys by their unescaped bytes', () => {
    expect(check('{"a\\"":1,"a\\\\":2}')).toBe(true); // '"' (0x22) < '\' (0x5c)
    expect(check('{"a\\\\":1,"a\\"":2}')).toBe(false);
  });

  it('agrees with canonicalize(parse(bytes)) on a sub-range', () => {
    const text = '{"signatures":[],"signed":{"a":[1,2,{"x":"y"}],"b":"é"}}';
    const bytes = new TextEncoder().encode(text);
    const { value, members } = parseJsonBytes(bytes);
    const range = members.get('signed')!;
    expect(isCanonicalRange(bytes, range.start, range.end)).toBe(true);
    const signed = (value as Record<string, JsonValue>)['signed']!;
    expect(Buffer.from(bytes.subarray(range.start, range.end)).equals(Buffer.from(canonicalize(signed)))).toBe(true);
  });
});

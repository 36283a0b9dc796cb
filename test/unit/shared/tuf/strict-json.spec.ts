import { describe, expect, it } from 'vitest';

import { MetadataParseError } from '../../../../shared/errors';
import { firstInvalidUtf8, parseJsonBytes, parseJsonText } from '../../../../shared/tuf/strict-json';

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);

function parseError(input: string | Uint8Array, options = {}): MetadataParseError {
  try {
    parseJsonBytes(typeof input === 'string' ? enc(input) : input, options);
  } catch (error) {
    expect(error).toBeInstanceOf(MetadataParseError);
    return error as MetadataParseError;
  }
  throw new Error('expected a MetadataParseError');
}

describe('parseJsonBytes', () => {
  it('parses what JSON.parse parses, for valid metadata-like input', () => {
    const text = '{"signed":{"_type":"root","a":[1,-2,true,false,null,"x\\u00e9\\n\\"\\/"],"b":{}},"signatures":[]}';
    expect(parseJsonText(text).value).toEqual(JSON.parse(text));
  });

  it('rejects duplicate keys with their byte offset and path', () => {
    const e = parseError('{"signed":{"version":1,"version":2}}');
    expect(e.message).toMatch(/duplicate key "version"/);
    expect(e.offset).toBe(23);
    expect(e.path).toBe('/signed');
  });

  it('keeps __proto__ as a plain member and does not touch the prototype', () => {
    const { value } = parseJsonText('{"__proto__":{"polluted":1},"a":1}');
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect(Object.keys(value as object)).toEqual(['__proto__', 'a']);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    expect(parseError('{"__proto__":1,"__proto__":2}').message).toMatch(/duplicate/);
  });

  it('enforces the size cap before parsing', () => {
    const e = parseError('{"a":"' + 'x'.repeat(100) + '"}', { maxBytes: 50 });
    expect(e.message).toMatch(/above the 50-byte cap/);
  });

  it('turns 10^5 nesting into a clean error, not a stack overflow', () => {
    const deep = '['.repeat(100_000) + ']'.repeat(100_000);
    expect(parseError(deep).message).toMatch(/nesting deeper than 128/);
    const deepObj = '{"a":'.repeat(100_000) + '1' + '}'.repeat(100_000);
    expect(parseError(deepObj, { maxDepth: 10 }).message).toMatch(/nesting deeper than 10/);
  });

  it('rejects invalid UTF-8 with the offending byte offset', () => {
    const bytes = new Uint8Array([...enc('{"a":"é'), 0xff, ...enc('"}')]);
    const e = parseError(bytes);
    expect(e.message).toMatch(/invalid UTF-8 at byte 8/);
    expect(firstInvalidUtf8(new Uint8Array([0x41, 0xed, 0xa0, 0x80]))).toBe(1); // encoded surrogate
    expect(firstInvalidUtf8(new Uint8Array([0xc0, 0x80]))).toBe(0); // overlong
    expect(firstInvalidUtf8(enc('ok 😀'))).toBe(7);
  });

  it('rejects a byte-order mark', () => {
    expect(parseError(new Uint8Array([0xef, 0xbb, 0xbf, ...enc('{}')])).message).toMatch(/byte-order mark|unexpected character/);
  });

  it.each([
    ['{"a":1.5}', /not an integer/],
    ['{"a":1e3}', /not an integer/],
    ['{"a":1E+3}', /not an integer/],
    ['{"a":-0}', /-0/],
    ['{"a":9007199254740992}', /outside/],
    ['{"a":9223372036854775808}', /outside/],
    ['{"a":01}', /expected ','/],
    ['{"a":"\\ud800"}', /lone surrogate/],
    ['{"a":"\\udc00\\ud800"}', /lone surrogate/],
    ['{"a":"\u0001"}', /raw control character/],
    ['{"a":"x}', /unterminated|raw control/],
    ['{"a":1,}', /expected a string object key/],
    ['[1,2', /expected ','|end of input/],
    ['{"a":tru}', /invalid literal/],
    ['{"a":1} x', /unexpected data after/],
    ['{"a":"\\x"}', /invalid escape/],
    ['', /unexpected end of input/],
  ])('rejects %s', (text, message) => {
    expect(parseError(text).message).toMatch(message);
  });

  it('accepts the largest safe integers and valid surrogate pairs', () => {
    expect(parseJsonText('[9007199254740991,-9007199254740991,"\\ud83d\\ude00"]').value).toEqual([
      Number.MAX_SAFE_INTEGER,
      -Number.MAX_SAFE_INTEGER,
      '😀',
    ]);
  });

  it('allows non-integers only when asked', () => {
    expect(parseJsonText('{"a":1.5e2}', { allowNonIntegers: true }).value).toEqual({ a: 150 });
  });

  it('records byte ranges of top-level members, counting UTF-8 bytes', () => {
    const text = '{ "x" : "ééé" , "signed" : {"a":"😀"} }';
    const bytes = enc(text);
    const { members } = parseJsonBytes(bytes);
    const r = members.get('signed')!;
    expect(new TextDecoder().decode(bytes.subarray(r.start, r.end))).toBe('{"a":"😀"}');
    const x = members.get('x')!;
    expect(new TextDecoder().decode(bytes.subarray(x.start, x.end))).toBe('"ééé"');
  });

  it('reports offsets in bytes after multi-byte characters', () => {
    const e = parseError('{"é":1,"é":2}');
    expect(e.offset).toBe(enc('{"é":1,').length);
  });

  it('parses a 10 MB targets-like document quickly', () => {
    const targets: Record<string, unknown> = {};
    for (let i = 0; i < 40_000; i++) {
      targets[`packages/${i % 97}/${i}/pkg_${i}-1.0-py3-none-any.whl`] = {
        hashes: { sha256: 'a'.repeat(64), sha512: 'b'.repeat(128) },
        length: i,
      };
    }
    const bytes = enc(JSON.stringify({ signed: { _type: 'targets', targets }, signatures: [] }));
    const t0 = performance.now();
    const { value } = parseJsonBytes(bytes);
    const ms = performance.now() - t0;
    expect(Object.keys(((value as Record<string, Record<string, object>>)['signed']!)['targets']!).length).toBe(40_000);
    // ~10 MB: JSON.parse takes ~100 ms here; allow generous headroom for a loaded CI core.
    expect(ms).toBeLessThan(3_000);
  });
});

describe('parseJsonBytes fast path (pre-scan + JSON.parse)', () => {
  // A small deterministic generator of nasty-but-valid documents.
  function* documents(): Generator<string> {
    let seed = 7;
    const rnd = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    const strings = ['a', 'é', '😀', '\\"q\\"', '\\\\', '\\u00e9', '\\ud83d\\ude00', '10', '9', '__proto__', '', 'x y'];
    const value = (depth: number): string => {
      const k = rnd(depth > 4 ? 4 : 7);
      if (k === 0) return String(rnd(1000) - 500);
      if (k === 1) return `"${strings[rnd(strings.length)]!}"`;
      if (k === 2) return ['true', 'false', 'null'][rnd(3)]!;
      if (k === 3) return '9007199254740991';
      if (k === 4) return `[${Array.from({ length: rnd(4) }, () => value(depth + 1)).join(' , ')}]`;
      const keys = new Set<string>();
      const n = rnd(5);
      for (let i = 0; i < n; i++) keys.add(strings[rnd(strings.length)]!);
      // Keys that decode equal ("é" and "\u00e9") would be real duplicates: keep one spelling.
      if (keys.has('é') && keys.has('\\u00e9')) keys.delete('\\u00e9');
      if (keys.has('😀') && keys.has('\\ud83d\\ude00')) keys.delete('😀');
      return `{${[...keys].map((k2) => `"${k2}" :${value(depth + 1)}`).join(',')}}`;
    };
    for (let i = 0; i < 300; i++) yield `{"signed":${value(0)},"signatures":[]}`;
  }

  it('agrees with the slow parser on values and member ranges', () => {
    for (const doc of documents()) {
      const bytes = enc(doc);
      const fast = parseJsonBytes(bytes);
      const slow = parseJsonBytes(bytes, { fastPath: false });
      expect(fast.value, doc).toStrictEqual(slow.value);
      expect([...fast.members], doc).toEqual([...slow.members]);
    }
  });

  it.each([
    '{"a":{"x":1,"x":2}}',
    '{"a":{"x":{"deep":1},"x":2}}',
    '{"a":[{"k":1},{"k":1,"k":1}]}',
    '{"a":1,"\\u0061":2}',
    '{"__proto__":1,"__proto__":1}',
  ])('still finds duplicates in %s', (doc) => {
    expect(() => parseJsonBytes(enc(doc))).toThrow(/duplicate key/);
  });

  it('returns byte ranges of top-level members on the fast path', () => {
    const bytes = enc('{"signatures" : [ ] ,\n "signed":{"a" : "é"} }');
    const r = parseJsonBytes(bytes).members.get('signed')!;
    expect(new TextDecoder().decode(bytes.subarray(r.start, r.end))).toBe('{"a" : "é"}');
  });
});

import { CanonicalJsonError } from '../errors';
import type { JsonValue } from './model';

/**
 * OLPC canonical JSON exactly as securesystemslib `encode_canonical` and Notary's
 * `MarshalCanonical` write it: no whitespace, object keys sorted by Unicode code point (the UTF-8
 * byte order, not JS's UTF-16 order), only `"` and `\` escaped, everything else raw, integers only.
 * It writes straight into a growing byte buffer: this is the hot path for large targets files.
 */

const QUOTE = 0x22;
const BACKSLASH = 0x5c;

class ByteWriter {
  buf: Uint8Array;
  len = 0;
  constructor(initial: number) {
    this.buf = new Uint8Array(Math.max(initial, 256));
  }
  ensure(extra: number): void {
    const need = this.len + extra;
    if (need <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < need) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.len));
    this.buf = next;
  }
  byte(b: number): void {
    if (this.len === this.buf.length) this.ensure(1);
    this.buf[this.len++] = b;
  }
  ascii(s: string): void {
    this.ensure(s.length);
    for (let i = 0; i < s.length; i++) this.buf[this.len++] = s.charCodeAt(i);
  }
}

/** Compare two strings by Unicode code point (equivalently, by their UTF-8 bytes). */
export function compareCodePoints(a: string, b: string): number {
  const n = a.length < b.length ? a.length : b.length;
  for (let i = 0; i < n; i++) {
    const ca = a.charCodeAt(i);
    const cb = b.charCodeAt(i);
    if (ca !== cb) {
      // UTF-16 order differs from code point order only when a surrogate meets U+E000..U+FFFF:
      // surrogates encode code points above U+FFFF, so move them above that block.
      if (ca >= 0xd800 && cb >= 0xd800) return fixup(ca) - fixup(cb);
      return ca - cb;
    }
  }
  return a.length - b.length;
}

function fixup(c: number): number {
  if (c >= 0xe000) return c - 0x800;
  if (c >= 0xd800) return c + 0x2000;
  return c;
}

function writeString(w: ByteWriter, s: string, trail: (string | number)[]): void {
  // Worst case 3 bytes per UTF-16 unit (+ escapes fit in that bound) plus quotes.
  w.ensure(s.length * 3 + 2);
  const buf = w.buf;
  let len = w.len;
  buf[len++] = QUOTE;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) {
      if (c === QUOTE || c === BACKSLASH) buf[len++] = BACKSLASH;
      buf[len++] = c;
    } else if (c < 0x800) {
      buf[len++] = 0xc0 | (c >> 6);
      buf[len++] = 0x80 | (c & 0x3f);
    } else if (c >= 0xd800 && c <= 0xdfff) {
      const d = i + 1 < s.length ? s.charCodeAt(i + 1) : 0;
      if (c > 0xdbff || d < 0xdc00 || d > 0xdfff) {
        w.len = len;
        const path = pointer(trail);
        throw new CanonicalJsonError(`lone surrogate U+${c.toString(16).toUpperCase()} in string at ${path || '/'}`, { path });
      }
      const cp = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
      buf[len++] = 0xf0 | (cp >> 18);
      buf[len++] = 0x80 | ((cp >> 12) & 0x3f);
      buf[len++] = 0x80 | ((cp >> 6) & 0x3f);
      buf[len++] = 0x80 | (cp & 0x3f);
      i++;
    } else {
      buf[len++] = 0xe0 | (c >> 12);
      buf[len++] = 0x80 | ((c >> 6) & 0x3f);
      buf[len++] = 0x80 | (c & 0x3f);
    }
  }
  buf[len++] = QUOTE;
  w.len = len;
}

function writeNumber(w: ByteWriter, n: number, trail: (string | number)[]): void {
  if (Number.isSafeInteger(n) && !Object.is(n, -0)) {
    w.ascii(String(n));
    return;
  }
  const path = pointer(trail);
  if (!Number.isInteger(n)) {
    throw new CanonicalJsonError(`non-integer number ${String(n)} at ${path || '/'} cannot be canonical JSON`, { path });
  }
  if (Object.is(n, -0)) throw new CanonicalJsonError(`-0 at ${path || '/'} cannot be canonical JSON`, { path });
  if (!Number.isSafeInteger(n)) {
    throw new CanonicalJsonError(`integer ${String(n)} at ${path || '/'} is outside ±(2^53-1)`, { path });
  }
}

const SURROGATE = /[\ud800-\udfff]/;

/**
 * Sort keys in code-point order, in place. Without surrogates, JS's native UTF-16 order is the
 * same and far faster than a comparator; already-sorted input (the common case) is only checked.
 */
function sortKeys(keys: string[]): void {
  let sorted = true;
  let surrogates = false;
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i]!;
    if (!surrogates && SURROGATE.test(k)) surrogates = true;
    if (i > 0 && !(keys[i - 1]! < k)) sorted = false;
  }
  if (surrogates) {
    keys.sort(compareCodePoints);
  } else if (!sorted) {
    keys.sort();
  }
}

/** JSON pointer of the value being written; built only when an error is reported. */
function pointer(trail: (string | number)[]): string {
  return trail.map((k) => `/${String(k).replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');
}

function writeValue(w: ByteWriter, v: unknown, trail: (string | number)[]): void {
  if (trail.length > 512) throw new CanonicalJsonError('nesting deeper than 512', { path: pointer(trail) });
  if (v === null) return w.ascii('null');
  switch (typeof v) {
    case 'string':
      return writeString(w, v, trail);
    case 'number':
      return writeNumber(w, v, trail);
    case 'boolean':
      return w.ascii(v ? 'true' : 'false');
    case 'object':
      break;
    default: {
      const path = pointer(trail);
      throw new CanonicalJsonError(`${typeof v} at ${path || '/'} is not a JSON value`, { path });
    }
  }
  if (Array.isArray(v)) {
    w.byte(0x5b);
    for (let i = 0; i < v.length; i++) {
      if (i > 0) w.byte(0x2c);
      trail.push(i);
      writeValue(w, v[i], trail);
      trail.pop();
    }
    w.byte(0x5d);
    return;
  }
  const obj = v as Record<string, unknown>;
  const keys = Object.keys(obj);
  sortKeys(keys);
  w.byte(0x7b);
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i]!;
    if (i > 0) w.byte(0x2c);
    writeString(w, k, trail);
    w.byte(0x3a);
    trail.push(k);
    writeValue(w, obj[k], trail);
    trail.pop();
  }
  w.byte(0x7d);
}

/**
 * Canonical JSON bytes of `value`. Throws CanonicalJsonError for floats, -0, integers beyond
 * ±(2^53-1), lone surrogates and non-JSON values. `sizeHint` pre-sizes the buffer (e.g. file size).
 */
export function canonicalize(value: JsonValue, sizeHint = 4096): Uint8Array {
  const w = new ByteWriter(sizeHint);
  writeValue(w, value, []);
  return w.buf.subarray(0, w.len);
}

/** Canonical JSON as a string (tests, small values). */
export function canonicalString(value: JsonValue): string {
  return new TextDecoder().decode(canonicalize(value));
}

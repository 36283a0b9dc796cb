import { MetadataParseError } from '../errors';
import type { ByteRange, JsonObject, JsonValue } from './model';
import { utf8Length } from './utf8';

/**
 * The precise (slow) strict JSON parser: a recursive-descent parser with a depth cap that reports
 * the exact byte offset and JSON pointer of every error. strict-json.ts uses it when the fast path
 * cannot decide, and for every invalid document.
 */

export interface ParsedDocument {
  value: JsonValue;
  members: Map<string, ByteRange>;
}

export class Parser {
  private i = 0;
  private readonly trail: (string | number)[] = [];
  private readonly ascii: boolean;
  private readonly members = new Map<string, ByteRange>();

  constructor(
    private readonly s: string,
    byteLength: number,
    private readonly maxDepth: number,
    private readonly allowNonIntegers: boolean,
  ) {
    this.ascii = s.length === byteLength;
  }

  parseDocument(): ParsedDocument {
    this.ws();
    if (this.s.charCodeAt(0) === 0xfeff) this.fail('byte-order mark is not allowed');
    const value = this.value(0);
    this.ws();
    if (this.i < this.s.length) this.fail('unexpected data after the JSON value');
    return { value, members: this.members };
  }

  private byteOffset(index: number): number {
    return this.ascii ? index : utf8Length(this.s, index);
  }

  private fail(message: string, at = this.i): never {
    const offset = this.byteOffset(Math.min(at, this.s.length));
    const path = this.trail.map((k) => `/${String(k).replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');
    throw new MetadataParseError(`${message} at byte ${offset} (path ${path || '/'})`, { offset, path });
  }

  private ws(): void {
    const s = this.s;
    let i = this.i;
    for (;;) {
      const c = s.charCodeAt(i);
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) i++;
      else break;
    }
    this.i = i;
  }

  private value(depth: number): JsonValue {
    const c = this.s.charCodeAt(this.i);
    switch (c) {
      case 0x7b:
        return this.object(depth + 1);
      case 0x5b:
        return this.array(depth + 1);
      case 0x22:
        return this.string();
      case 0x74:
        return this.literal('true', true);
      case 0x66:
        return this.literal('false', false);
      case 0x6e:
        return this.literal('null', null);
      default:
        if (c === 0x2d || (c >= 0x30 && c <= 0x39)) return this.number();
        return this.fail(Number.isNaN(c) ? 'unexpected end of input' : `unexpected character ${JSON.stringify(this.s[this.i])}`);
    }
  }

  private literal<T extends JsonValue>(word: string, v: T): T {
    if (!this.s.startsWith(word, this.i)) this.fail(`invalid literal (expected ${word})`);
    this.i += word.length;
    return v;
  }

  private object(depth: number): JsonObject {
    if (depth > this.maxDepth) this.fail(`nesting deeper than ${this.maxDepth}`);
    const top = depth === 1;
    const obj: JsonObject = {};
    this.i++;
    this.ws();
    if (this.s.charCodeAt(this.i) === 0x7d) {
      this.i++;
      return obj;
    }
    for (;;) {
      if (this.s.charCodeAt(this.i) !== 0x22) this.fail('expected a string object key');
      const keyAt = this.i;
      const key = this.string();
      this.ws();
      if (this.s.charCodeAt(this.i) !== 0x3a) this.fail("expected ':' after object key");
      this.i++;
      this.ws();
      if (Object.hasOwn(obj, key)) this.fail(`duplicate key ${JSON.stringify(key)}`, keyAt);
      this.trail.push(key);
      const start = this.i;
      const v = this.value(depth);
      if (top) this.members.set(key, { start: this.byteOffset(start), end: this.byteOffset(this.i) });
      this.trail.pop();
      // A plain assignment of "__proto__" would replace the prototype instead of adding a member.
      if (key === '__proto__') Object.defineProperty(obj, key, { value: v, enumerable: true, writable: true, configurable: true });
      else obj[key] = v;
      this.ws();
      const c = this.s.charCodeAt(this.i);
      if (c === 0x2c) {
        this.i++;
        this.ws();
      } else if (c === 0x7d) {
        this.i++;
        return obj;
      } else {
        this.fail("expected ',' or '}' in object");
      }
    }
  }

  private array(depth: number): JsonValue[] {
    if (depth > this.maxDepth) this.fail(`nesting deeper than ${this.maxDepth}`);
    const arr: JsonValue[] = [];
    this.i++;
    this.ws();
    if (this.s.charCodeAt(this.i) === 0x5d) {
      this.i++;
      return arr;
    }
    for (;;) {
      this.trail.push(arr.length);
      arr.push(this.value(depth));
      this.trail.pop();
      this.ws();
      const c = this.s.charCodeAt(this.i);
      if (c === 0x2c) {
        this.i++;
        this.ws();
      } else if (c === 0x5d) {
        this.i++;
        return arr;
      } else {
        this.fail("expected ',' or ']' in array");
      }
    }
  }

  private string(): string {
    const s = this.s;
    const start = ++this.i;
    let i = start;
    for (;;) {
      const c = s.charCodeAt(i);
      if (c === 0x22) {
        this.i = i + 1;
        return s.slice(start, i);
      }
      if (c === 0x5c) break;
      if (c < 0x20 || Number.isNaN(c)) this.stringCharError(i);
      i++;
    }
    return this.escapedString(start, i);
  }

  private stringCharError(i: number): never {
    if (i >= this.s.length) this.fail('unterminated string', i);
    this.fail(`raw control character U+${this.s.charCodeAt(i).toString(16).padStart(4, '0')} in string`, i);
  }

  private escapedString(start: number, firstEscape: number): string {
    const s = this.s;
    let out = s.slice(start, firstEscape);
    let i = firstEscape;
    for (;;) {
      const c = s.charCodeAt(i);
      if (c === 0x22) {
        this.i = i + 1;
        return out;
      }
      if (c < 0x20 || Number.isNaN(c)) this.stringCharError(i);
      if (c !== 0x5c) {
        let j = i + 1;
        while (j < s.length) {
          const d = s.charCodeAt(j);
          if (d === 0x22 || d === 0x5c || d < 0x20) break;
          j++;
        }
        out += s.slice(i, j);
        i = j;
        continue;
      }
      const e = s.charCodeAt(i + 1);
      i += 2;
      switch (e) {
        case 0x22: out += '"'; break;
        case 0x5c: out += '\\'; break;
        case 0x2f: out += '/'; break;
        case 0x62: out += '\b'; break;
        case 0x66: out += '\f'; break;
        case 0x6e: out += '\n'; break;
        case 0x72: out += '\r'; break;
        case 0x74: out += '\t'; break;
        case 0x75: {
          const u = this.hex4(i);
          i += 4;
          if (u >= 0xd800 && u <= 0xdbff) {
            if (s.charCodeAt(i) !== 0x5c || s.charCodeAt(i + 1) !== 0x75) this.fail('lone surrogate escape in string', i - 6);
            const low = this.hex4(i + 2);
            if (low < 0xdc00 || low > 0xdfff) this.fail('lone surrogate escape in string', i - 6);
            out += String.fromCharCode(u, low);
            i += 6;
          } else if (u >= 0xdc00 && u <= 0xdfff) {
            this.fail('lone surrogate escape in string', i - 6);
          } else {
            out += String.fromCharCode(u);
          }
          break;
        }
        default:
          this.fail('invalid escape in string', i - 2);
      }
    }
  }

  private hex4(at: number): number {
    const h = this.s.slice(at, at + 4);
    if (!/^[0-9a-fA-F]{4}$/.test(h)) this.fail('invalid \\u escape', at - 2);
    return parseInt(h, 16);
  }

  private number(): number {
    const s = this.s;
    const start = this.i;
    let i = start;
    if (s.charCodeAt(i) === 0x2d) i++;
    const intStart = i;
    const first = s.charCodeAt(i);
    if (first === 0x30) i++;
    else if (first >= 0x31 && first <= 0x39) while (isDigit(s.charCodeAt(i))) i++;
    else this.fail('invalid number', start);
    const intEnd = i;
    let integer = true;
    if (s.charCodeAt(i) === 0x2e) {
      integer = false;
      i++;
      if (!isDigit(s.charCodeAt(i))) this.fail('invalid number (digit expected after .)', start);
      while (isDigit(s.charCodeAt(i))) i++;
    }
    const e = s.charCodeAt(i);
    if (e === 0x65 || e === 0x45) {
      integer = false;
      i++;
      const sign = s.charCodeAt(i);
      if (sign === 0x2b || sign === 0x2d) i++;
      if (!isDigit(s.charCodeAt(i))) this.fail('invalid number (digit expected in exponent)', start);
      while (isDigit(s.charCodeAt(i))) i++;
    }
    this.i = i;
    const text = s.slice(start, i);
    if (!integer) {
      if (this.allowNonIntegers) return Number(text);
      this.fail(`number ${text} is not an integer (fractions and exponents cannot be canonical JSON)`, start);
    }
    if (text === '-0') this.fail('-0 is not allowed', start);
    const n = Number(text);
    if (intEnd - intStart > 15 && !Number.isSafeInteger(n)) {
      if (this.allowNonIntegers) return n;
      this.fail(`integer ${text} is outside ±(2^53-1)`, start);
    }
    return n;
  }
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

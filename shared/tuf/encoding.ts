/** Hex and base64 for the pure zone (no Buffer here). Decoders return null on any invalid input. */

const BYTE_HEX: string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

export function toHex(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i++) out += BYTE_HEX[bytes[i]!]!;
  return out;
}


const LOWER_HEX = /^(?:[0-9a-f]{2})*$/;
const ANY_HEX = /^(?:[0-9a-fA-F]{2})*$/;

/**
 * Lower-case hex of a hex string, or null when it is not hex (no byte decoding: hot path). Kept as
 * a regex on purpose: on 300k 128-digit strings from JSON.parse, V8's compiled regex took 130-175 ms
 * where a charCodeAt loop took 450-1,000 ms (Node 20, measured while tuning the 100k-target bench).
 */
export function normalizeHex(s: string): string | null {
  if (LOWER_HEX.test(s)) return s;
  return ANY_HEX.test(s) ? s.toLowerCase() : null;
}

/** Nibble value per char code, -1 for anything but [0-9a-fA-F]. */
const HEX_VALUE = new Int8Array(128).fill(-1);
for (let c = 0; c < 16; c++) {
  HEX_VALUE[c.toString(16).charCodeAt(0)] = c;
  HEX_VALUE[c.toString(16).toUpperCase().charCodeAt(0)] = c;
}

export function fromHex(s: string): Uint8Array | null {
  if (s.length % 2 !== 0) return null;
  const out = new Uint8Array(s.length / 2);
  for (let i = 0; i < out.length; i++) {
    // A char code of 128 or more indexes past the table: undefined, refused like -1.
    const hi = HEX_VALUE[s.charCodeAt(2 * i)] ?? -1;
    const lo = HEX_VALUE[s.charCodeAt(2 * i + 1)] ?? -1;
    if (hi < 0 || lo < 0) return null;
    out[i] = (hi << 4) | lo;
  }
  return out;
}

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const B64_INDEX = new Int16Array(128).fill(-1);
for (let i = 0; i < B64.length; i++) B64_INDEX[B64.charCodeAt(i)] = i;

/** Standard base64 with padding (what Go's encoding/json writes for []byte). */
export function fromBase64(s: string): Uint8Array | null {
  if (s.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(s)) return null;
  const pad = s.endsWith('==') ? 2 : s.endsWith('=') ? 1 : 0;
  const out = new Uint8Array((s.length / 4) * 3 - pad);
  let o = 0;
  for (let i = 0; i < s.length; i += 4) {
    const a = B64_INDEX[s.charCodeAt(i)]!;
    const b = B64_INDEX[s.charCodeAt(i + 1)]!;
    const c = s[i + 2] === '=' ? 0 : B64_INDEX[s.charCodeAt(i + 2)]!;
    const d = s[i + 3] === '=' ? 0 : B64_INDEX[s.charCodeAt(i + 3)]!;
    const n = (a << 18) | (b << 12) | (c << 6) | d;
    if (o < out.length) out[o++] = (n >> 16) & 255;
    if (o < out.length) out[o++] = (n >> 8) & 255;
    if (o < out.length) out[o++] = n & 255;
  }
  return out;
}

export function toBase64(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const a = bytes[i]!;
    const b = bytes[i + 1];
    const c = bytes[i + 2];
    const n = (a << 16) | ((b ?? 0) << 8) | (c ?? 0);
    out += B64[(n >> 18) & 63]! + B64[(n >> 12) & 63]!;
    out += b === undefined ? '=' : B64[(n >> 6) & 63]!;
    out += c === undefined ? '=' : B64[n & 63]!;
  }
  return out;
}

const HEX_DIGITS = new TextEncoder().encode('0123456789abcdef');
const asciiDecoder = new TextDecoder();
let scratch = new Uint8Array(256);

/**
 * Hex of standard padded base64 (Notary hashes: hot path). Hex digits go into a reused buffer and
 * become one string, instead of dozens of concatenations per hash that keep the GC busy.
 */
export function base64ToHex(s: string): string | null {
  // Shape checked in the decoding loop (a regex pass first cost as much as the decoding): groups of
  // four base64 characters; `=` only as `xx==` or `xxx=` in the last group.
  const len = s.length;
  if (len % 4 !== 0) return null;
  const need = (len / 4) * 6;
  if (scratch.length < need) scratch = new Uint8Array(need * 2);
  const out = scratch;
  let o = 0;
  for (let i = 0; i < len; i += 4) {
    const c3 = s.charCodeAt(i + 2);
    const c4 = s.charCodeAt(i + 3);
    const last = i + 4 === len;
    let bytes = 3;
    if (last && c3 === 0x3d) {
      if (c4 !== 0x3d) return null;
      bytes = 1;
    } else if (last && c4 === 0x3d) bytes = 2;
    const v0 = b64Value(s.charCodeAt(i));
    const v1 = b64Value(s.charCodeAt(i + 1));
    const v2 = bytes === 1 ? 0 : b64Value(c3);
    const v3 = bytes < 3 ? 0 : b64Value(c4);
    if ((v0 | v1 | v2 | v3) < 0) return null;
    const n = (v0 << 18) | (v1 << 12) | (v2 << 6) | v3;
    for (let k = 0; k < bytes; k++) {
      const byte = (n >> (16 - 8 * k)) & 255;
      out[o++] = HEX_DIGITS[byte >> 4]!;
      out[o++] = HEX_DIGITS[byte & 15]!;
    }
  }
  return asciiDecoder.decode(out.subarray(0, o));
}

/** The 6-bit value of a standard base64 character, -1 for anything else (`=` included). */
function b64Value(c: number): number {
  return c < 128 ? B64_INDEX[c]! : -1;
}

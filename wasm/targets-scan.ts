// AssemblyScript (compiled by scripts/build-wasm.mjs into shared/tuf/wasm/targets-scan-module.ts).
//
// The byte loop of the canonical targets scanner (shared/tuf/targets-scan.ts) in WebAssembly:
// the same narrow grammar, the same refusals, but bytes are checked 16 at a time and strings are
// never built here. JS writes the file and the parameters into linear memory, calls scan(), and
// reads offsets back (shared/tuf/targets-scan-wasm.ts). Status 0 = accepted; anything else means
// "not handled here" and the caller takes the JS scanner, so this file only has to be right when
// it accepts (test/unit/shared/tuf/targets-scan-wasm.spec.ts compares both on every input).
//
import { placePaths } from './path-sha256';

// Memory layout (byte addresses; the header is i32 words at 0):
//   params  [0] in  [1] len (trimmed)  [2] out  [3] out capacity (words)  [4] lengths (f64 array)
//           [5] lengths capacity  [6] prefixes  [7] prefix count (any number)  [8] flags  [9] events  [10] events cap
//           [11] path list (two i32 per target)  [12] admission bytes  [13] their capacity (targets)
//   results [16] status  [17] signed start  [18] signed end  [19] signature count
//           [20] empty delegations  [21,22] expires  [23,24] spec_version  [25] targets  [26] admitted
//           [27] outside  [28] events  [29] out words used  [30,31] version (f64 at byte 120)
//   signatures at byte 256: per signature keyid start, end, sig start, end (at most 64)
//   scratch   at byte 1280: path-sha256.ts
// Target records (flag EMIT_TARGETS): path start, path end, hash count | admitted << 16, then per
// hash: name start | code << 28 (1 sha256, 2 sha512, 0 other), name end, value start, value end.
// Lengths: one f64 per target (inputs are below 2^27 bytes: DEFAULT_MAX_BYTES is 100 MiB).
// Events: path start, path end, bits (1 = path needs the JS unsafe-path check, 2 = outside, one
// of the first three). Prefixes: per prefix a nibble count byte then that many nibbles.

const EMIT_TARGETS: i32 = 1;
const ADMIT_BY_PREFIX: i32 = 2;

const OK: i32 = 0;
const REFUSED: i32 = 1;
/** An output area was too small: refused too (the JS scanner takes the file). */
const OVERFLOW: i32 = 2;

const SIGS: usize = 256;
const MAX_SIGS: i32 = 64;

let b: usize = 0;
let end: usize = 0;
let pos: usize = 0;
let status: i32 = OK;

// @inline
function refuse(): void {
  if (status == OK) status = REFUSED;
}

function param(k: usize): i32 {
  return load<i32>(k << 2);
}

function result(k: usize, v: i32): void {
  store<i32>(k << 2, v);
}

/** Every byte of [0, len) printable ASCII but `\`: then string bodies only need their closing quote. */
function printable(p: usize, len: usize): bool {
  const lo = i8x16.splat(0x20);
  const hi = i8x16.splat(0x7e);
  const bs = i8x16.splat(0x5c);
  let bad = v128.splat<i8>(0);
  const stop = p + (len & ~15);
  let q = p;
  for (; q < stop; q += 16) {
    const v = v128.load(q);
    bad = v128.or(bad, v128.or(v128.or(i8x16.lt_u(v, lo), i8x16.gt_u(v, hi)), i8x16.eq(v, bs)));
  }
  if (v128.any_true(bad)) return false;
  const last = p + len;
  for (; q < last; q++) {
    const c = load<u8>(q);
    if (c < 0x20 || c > 0x7e || c == 0x5c) return false;
  }
  return true;
}

/** Index of the next `"` at or after p (before end), or end. */
function quote(p: usize): usize {
  const qv = i8x16.splat(0x22);
  while (p + 16 <= end) {
    const m = i8x16.bitmask(i8x16.eq(v128.load(p), qv));
    if (m != 0) return p + <usize>ctz<i32>(m);
    p += 16;
  }
  while (p < end && load<u8>(p) != 0x22) p++;
  return p;
}

function lit(s: string): void {
  // Literals are ASCII: one UTF-16 unit per byte.
  const n = <usize>s.length;
  if (pos + n > end) {
    refuse();
    return;
  }
  for (let k: usize = 0; k < n; k++) {
    if (<u32>load<u8>(pos + k) != <u32>s.charCodeAt(<i32>k)) {
      refuse();
      return;
    }
  }
  pos += n;
}

function byte(c: u32): void {
  if (pos >= end || <u32>load<u8>(pos) != c) refuse();
  else pos++;
}

function take(c: u32): bool {
  if (pos < end && <u32>load<u8>(pos) == c) {
    pos++;
    return true;
  }
  return false;
}

let strStart: usize = 0;
let strEnd: usize = 0;

/** A string (bodies already checked by printable()); sets strStart/strEnd. */
function str(): void {
  if (pos >= end || load<u8>(pos) != 0x22) {
    refuse();
    return;
  }
  strStart = pos + 1;
  const j = quote(strStart);
  if (j >= end) {
    refuse();
    return;
  }
  strEnd = j;
  pos = j + 1;
}

/** Lower-case hex digits only, an even count. */
function hexBody(p: usize, q: usize): bool {
  if (((q - p) & 1) != 0) return false;
  const zero = i8x16.splat(0x30);
  const ten = i8x16.splat(10);
  const a = i8x16.splat(0x61);
  const six = i8x16.splat(6);
  let bad = v128.splat<i8>(0);
  while (p + 16 <= q) {
    const v = v128.load(p);
    const digit = i8x16.lt_u(i8x16.sub(v, zero), ten);
    const letter = i8x16.lt_u(i8x16.sub(v, a), six);
    bad = v128.or(bad, v128.not(v128.or(digit, letter)));
    p += 16;
  }
  if (v128.any_true(bad)) return false;
  for (; p < q; p++) {
    const c = load<u8>(p);
    if (!((c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x66))) return false;
  }
  return true;
}

/** Byte-wise (= code-unit, ASCII) comparison: <0, 0, >0. */
function compare(a0: usize, a1: usize, b0: usize, b1: usize): i32 {
  const na = a1 - a0;
  const nb = b1 - b0;
  const n = na < nb ? na : nb;
  for (let k: usize = 0; k < n; k++) {
    const x = <i32>load<u8>(a0 + k);
    const y = <i32>load<u8>(b0 + k);
    if (x != y) return x - y;
  }
  return na == nb ? 0 : na < nb ? -1 : 1;
}

/** A canonical non-negative safe integer, as f64; -1 refused. */
function int(): f64 {
  const start = pos;
  let j = pos;
  let v: u64 = 0;
  while (j < end) {
    const c = load<u8>(j);
    if (c < 0x30 || c > 0x39) break;
    v = v * 10 + <u64>(c - 0x30);
    j++;
  }
  const n = j - start;
  if (n == 0 || n > 16 || (n > 1 && load<u8>(start) == 0x30) || v > 9007199254740991) {
    refuse();
    return -1;
  }
  pos = j;
  return <f64>v;
}

/** 1 for `sha256`, 2 for `sha512`, else 0 (JS then takes the name from the text). */
function algCode(p: usize, q: usize): i32 {
  if (q - p != 6 || load<u16>(p) != 0x6873 || load<u8>(p + 2) != 0x61) return 0;
  const d = load<u16>(p + 3) | (<u32>load<u8>(p + 5) << 16);
  if (d == 0x363532) return 1;
  if (d == 0x323135) return 2;
  return 0;
}

/** JS's /^(?:0|[1-9][0-9]*)$/ on an ASCII path. */
function indexLike(p: usize, q: usize): bool {
  if (q == p) return false;
  if (load<u8>(p) == 0x30) return q - p == 1;
  for (let k = p; k < q; k++) {
    const c = load<u8>(k);
    if (c < 0x30 || c > 0x39) return false;
  }
  return true;
}

/** What unsafeTargetPathReason's fast path would not clear (empty, '/', '..', drive colon). */
function suspicious(p: usize, q: usize): bool {
  if (q == p || load<u8>(p) == 0x2f) return true;
  if (q - p >= 2 && load<u8>(p + 1) == 0x3a) return true;
  for (let k = p; k + 1 < q; k++) if (load<u16>(k) == 0x2e2e) return true;
  return false;
}

export function scan(): void {
  b = <usize>param(0);
  end = b + <usize>param(1);
  pos = b;
  status = OK;
  const flags = param(8);
  const emit = (flags & EMIT_TARGETS) != 0;
  const byPrefix = (flags & ADMIT_BY_PREFIX) != 0;
  const out = <usize>param(2);
  const outCap = <usize>param(3);
  const lengths = <usize>param(4);
  const lengthsCap = param(5);
  const events = <usize>param(9);
  const eventsCap = param(10);
  const pathList = <usize>param(11);
  const admission = <usize>param(12);
  const pathsCap = param(13);
  result(16, REFUSED);
  if (!printable(b, end - b)) return;

  lit('{"signatures":[');
  let sigs = 0;
  if (status == OK && !take(0x5d)) {
    do {
      lit('{"keyid":');
      str();
      if (status != OK) return;
      if (sigs >= MAX_SIGS) return;
      const at = SIGS + (<usize>sigs << 4);
      store<i32>(at, <i32>(strStart - b));
      store<i32>(at + 4, <i32>(strEnd - b));
      lit(',"sig":');
      str();
      store<i32>(at + 8, <i32>(strStart - b));
      store<i32>(at + 12, <i32>(strEnd - b));
      byte(0x7d);
      sigs++;
    } while (status == OK && take(0x2c));
    byte(0x5d);
  }
  lit(',"signed":{"_type":"targets",');
  if (status != OK) return;
  const signedStart = pos - 19;
  const emptyDelegations = pos + 1 < end && load<u8>(pos + 1) == 0x64;
  if (emptyDelegations) lit('"delegations":{"keys":{},"roles":[]},');
  lit('"expires":');
  str();
  const expiresStart = strStart;
  const expiresEnd = strEnd;
  lit(',"spec_version":');
  str();
  const specStart = strStart;
  const specEnd = strEnd;
  lit(',"targets":{');
  if (status != OK) return;

  let count = 0;
  let admittedCount = 0;
  let outside = 0;
  let eventCount = 0;
  let words: usize = 0;
  let prevStart: usize = 0;
  let prevEnd: usize = 0;
  if (!take(0x7d)) {
    do {
      str();
      if (status != OK) return;
      const p0 = strStart;
      const p1 = strEnd;
      if (count > 0 && compare(p0, p1, prevStart, prevEnd) <= 0) return;
      if (p1 > p0 && load<u8>(p0) <= 0x39 && indexLike(p0, p1)) return;
      prevStart = p0;
      prevEnd = p1;
      lit(':{"hashes":{');
      if (status != OK) return;
      const record = out + (words << 2);
      if (emit) {
        if (words + 3 > outCap) {
          status = OVERFLOW;
          return;
        }
        store<i32>(record, <i32>(p0 - b));
        store<i32>(record + 4, <i32>(p1 - b));
        words += 3;
      }
      let hashes = 0;
      let a0: usize = 0;
      let a1: usize = 0;
      do {
        str();
        if (status != OK) return;
        if (hashes > 0 && compare(strStart, strEnd, a0, a1) <= 0) return;
        // '__proto__' (the JS scanner refuses it as a hash name)
        if (strEnd - strStart == 9 && load<u64>(strStart) == 0x5f6f746f72705f5f && load<u8>(strStart + 8) == 0x5f) return;
        a0 = strStart;
        a1 = strEnd;
        byte(0x3a);
        str();
        if (status != OK) return;
        if (!hexBody(strStart, strEnd)) return;
        if (emit) {
          if (words + 4 > outCap) {
            status = OVERFLOW;
            return;
          }
          const h = out + (words << 2);
          store<i32>(h, <i32>(a0 - b) | (algCode(a0, a1) << 28));
          store<i32>(h + 4, <i32>(a1 - b));
          store<i32>(h + 8, <i32>(strStart - b));
          store<i32>(h + 12, <i32>(strEnd - b));
          words += 4;
        }
        hashes++;
        // The count shares its record word with the admitted bit (<< 16): more is refused.
        if (hashes > 0xffff) return;
      } while (take(0x2c));
      byte(0x7d);
      lit(',"length":');
      const length = int();
      byte(0x7d);
      if (status != OK) return;
      if (byPrefix) {
        if (count >= pathsCap) {
          status = OVERFLOW;
          return;
        }
        store<i32>(pathList + (<usize>count << 3), <i32>(p0 - b));
        store<i32>(pathList + (<usize>count << 3) + 4, <i32>(p1 - b));
      }
      if (emit) {
        if (count >= lengthsCap) {
          status = OVERFLOW;
          return;
        }
        store<i32>(record + 8, hashes);
        store<f64>(lengths + (<usize>count << 3), length);
      }
      count++;
    } while (take(0x2c));
    byte(0x7d);
  }
  if (byPrefix) {
    placePaths(b, pathList, count, admission, <usize>param(6), param(7));
    let w: usize = 0;
    for (let t = 0; t < count; t++) {
      const p0 = b + <usize>load<i32>(pathList + (<usize>t << 3));
      const p1 = b + <usize>load<i32>(pathList + (<usize>t << 3) + 4);
      const admit = load<u8>(admission + <usize>t) != 0;
      if (admit) admittedCount++;
      else outside++;
      if (emit) {
        const info = out + (w << 2) + 8;
        const n = load<i32>(info);
        if (admit) store<i32>(info, n | 0x10000);
        w += 3 + (<usize>n << 2);
      }
      const susp = suspicious(p0, p1);
      const early = !admit && outside <= 3;
      if (susp || early) {
        if (eventCount >= eventsCap) {
          status = OVERFLOW;
          return;
        }
        const ev = events + (<usize>eventCount * 12);
        store<i32>(ev, <i32>(p0 - b));
        store<i32>(ev + 4, <i32>(p1 - b));
        store<i32>(ev + 8, (susp ? 1 : 0) | (early ? 2 : 0));
        eventCount++;
      }
    }
  }
  lit(',"version":');
  const version = int();
  if (status != OK || version < 1) return;
  byte(0x7d);
  const signedEnd = pos;
  byte(0x7d);
  if (status != OK || pos != end) return;

  result(17, <i32>(signedStart - b));
  result(18, <i32>(signedEnd - b));
  result(19, sigs);
  result(20, emptyDelegations ? 1 : 0);
  result(21, <i32>(expiresStart - b));
  result(22, <i32>(expiresEnd - b));
  result(23, <i32>(specStart - b));
  result(24, <i32>(specEnd - b));
  result(25, count);
  result(26, admittedCount);
  result(27, outside);
  result(28, eventCount);
  result(29, <i32>words);
  store<f64>(120, version);
  result(16, OK);
}

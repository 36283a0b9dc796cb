/**
 * Byte-level check that bytes[start, end) are already OLPC canonical JSON, so a verifier can sign-check
 * those exact bytes instead of re-encoding (Notary and go-tuf v0 write `signed` canonically).
 *
 * Precondition: the range holds one JSON value that parseJsonBytes accepted (valid UTF-8, no duplicate
 * keys, integers only). Under it, canonical form means: no whitespace outside strings, no escapes
 * other than \" and \\, and object keys in strictly increasing code-point (= UTF-8 byte) order.
 * Then the bytes equal canonicalize(parse(bytes)) exactly. Anything unexpected returns false, so the
 * caller falls back to re-encoding.
 */
export function isCanonicalRange(b: Uint8Array, start: number, end: number): boolean {
  // Per open container: 1 = object expecting a key, 2 = object after a key, 0 = array.
  const kind: number[] = [];
  const prevStart: number[] = [];
  const prevEnd: number[] = [];
  let i = start;
  let values = 0;
  while (i < end) {
    const c = b[i]!;
    const depth = kind.length - 1;
    if (c === 0x22) {
      let j = i + 1;
      for (;;) {
        if (j >= end) return false;
        const d = b[j]!;
        if (d === 0x22) break;
        if (d === 0x5c) {
          const e = b[j + 1];
          if (e !== 0x22 && e !== 0x5c) return false;
          j += 2;
        } else {
          j++;
        }
      }
      if (depth >= 0 && kind[depth] === 1) {
        const ps = prevStart[depth]!;
        if (ps >= 0 && compareEscaped(b, ps, prevEnd[depth]!, i + 1, j) >= 0) return false;
        prevStart[depth] = i + 1;
        prevEnd[depth] = j;
        kind[depth] = 2;
      } else if (depth < 0) {
        values++;
      }
      i = j + 1;
      continue;
    }
    switch (c) {
      case 0x7b: // {
        if (depth < 0) values++;
        kind.push(1);
        prevStart.push(-1);
        prevEnd.push(-1);
        i++;
        continue;
      case 0x5b: // [
        if (depth < 0) values++;
        kind.push(0);
        prevStart.push(-1);
        prevEnd.push(-1);
        i++;
        continue;
      case 0x7d: // }
      case 0x5d: // ]
        if (depth < 0) return false;
        kind.pop();
        prevStart.pop();
        prevEnd.pop();
        i++;
        continue;
      case 0x2c: // ,
        if (depth < 0) return false;
        if (kind[depth] === 2) kind[depth] = 1;
        i++;
        continue;
      case 0x3a: // :
        i++;
        continue;
      default: {
        // Numbers and literals: letters, digits and '-' up to the next delimiter.
        if (!((c >= 0x30 && c <= 0x39) || c === 0x2d || (c >= 0x61 && c <= 0x7a))) return false;
        if (depth < 0) values++;
        i++;
        while (i < end) {
          const d = b[i]!;
          if ((d >= 0x30 && d <= 0x39) || (d >= 0x61 && d <= 0x7a)) i++;
          else break;
        }
      }
    }
  }
  return kind.length === 0 && values === 1;
}

/** Compare two raw string bodies (only \" and \\ escapes) by their unescaped bytes. */
export function compareEscaped(b: Uint8Array, as: number, ae: number, bs: number, be: number): number {
  let i = as;
  let j = bs;
  while (i < ae && j < be) {
    if (b[i] === 0x5c) i++;
    if (b[j] === 0x5c) j++;
    const x = b[i]!;
    const y = b[j]!;
    if (x !== y) return x - y;
    i++;
    j++;
  }
  return i < ae ? 1 : j < be ? -1 : 0;
}

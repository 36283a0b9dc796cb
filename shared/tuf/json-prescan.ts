import { compareEscaped } from './canonical-check';
import type { ByteRange } from './model';

/**
 * Fast path of the strict parser: one pass over the bytes that checks what JSON.parse does not
 * (depth, integer-only numbers, lone surrogate escapes), counts object members and records the
 * byte ranges of the top-level members. After JSON.parse, "no duplicate keys" is then just
 * "the parsed tree has as many members as the bytes": a duplicate collapses to one member (and
 * drops the discarded value's own members), so the parsed count can only fall short.
 *
 * Returns null whenever the input needs the precise slow parser (which then either reports the
 * exact error or, for rare valid input such as 16-digit safe integers, parses it itself).
 */
export interface PrescanResult {
  memberCount: number;
  members: Map<string, ByteRange>;
  /**
   * Top-level members whose value bytes are already OLPC canonical JSON (no whitespace, only \"
   * and \\ escapes, object keys in increasing byte order), given that JSON.parse accepts the
   * document: the same verdict as isCanonicalRange over that range, without a second pass.
   */
  canonical: Set<string>;
  /**
   * True when duplicate keys are impossible without counting the parsed tree: the root is an
   * object whose keys are distinct and every member's value is canonical (canonical objects have
   * strictly increasing keys, so no duplicates either).
   */
  duplicateFree: boolean;
}

const decoder = new TextDecoder('utf-8', { fatal: true });

export function prescanJson(b: Uint8Array, maxDepth: number): PrescanResult | null {
  const n = b.length;
  const members = new Map<string, ByteRange>();
  const canonical = new Set<string>();
  // Per open container: true = object. `expectKey` marks the next string in an object as a key.
  const isObject: boolean[] = [];
  // Per open container: byte range of the previous key (objects), for the canonical key order.
  const prevStart: number[] = [];
  const prevEnd: number[] = [];
  let expectKey = false;
  let memberCount = 0;
  let topKeyCount = 0;
  let rootIsObject: boolean | null = null;
  let topKey: string | null = null;
  let topStart = -1;
  // Whether the current top-level member's value has been canonical so far.
  let topCanonical = true;
  // Strings are skipped with native indexOf; the next backslash is cached so escapes cost O(1) each.
  let nextBackslash = b.indexOf(0x5c);
  if (nextBackslash < 0) nextBackslash = n;
  let i = 0;
  const finishTop = (end: number): void => {
    if (topKey !== null && isObject.length === 1) {
      members.set(topKey, { start: topStart, end });
      if (topCanonical) canonical.add(topKey);
      topKey = null;
    }
  };
  while (i < n) {
    const c = b[i]!;
    if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09 || c === 0x3a) {
      // Whitespace inside a top-level member's value (depth >= 2) is not canonical.
      if (c !== 0x3a && isObject.length >= 2) topCanonical = false;
      i++;
      continue;
    }
    if (isObject.length === 1 && topKey !== null && topStart < 0) {
      topStart = i;
      topCanonical = true;
    }
    if (c === 0x22) {
      const start = i;
      i++;
      for (;;) {
        const q = b.indexOf(0x22, i);
        if (q < 0) return null;
        if (q < nextBackslash) {
          i = q;
          break;
        }
        // An escape comes first: check it, step over it, and look for the next one.
        const e = nextBackslash;
        const d = b[e + 1];
        if (d !== 0x22 && d !== 0x5c) topCanonical = false;
        // \uD800-\uDFFF escapes need the pairing check of the slow parser.
        if (d === 0x75 && (b[e + 2] === 0x64 || b[e + 2] === 0x44)) {
          const h = b[e + 3]!;
          if ((h >= 0x38 && h <= 0x39) || (h >= 0x61 && h <= 0x66) || (h >= 0x41 && h <= 0x46)) return null;
        }
        i = e + 2;
        if (i > n) return null;
        nextBackslash = b.indexOf(0x5c, i);
        if (nextBackslash < 0) nextBackslash = n;
      }
      i++;
      if (expectKey) {
        memberCount++;
        expectKey = false;
        const depth = isObject.length - 1;
        if (depth === 0) {
          if (b.subarray(start + 1, i - 1).includes(0x5c)) return null; // escaped top-level key: rare
          topKey = decoder.decode(b.subarray(start + 1, i - 1));
          topKeyCount++;
          topStart = -1;
        } else {
          const ps = prevStart[depth]!;
          if (ps >= 0 && topCanonical && compareEscaped(b, ps, prevEnd[depth]!, start + 1, i - 1) >= 0) topCanonical = false;
          prevStart[depth] = start + 1;
          prevEnd[depth] = i - 1;
        }
      } else {
        finishTop(i);
      }
      continue;
    }
    switch (c) {
      case 0x7b:
      case 0x5b:
        if (isObject.length >= maxDepth) return null;
        rootIsObject ??= c === 0x7b;
        isObject.push(c === 0x7b);
        prevStart.push(-1);
        prevEnd.push(-1);
        expectKey = c === 0x7b;
        i++;
        continue;
      case 0x7d:
      case 0x5d:
        isObject.pop();
        prevStart.pop();
        prevEnd.pop();
        expectKey = false;
        i++;
        finishTop(i);
        continue;
      case 0x2c:
        expectKey = isObject[isObject.length - 1] === true;
        i++;
        continue;
    }
    if (c === 0x2d || (c >= 0x30 && c <= 0x39)) {
      if (c === 0x2d) i++;
      const digits = i;
      while (i < n && b[i]! >= 0x30 && b[i]! <= 0x39) i++;
      const next = b[i];
      if (next === 0x2e || next === 0x65 || next === 0x45) return null;
      if (i - digits > 15 || (c === 0x2d && i - digits === 1 && b[digits] === 0x30)) return null;
      if (i === digits) return null;
      finishTop(i);
      continue;
    }
    // Literals (true/false/null); JSON.parse validates the spelling.
    if (c >= 0x61 && c <= 0x7a) {
      while (i < n && b[i]! >= 0x61 && b[i]! <= 0x7a) i++;
      finishTop(i);
      continue;
    }
    return null;
  }
  const duplicateFree = rootIsObject === true && topKeyCount === members.size && canonical.size === members.size;
  return { memberCount, members, canonical, duplicateFree };
}

/** Members in a parsed tree (iterative: the tree may be deep). */
export function countMembers(value: unknown): number {
  let count = 0;
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const v = stack.pop();
    if (v === null || typeof v !== 'object') continue;
    if (Array.isArray(v)) {
      for (const x of v) if (x !== null && typeof x === 'object') stack.push(x);
      continue;
    }
    for (const k in v) {
      count++;
      const x = (v as Record<string, unknown>)[k];
      if (x !== null && typeof x === 'object') stack.push(x);
    }
  }
  return count;
}

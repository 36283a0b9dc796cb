/**
 * Delegation path semantics of both dialects.
 *
 * TUF 1.0.34 `paths`: shell-style glob per path component. `*` and `?` never match `/`
 * (specification#173/#174, python-tuf `_is_target_in_pathpattern`): pattern and path are split
 * on `/`, must have the same number of components, and each component is fnmatch'ed
 * (`*`, `?`, `[seq]`, `[!seq]`). Comparison is on exact code points (no case folding).
 *
 * Notary v1 `paths`: plain string prefixes; `""` delegates everything
 * (notary `tuf/data/roles.go` `CheckPaths`).
 */

/** fnmatch of one path component (no `/` inside either side). */
export function matchComponent(pattern: string, text: string): boolean {
  // Iterative wildcard matcher with backtracking on the last `*` (linear-ish, no regex, so a
  // hostile pattern cannot trigger catastrophic backtracking).
  const p = [...pattern];
  const t = [...text];
  let pi = 0;
  let ti = 0;
  let starP = -1;
  let starT = 0;
  while (ti < t.length) {
    const pc = p[pi];
    if (pc === '*') {
      starP = pi++;
      starT = ti;
      continue;
    }
    if (pc !== undefined) {
      const step = matchOne(p, pi, t[ti] ?? '');
      if (step > 0) {
        pi += step;
        ti++;
        continue;
      }
    }
    if (starP >= 0) {
      pi = starP + 1;
      ti = ++starT;
      continue;
    }
    return false;
  }
  while (p[pi] === '*') pi++;
  return pi === p.length;
}

/** Matches one character at p[pi]; returns how many pattern chars were consumed, 0 on mismatch. */
function matchOne(p: readonly string[], pi: number, ch: string): number {
  const pc = p[pi];
  if (pc === '?') return 1;
  if (pc === '[') {
    const cls = parseClass(p, pi);
    if (cls === null) return ch === '[' ? 1 : 0; // an unterminated `[` is a literal, as in fnmatch
    return cls.test(ch) ? cls.length : 0;
  }
  return pc === ch ? 1 : 0;
}

function parseClass(p: readonly string[], start: number): { length: number; test: (c: string) => boolean } | null {
  let i = start + 1;
  let negate = false;
  if (p[i] === '!') {
    negate = true;
    i++;
  }
  const ranges: Array<[string, string]> = [];
  let first = true;
  while (i < p.length && (p[i] !== ']' || first)) {
    const lo = p[i] ?? '';
    if (p[i + 1] === '-' && p[i + 2] !== undefined && p[i + 2] !== ']') {
      ranges.push([lo, p[i + 2] ?? lo]);
      i += 3;
    } else {
      ranges.push([lo, lo]);
      i++;
    }
    first = false;
  }
  if (i >= p.length) return null;
  const length = i - start + 1;
  return {
    length,
    test: (c) => {
      const cp = c.codePointAt(0) ?? -1;
      const inside = ranges.some(([a, b]) => cp >= (a.codePointAt(0) ?? 0) && cp <= (b.codePointAt(0) ?? 0));
      return inside !== negate;
    },
  };
}

/** TUF `paths` pattern against a target path; `*` never crosses `/`. */
export function tufPathMatches(pattern: string, targetPath: string): boolean {
  const pp = pattern.split('/');
  const tp = targetPath.split('/');
  if (pp.length !== tp.length) return false;
  return pp.every((seg, i) => matchComponent(seg, tp[i] ?? ''));
}

/** Notary `paths`: prefixes; `""` matches everything. */
export function notaryPathMatches(prefix: string, targetPath: string): boolean {
  return targetPath.startsWith(prefix);
}

/** `path_hash_prefixes` against the hex SHA-256 of the target path (computed by the caller). */
export function hashPrefixMatches(prefixes: readonly string[], pathSha256Hex: string): boolean {
  return prefixes.some((p) => pathSha256Hex.startsWith(p.toLowerCase()));
}

/**
 * Why a target path is unsafe to ever use as a file name, or null. Our tools never join such a
 * name onto a directory (catalogue #13); in a repository it is reported, not fatal.
 */
export function unsafeTargetPathReason(targetPath: string): string | null {
  if (targetPath.length === 0) return 'empty path';
  // Fast path (every target of every file passes here): a path without NUL, backslash, a leading
  // '/', a drive-letter colon or any '..' is safe; only suspicious paths get the precise checks.
  if (targetPath.charCodeAt(0) !== 0x2f && !targetPath.includes('..') && !targetPath.includes('\\') && !targetPath.includes('\u0000')) {
    if (targetPath.charCodeAt(1) !== 0x3a) return null;
  }
  if (targetPath.includes('\u0000')) return 'contains a NUL character';
  if (targetPath.startsWith('/')) return 'absolute path';
  if (targetPath.includes('\\')) return 'contains a backslash';
  if (/^[A-Za-z]:/.test(targetPath)) return 'starts with a drive letter';
  if (targetPath.split('/').some((seg) => seg === '..')) return 'contains a `..` component';
  return null;
}

/**
 * Whether every path a child TUF pattern can match is also matched by the parent pattern.
 * Exact for literal child patterns; for wildcard children a conservative component-wise check
 * (equal components, parent `*`, or parent `prefix*` covering child `prefix...`), so a `false`
 * can mean "not provably contained" for exotic pattern pairs.
 */
export function tufPatternWithin(child: string, parent: string): boolean {
  const cs = child.split('/');
  const ps = parent.split('/');
  if (cs.length !== ps.length) return false;
  return cs.every((c, i) => componentWithin(c, ps[i] ?? ''));
}

function hasWildcard(s: string): boolean {
  return /[*?[]/.test(s);
}

function componentWithin(child: string, parent: string): boolean {
  if (child === parent) return true;
  if (!hasWildcard(child)) return matchComponent(parent, child);
  if (parent === '*') return true;
  // `abc*` covers `abcd*`, `abc?x`, ...: any child starting with the parent's literal prefix.
  if (parent.endsWith('*') && !hasWildcard(parent.slice(0, -1))) {
    const literal = parent.slice(0, -1);
    const childLiteralHead = child.slice(0, child.search(/[*?[]/));
    return childLiteralHead.startsWith(literal);
  }
  return false;
}

/** Notary: a child prefix is allowed iff some parent prefix is a prefix of it (`RestrictDelegationPathPrefixes`). */
export function notaryPrefixWithin(child: string, parentPrefixes: readonly string[]): boolean {
  return parentPrefixes.some((p) => child.startsWith(p));
}

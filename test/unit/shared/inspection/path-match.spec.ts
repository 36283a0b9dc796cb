import { describe, expect, it } from 'vitest';
import {
  hashPrefixMatches,
  matchComponent,
  notaryPathMatches,
  notaryPrefixWithin,
  tufPathMatches,
  tufPatternWithin,
  unsafeTargetPathReason,
} from '../../../../shared/inspection/path-match';

describe('TUF delegation path globs (spec 1.0.34, catalogue #14)', () => {
  it('never lets * cross a /', () => {
    expect(tufPathMatches('a/*', 'a/b')).toBe(true);
    expect(tufPathMatches('a/*', 'a/b/c')).toBe(false);
    expect(tufPathMatches('*.tgz', 'targets/foo.tgz')).toBe(false);
    expect(tufPathMatches('targets/*.tgz', 'targets/foo.tgz')).toBe(true);
    expect(tufPathMatches('targets/*.tgz', 'targets/foo.txt')).toBe(false);
    expect(tufPathMatches('*', 'a/b')).toBe(false);
    expect(tufPathMatches('*/*', 'a/b')).toBe(true);
    expect(tufPathMatches('foo/*/zoo/*', 'foo/bar/zoo/k.tgz')).toBe(true);
  });

  it('supports ? and character classes like fnmatch, per component', () => {
    expect(tufPathMatches('foo-version-?.tgz', 'foo-version-2.tgz')).toBe(true);
    expect(tufPathMatches('foo-version-?.tgz', 'foo-version-alpha.tgz')).toBe(false);
    expect(tufPathMatches('a?b', 'a/b')).toBe(false);
    expect(matchComponent('[ab]x', 'bx')).toBe(true);
    expect(matchComponent('[!ab]x', 'bx')).toBe(false);
    expect(matchComponent('[a-c]*', 'cat')).toBe(true);
    expect(matchComponent('[x', '[x')).toBe(true);
  });

  it('is exact on code points (no case folding, no normalisation)', () => {
    expect(tufPathMatches('Targets/*', 'targets/a')).toBe(false);
    expect(tufPathMatches('\u00f6', 'o\u0308')).toBe(false);
  });

  it('handles pathological patterns without blowing up', () => {
    const pattern = '*a'.repeat(40) + 'b';
    const text = 'a'.repeat(5000);
    const t0 = Date.now();
    expect(matchComponent(pattern, text)).toBe(false);
    expect(Date.now() - t0).toBeLessThan(2000);
  });

  it('judges child patterns inside parent patterns', () => {
    expect(tufPatternWithin('a/b', 'a/*')).toBe(true);
    expect(tufPatternWithin('a/b*', 'a/*')).toBe(true);
    expect(tufPatternWithin('a/b/c', 'a/*')).toBe(false);
    expect(tufPatternWithin('b/*', 'a/*')).toBe(false);
    expect(tufPatternWithin('a/rel-*', 'a/rel*')).toBe(true);
    expect(tufPatternWithin('a/x*', 'a/rel*')).toBe(false);
  });
});

describe('Notary delegation paths are prefixes', () => {
  it('treats "" as everything and otherwise compares prefixes', () => {
    expect(notaryPathMatches('', 'anything/at/all')).toBe(true);
    expect(notaryPathMatches('v1', 'v1.2')).toBe(true);
    expect(notaryPathMatches('v1/', 'v1.2')).toBe(false);
    expect(notaryPrefixWithin('v1/x', ['v1/'])).toBe(true);
    expect(notaryPrefixWithin('v2', ['v1/'])).toBe(false);
    expect(notaryPrefixWithin('anything', [''])).toBe(true);
  });
});

describe('path_hash_prefixes', () => {
  it('matches the hex digest prefix', () => {
    expect(hashPrefixMatches(['00', 'ab'], 'abcdef')).toBe(true);
    expect(hashPrefixMatches(['AB'], 'abcdef')).toBe(true);
    expect(hashPrefixMatches(['ac'], 'abcdef')).toBe(false);
  });
});

describe('unsafe target paths (catalogue #13)', () => {
  it.each([
    ['../etc/passwd', 'contains a `..` component'],
    ['a/../../b', 'contains a `..` component'],
    ['/etc/passwd', 'absolute path'],
    ['a\\b', 'contains a backslash'],
    ['C:x', 'starts with a drive letter'],
    ['', 'empty path'],
  ])('%j is unsafe: %s', (p, why) => {
    expect(unsafeTargetPathReason(p)).toBe(why);
  });
  it('accepts ordinary paths', () => {
    expect(unsafeTargetPathReason('packages/a..b/x.whl')).toBeNull();
    expect(unsafeTargetPathReason('latest')).toBeNull();
  });
});

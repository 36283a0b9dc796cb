import { describe, expect, it } from 'vitest';

import { encodeFileComponent, gunSegments, isSafeGun, isSafeName, safeSegments, UnsafeNameError, urlPath } from '../../../../electron/core/fs/safe-names';

describe('safe names (security.md §6 #11)', () => {
  it('accepts Notary role names and GUNs', () => {
    expect(safeSegments('targets/releases')).toEqual(['targets', 'releases']);
    expect(safeSegments('docker.com/notary0.3/tst')).toEqual(['docker.com', 'notary0.3', 'tst']);
    expect(urlPath('example.com/acme/app')).toBe('example.com/acme/app');
  });

  it.each(['../x', 'targets/../../etc', '/x', 'x/', 'a//b', '?', '#', 'a\\b', 'CON', 'nul.json', 'x:y', 'a\u0000b', '', '.', '.hidden', 'a'.repeat(300)])(
    'refuses %j',
    (name) => {
      expect(isSafeName(name)).toBe(false);
      expect(() => safeSegments(name)).toThrow(UnsafeNameError);
    },
  );

  it('GUNs may start with a registry host:port, nothing else may carry a colon', () => {
    expect(gunSegments('localhost:5000/acme/app')).toEqual(['localhost:5000', 'acme', 'app']);
    expect(isSafeGun('docker.io/library/alpine')).toBe(true);
    expect(isSafeGun('localhost:5000/../x')).toBe(false);
    expect(isSafeGun('a/b:1')).toBe(false);
    expect(isSafeGun(':5000/x')).toBe(false);
    expect(isSafeName('localhost:5000/app')).toBe(false);
  });

  it('percent-encodes any string into one flat file name component', () => {
    expect(encodeFileComponent('../x')).toBe('%2E.%2Fx');
    expect(encodeFileComponent('a/b?c')).toBe('a%2Fb%3Fc');
    expect(encodeFileComponent('CON')).toBe('%CON');
    expect(encodeFileComponent('ö')).toBe('%C3%B6');
    expect(encodeFileComponent('')).toBe('%');
  });
});

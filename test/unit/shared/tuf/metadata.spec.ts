import { isDeepStrictEqual } from 'node:util';
import { describe, expect, it } from 'vitest';

import { MetadataFormatError, MetadataParseError } from '../../../../shared/errors';
import { envelopeToJSON, parseMetadata } from '../../../../shared/tuf/metadata';
import type { JsonObject } from '../../../../shared/tuf/model';
import { isValidNotaryDelegationName } from '../../../../shared/tuf/parse-keys-roles';
import { fixturesDir, haveFixtures, jsonFilesUnder, NOTARY_REPOS, notaryMetadataDir, SKIP_REASON, sigstoreRoot } from './support/fixtures';
import path from 'node:path';

const enc = (v: unknown): Uint8Array => new TextEncoder().encode(typeof v === 'string' ? v : JSON.stringify(v));

const tufRoot = (): JsonObject => ({
  _type: 'root',
  spec_version: '1.0.31',
  version: 1,
  expires: '2030-01-01T00:00:00Z',
  consistent_snapshot: true,
  keys: { k1: { keytype: 'ed25519', scheme: 'ed25519', keyval: { public: 'ab'.repeat(32) } } },
  roles: {
    root: { keyids: ['k1'], threshold: 1 },
    targets: { keyids: ['k1'], threshold: 1 },
    snapshot: { keyids: ['k1'], threshold: 1 },
    timestamp: { keyids: ['k1'], threshold: 1 },
  },
});

const tufTargets = (): JsonObject => ({
  _type: 'targets',
  spec_version: '1.0',
  version: 3,
  expires: '2030-01-01T00:00:00Z',
  targets: { 'a.txt': { length: 5, hashes: { sha256: 'AB'.repeat(32) } } },
  delegations: {
    keys: { k2: { keytype: 'ed25519', scheme: 'ed25519', keyval: { public: 'cd'.repeat(32) } } },
    roles: [{ name: 'role1', keyids: ['k2'], threshold: 1, paths: ['a/*'], terminating: false }],
  },
});

function fail(signed: JsonObject, message: RegExp, options = {}): void {
  const bytes = enc({ signed, signatures: [] });
  expect(() => parseMetadata(bytes, options)).toThrow(message);
}

describe('parseMetadata: fixtures', () => {
  it.skipIf(!haveFixtures)(`parses and round-trips every notary-compat file ${SKIP_REASON}`, () => {
    let count = 0;
    for (const { version, gun } of NOTARY_REPOS) {
      for (const [rel, bytes] of jsonFilesUnder(notaryMetadataDir(version, gun))) {
        const env = parseMetadata(bytes);
        expect(env.dialect, rel).toBe('notary-v1');
        expect(isDeepStrictEqual(envelopeToJSON(env), JSON.parse(Buffer.from(bytes).toString())), `${version}/${rel}`).toBe(true);
        count++;
      }
    }
    expect(count).toBe(9);
  });

  it.skipIf(!haveFixtures)(`parses and round-trips sigstore root 1..15 ${SKIP_REASON}`, () => {
    for (let n = 1; n <= 15; n++) {
      const bytes = sigstoreRoot(n);
      const env = parseMetadata(bytes, { expectedType: 'root' });
      expect(env.dialect).toBe('tuf-1.0');
      expect(env.signed.version).toBe(n);
      expect(env.signed.roles.size).toBe(4);
      expect(isDeepStrictEqual(envelopeToJSON(env), JSON.parse(Buffer.from(bytes).toString())), `root ${n}`).toBe(true);
    }
  });

  it.skipIf(!haveFixtures)(`normalises Notary base64 hashes to hex and reads RFC3339Nano offsets ${SKIP_REASON}`, () => {
    const dir = notaryMetadataDir('notary0.3', 'docker.com/notary0.3/tst');
    const files = jsonFilesUnder(dir);
    const targets = parseMetadata(files.get('targets.json')!, { expectedType: 'targets' }).signed;
    const license = targets.targets.get('LICENSE')!;
    expect(license.length).toBe(11309);
    expect(license.hashesHex['sha256']).toMatch(/^[0-9a-f]{64}$/);
    expect(Buffer.from(license.hashes['sha256']!, 'base64').toString('hex')).toBe(license.hashesHex['sha256']);
    expect(targets.delegations!.roles[0]).toMatchObject({ name: 'targets/releases', threshold: 1, paths: [''] });
    const root = parseMetadata(files.get('root.json')!, { expectedType: 'root' }).signed;
    expect(root.expires).toBe('2116-07-03T17:56:36.027379879-05:00');
    expect(new Date(root.expiresAt).toISOString()).toBe('2116-07-03T22:56:36.027Z');
    expect(root.specVersion).toBeNull();
    const snap = parseMetadata(files.get('snapshot.json')!, { expectedType: 'snapshot' }).signed;
    expect([...snap.meta.keys()].sort()).toEqual(['root', 'targets', 'targets/releases']);
    expect(snap.meta.get('root')!.version).toBeNull();
    expect(path.isAbsolute(fixturesDir)).toBe(true);
  });

  it.skipIf(!haveFixtures)(`records the byte range of signed ${SKIP_REASON}`, () => {
    const bytes = sigstoreRoot(5);
    const env = parseMetadata(bytes);
    const slice = Buffer.from(bytes.subarray(env.signedRange.start, env.signedRange.end)).toString();
    expect(JSON.parse(slice)).toEqual((JSON.parse(Buffer.from(bytes).toString()) as { signed: unknown }).signed);
  });

  it.skipIf(!haveFixtures)(`flags sigstore v1's fractional, offset expires as non-strict, and strict mode refuses it ${SKIP_REASON}`, () => {
    const v1 = parseMetadata(sigstoreRoot(1));
    expect(v1.signed.expiresStrict).toBe(false);
    expect(parseMetadata(sigstoreRoot(15)).signed.expiresStrict).toBe(true);
    expect(() => parseMetadata(sigstoreRoot(1), { strictExpires: true })).toThrow(/not YYYY-MM-DDTHH:MM:SSZ/);
  });
});

describe('parseMetadata: structure (catalogue #7-#10, #18, #21, #24)', () => {
  it('accepts a minimal TUF root and targets', () => {
    const root = parseMetadata(enc({ signed: tufRoot(), signatures: [{ keyid: 'k1', sig: 'abcd' }] }), { expectedType: 'root' });
    expect(root.signed.keys.get('k1')!.scheme).toBe('ed25519');
    expect(root.signatures[0]!.sigBytes).toEqual(new Uint8Array([0xab, 0xcd]));
    const targets = parseMetadata(enc({ signed: tufTargets(), signatures: [] }), { expectedType: 'targets' }).signed;
    expect(targets.targets.get('a.txt')!.hashesHex['sha256']).toBe('ab'.repeat(32));
    expect(targets.delegations!.roles[0]!.paths).toEqual(['a/*']);
  });

  it.each([
    [0, /at least 1/],
    [-1, /at least 1/],
    ['1', /expected an integer/],
    [1.5, /not an integer/],
    [2, /above the number of keys/],
  ])('rejects threshold %j', (threshold, message) => {
    const root = tufRoot();
    (root['roles'] as Record<string, JsonObject>)['root']!['threshold'] = threshold;
    fail(root, message);
  });

  it('rejects threshold 2^53+1 at the JSON level', () => {
    const text = JSON.stringify({ signed: tufRoot(), signatures: [] }).replace('"threshold":1', '"threshold":9007199254740993');
    expect(() => parseMetadata(enc(text))).toThrow(MetadataParseError);
  });

  it('rejects duplicate keyids in a role', () => {
    const root = tufRoot();
    (root['roles'] as Record<string, JsonObject>)['targets']!['keyids'] = ['k1', 'k1'];
    fail(root, /duplicate keyid k1/);
  });

  it('rejects a missing top-level role and an unknown extra role', () => {
    const missing = tufRoot();
    delete (missing['roles'] as JsonObject)['snapshot'];
    fail(missing, /lacks the snapshot role/);
    const extra = tufRoot();
    (extra['roles'] as JsonObject)['mirror'] = { keyids: ['k1'], threshold: 1 };
    fail(extra, /unknown role "mirror"/);
  });

  it.each(['root', 'targets', 'snapshot', 'timestamp', ''])('rejects a delegated role named %j', (name) => {
    const t = tufTargets();
    ((t['delegations'] as JsonObject)['roles'] as JsonObject[])[0]!['name'] = name;
    fail(t, /delegated role/);
  });

  it('rejects duplicate delegated role names and paths + path_hash_prefixes together', () => {
    const t = tufTargets();
    const roles = (t['delegations'] as JsonObject)['roles'] as JsonObject[];
    roles.push({ ...roles[0]! });
    fail(t, /duplicate delegated role/);
    const both = tufTargets();
    ((both['delegations'] as JsonObject)['roles'] as JsonObject[])[0]!['path_hash_prefixes'] = ['00'];
    fail(both, /both paths and path_hash_prefixes/);
  });

  it('validates Notary delegation names like data.IsDelegation', () => {
    expect(isValidNotaryDelegationName('targets/releases')).toBe(true);
    expect(isValidNotaryDelegationName('targets/a/b_c-1')).toBe(true);
    for (const bad of ['targets', 'targets/', 'targets//a', 'targets/A', 'releases', 'targets/../x', 'targets/a/', `targets/${'a'.repeat(250)}`]) {
      expect(isValidNotaryDelegationName(bad), bad).toBe(false);
    }
  });

  it.each([
    [0, /at least 1/],
    ['1', /expected an integer/],
  ])('rejects version %j', (version, message) => {
    fail({ ...tufRoot(), version }, message);
  });

  it('rejects version 2^63 at the JSON level', () => {
    const text = JSON.stringify({ signed: tufRoot(), signatures: [] }).replace('"version":1', '"version":9223372036854775808');
    expect(() => parseMetadata(enc(text))).toThrow(/outside/);
  });

  it.each(['2030-13-01T00:00:00Z', '2030-02-30T00:00:00Z', '2030-01-01', '2030-01-01T24:00:00Z', '2030-01-01T00:00:00', 'tomorrow'])(
    'rejects expires %s',
    (expires) => {
      fail({ ...tufRoot(), expires }, /expires/);
    },
  );

  it('accepts Notary RFC3339Nano with an offset; strict TUF mode refuses fractions and offsets', () => {
    const ok = { ...tufRoot(), expires: '2030-01-01T00:00:00.123456Z' };
    expect(parseMetadata(enc({ signed: ok, signatures: [] })).signed.expiresStrict).toBe(false);
    fail(ok, /not YYYY-MM-DDTHH:MM:SSZ/, { strictExpires: true });
    fail({ ...tufRoot(), expires: '2030-01-01T00:00:00+01:00' }, /not YYYY-MM-DDTHH:MM:SSZ/, { strictExpires: true });
  });

  it.each(['1', 'v1.0', '2.0.0', '1.0.0-rc1', ''])('rejects spec_version %j', (specVersion) => {
    fail({ ...tufRoot(), spec_version: specVersion }, /spec_version/);
  });

  it('rejects a case-variant duplicate of a known field (version + Version)', () => {
    fail({ ...tufRoot(), Version: 2 }, /case variant of "version"/);
    fail({ ...tufRoot(), Keys: {} }, /case variant of "keys"/);
  });

  it('preserves unknown fields and round-trips them', () => {
    const root = { ...tufRoot(), 'x-custom': { a: [1] } };
    const env = parseMetadata(enc({ signed: root, signatures: [{ keyid: 'k1', sig: '', extra: true }], other: 1 }));
    expect(env.signed.unrecognized).toEqual({ 'x-custom': { a: [1] } });
    expect(envelopeToJSON(env)).toEqual({ signed: root, signatures: [{ keyid: 'k1', sig: '', extra: true }], other: 1 });
  });

  it('detects the dialect from _type and rejects unknown or mismatched types', () => {
    fail({ ...tufRoot(), _type: 'ROOT' }, /unknown metadata type/);
    fail({ ...tufRoot(), _type: 'mirrors' }, /unknown metadata type/);
    expect(() => parseMetadata(enc({ signed: tufRoot(), signatures: [] }), { expectedType: 'targets' })).toThrow(/expected targets metadata/);
  });

  it('refuses a private key inside metadata', () => {
    const root = tufRoot();
    ((root['keys'] as Record<string, JsonObject>)['k1']!['keyval'] as JsonObject)['private'] = 'secret';
    fail(root, /private key/);
  });

  it('refuses timestamp meta without the snapshot entry', () => {
    fail({ _type: 'timestamp', spec_version: '1.0', version: 1, expires: '2030-01-01T00:00:00Z', meta: {} }, /lacks "snapshot.json"/);
  });

  it('throws MetadataFormatError with the JSON pointer', () => {
    const root = tufRoot();
    (root['roles'] as Record<string, JsonObject>)['timestamp']!['threshold'] = 0;
    try {
      parseMetadata(enc({ signed: root, signatures: [] }));
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(MetadataFormatError);
      expect((error as MetadataFormatError).path).toBe('/signed/roles/timestamp/threshold');
    }
  });

  it('rejects non-object JSON and missing signatures', () => {
    expect(() => parseMetadata(enc('[]'))).toThrow(/must be a JSON object/);
    expect(() => parseMetadata(enc({ signed: tufRoot() }))).toThrow(/signatures/);
  });
});

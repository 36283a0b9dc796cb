import { describe, expect, it } from 'vitest';

import { DEFAULT_LIMITS } from '../../../../shared/inspection';
import type { JsonObject } from '../../../../shared/tuf/model';
import { buildNotaryRepo, buildTufRepo } from '../../../support/repo-builder';
import { generateNotaryKey, generateTufKey } from '../../../support/test-keys';
import { codes, inputErrorOf, run, withCode } from './support/catalogue';

// security.md §6 #18, #21-#28: hostile bytes never crash the engine; each is a precise finding.

const enc = new TextEncoder();
const dec = new TextDecoder();

/** The repo's targets.json text with `edit` applied to the raw text (so invalid JSON is possible). */
async function withTargetsText(edit: (text: string) => string) {
  const repo = await buildTufRepo({ targets: { 'a.txt': 'a' } });
  repo.setRawBytes('targets', edit(dec.decode(repo.bytes('targets'))));
  return run(repo.toRepositoryInput());
}

function malformed(report: ReturnType<typeof run>): string[] {
  return withCode(report, 'MALFORMED_ROLE').map((f) => f[2]);
}

describe('catalogue #18: expires formats', () => {
  it.each(['2030-01-01T00:00:00.123456Z', '2030-01-01T00:00:00+01:00'])('warns that python-tuf rejects %s', async (expires) => {
    const repo = await buildTufRepo({});
    repo.resign('targets', (s) => {
      s['expires'] = expires;
    });
    const report = run(repo.toRepositoryInput());
    expect(withCode(report, 'MALFORMED_ROLE')).toEqual([
      ['warning', 'targets', `targets expires "${expires}", not in the YYYY-MM-DDTHH:MM:SSZ form TUF requires; python-tuf rejects it.`],
    ]);
  });

  it('rejects an impossible date', async () => {
    const repo = await buildTufRepo({});
    repo.resign('targets', (s) => {
      s['expires'] = '2030-13-01T00:00:00Z';
    });
    const report = run(repo.toRepositoryInput());
    expect(withCode(report, 'MALFORMED_ROLE')).toEqual([
      ['error', 'targets', 'targets metadata cannot be used: /signed/expires: expires "2030-13-01T00:00:00Z" is not a valid date-time'],
    ]);
    expect(report.roles.find((r) => r.name === 'targets')?.status).toBe('malformed');
  });

  it('accepts Notary RFC3339Nano with an offset (what notary writes)', async () => {
    const repo = await buildNotaryRepo({});
    repo.resign('targets', (s) => {
      s['expires'] = '2116-07-03T18:08:08.41836542-05:00';
    });
    expect(run(repo.toRepositoryInput()).findings).toEqual([]);
  });
});

describe('catalogue #21: bad versions', () => {
  it.each([
    ['0', '"version": 0', '/signed/version: must be at least 1, got 0'],
    ['"1"', '"version": "1"', '/signed/version: expected an integer, got string "1"'],
    ['2^63', '"version": 9223372036854775808', 'integer 9223372036854775808 is outside ±(2^53-1) at byte'],
  ])('rejects version %s', async (_label, replacement, message) => {
    const report = await withTargetsText((t) => t.replace(/"version": 1/, replacement));
    expect(malformed(report)).toEqual([expect.stringContaining(`targets metadata cannot be used: ${message}`)]);
    expect(report.targets).toEqual([]);
  });
});

describe('catalogue #23/#24: JSON the canonical form cannot carry, duplicate keys', () => {
  it.each([
    ['a float', (t: string) => t.replace(/"version": 1/, '"version": 1.5'), 'number 1.5 is not an integer (fractions and exponents cannot be canonical JSON)'],
    ['-0', (t: string) => t.replace(/"length": 1/, '"length": -0'), '-0 is not allowed'],
    ['1e3', (t: string) => t.replace(/"length": 1/, '"length": 1e3'), 'number 1e3 is not an integer'],
    ['an integer above 2^53', (t: string) => t.replace(/"length": 1/, '"length": 9007199254740993'), 'integer 9007199254740993 is outside ±(2^53-1)'],
    ['a lone surrogate', (t: string) => t.replace('"a.txt"', '"\\ud800"'), 'lone surrogate escape in string'],
    ['a raw control character', (t: string) => t.replace('"a.txt"', '"a\u0001"'), 'raw control character U+0001 in string'],
    ['a duplicate key', (t: string) => t.replace('"_type": "targets"', '"_type": "targets", "_type": "targets"'), 'duplicate key "_type"'],
    ['version next to Version', (t: string) => t.replace('"_type": "targets"', '"_type": "targets", "Version": 2'), '/signed/Version: field "Version" is a case variant of "version"'],
  ])('turns %s into MALFORMED_ROLE', async (_label, edit, message) => {
    const report = await withTargetsText(edit);
    expect(codes(report)).toEqual(['MALFORMED_ROLE']);
    expect(malformed(report)).toEqual([expect.stringContaining(`targets metadata cannot be used: ${message}`)]);
    expect(report.roles.find((r) => r.name === 'targets')?.status).toBe('malformed');
  });

  it('throws InspectionInputError when root.json itself is not acceptable JSON', async () => {
    const repo = await buildTufRepo({});
    const text = dec.decode(repo.bytes('root')).replace('"_type": "root"', '"_type": "root", "_type": "root"');
    const error = inputErrorOf({ ...repo.toRepositoryInput(), files: new Map(repo.toRepositoryInput().files).set('root', enc.encode(text)) });
    expect(error.reason).toBe('root-unparseable');
    expect(error.message).toMatch(/^root\.json of test:\/\/example\.com\/test\/repo cannot be parsed: duplicate key "_type"/);
  });
});

describe('catalogue #25/#26: size and depth caps', () => {
  it('refuses a root above the 512 KiB cap before parsing', async () => {
    const repo = await buildTufRepo({});
    const huge = new Uint8Array(600 * 1024).fill(0x20);
    const error = inputErrorOf({ ...repo.toRepositoryInput(), files: new Map(repo.toRepositoryInput().files).set('root', huge) });
    expect(error.reason).toBe('root-unparseable');
    expect(error.message).toContain('614400 bytes, above the 524288-byte cap');
  });

  it('survives 10^5 nesting levels in a role file', async () => {
    const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
    const report = await withTargetsText((t) => t.replace('"targets": {', `"x": ${deep}, "targets": {`));
    expect(malformed(report)).toEqual([expect.stringMatching(/^targets metadata cannot be used: nesting deeper than 64 at byte \d+ \(path \/signed\/x\/0\//)]);
  });
});

describe('catalogue #27: count caps', () => {
  it('does not verify 2,000 signatures; reports LIMIT_EXCEEDED', async () => {
    const repo = await buildTufRepo({});
    repo.editSignatures('targets', (sigs) => Array.from({ length: 2000 }, (_, i) => ({ keyid: i.toString(16).padStart(64, '0'), sig: sigs[0]!['sig']! })));
    const t0 = Date.now();
    const report = run(repo.toRepositoryInput());
    expect(Date.now() - t0).toBeLessThan(5000);
    expect(withCode(report, 'LIMIT_EXCEEDED')).toEqual([['error', 'targets', 'targets carries 2000 signatures, above the cap of 1024; not verified.']]);
    expect(report.roles.find((r) => r.name === 'targets')?.status).toBe('invalid');
  });

  it('ignores delegations of a file declaring more keys than the cap', async () => {
    const repo = await buildTufRepo({ delegations: [{ name: 'd', keys: 3, targets: { 'x.txt': 'x' } }] });
    const report = run(repo.toRepositoryInput(), {}, { ...DEFAULT_LIMITS, maxKeysPerFile: 2 });
    expect(withCode(report, 'LIMIT_EXCEEDED')).toEqual([
      ['error', 'root', 'root declares 4 keys, above the cap of 2.'],
      ['error', 'targets', 'targets declares 3 delegation keys, above the cap of 2; its delegations are ignored.'],
    ]);
    expect(report.targets).toEqual([]);
  });
});

describe('catalogue #28: weak and junk keys', () => {
  it('flags RSA below 2048 bits as WEAK_KEY', async () => {
    const weak = generateTufKey('rsa', { rsaBits: 1024 });
    const repo = await buildTufRepo({ roleKeys: { targets: [weak] } });
    const report = run(repo.toRepositoryInput());
    expect(withCode(report, 'WEAK_KEY')).toEqual([['error', 'targets', `Key ${weak.keyid.slice(0, 12)} is RSA 1024 bits; at least 2048 are required.`]]);
    expect(report.keys.find((k) => k.id === weak.keyid)).toMatchObject({ algorithm: 'rsa', bits: 1024 });
  });

  it('reports junk and off-curve public keys without crashing', async () => {
    const good = generateNotaryKey('ecdsa-p256');
    const der = Buffer.from((good.metadata['keyval'] as JsonObject)['public'] as string, 'base64');
    der[der.length - 1] = der[der.length - 1]! ^ 0x01; // the point's y no longer fits the curve
    for (const publicB64 of [der.toString('base64'), Buffer.from('not a key at all').toString('base64')]) {
      const r = await buildNotaryRepo({ roleKeys: { targets: [good] } });
      r.resign(
        'root',
        (s) => {
          ((s['keys'] as JsonObject)[good.keyid] as JsonObject)['keyval'] = { private: null, public: publicB64 };
        },
        { bumpVersion: false },
      );
      const report = run(r.toRepositoryInput());
      const id = good.keyid.slice(0, 12);
      expect(report.findings.map((f) => [f.code, f.severity, f.role])).toEqual([
        ['THRESHOLD_UNMET', 'error', 'targets'],
        ['INVALID_SIGNATURE', 'error', 'targets'],
        ['MALFORMED_ROLE', 'error', 'targets'],
        // The key object changed, so its keyid no longer matches either.
        ['KEYID_MISMATCH', 'error', 'targets'],
      ]);
      expect(withCode(report, 'MALFORMED_ROLE')[0]?.[2]).toMatch(new RegExp(`^Key ${id} \\(ecdsa\\) cannot be used: `));
    }
  });
});

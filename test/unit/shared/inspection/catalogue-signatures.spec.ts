import { describe, expect, it } from 'vitest';

import type { JsonObject } from '../../../../shared/tuf/model';
import { buildNotaryRepo, buildTufRepo } from '../../../support/repo-builder';
import { generateTufKey, keyIdOf } from '../../../support/test-keys';
import { codes, inputErrorOf, run, withCode } from './support/catalogue';

// security.md §6 #4-#10: signature counting, keyids, thresholds and role tables.

describe('catalogue #4: the same signature repeated', () => {
  it('counts once and flags the file', async () => {
    const repo = await buildTufRepo({ roleKeys: { targets: 2 }, thresholds: { targets: 2 } });
    repo.editSignatures('targets', (sigs) => [sigs[0]!, sigs[0]!, sigs[0]!]);
    const report = run(repo.toRepositoryInput());
    const targets = report.roles.find((r) => r.name === 'targets');
    expect(targets).toMatchObject({ validSignatures: 1, requiredSignatures: 2, status: 'invalid' });
    expect(codes(report)).toEqual(['DUPLICATE_SIGNATURE', 'THRESHOLD_UNMET']);
    const keyid = repo.keysOf('targets')[0]!.keyid;
    expect(withCode(report, 'DUPLICATE_SIGNATURE')).toEqual([
      ['error', 'targets', `targets lists a signature by ${keyid.slice(0, 12)} more than once; it counts once and the file is malformed.`],
    ]);
    expect(withCode(report, 'THRESHOLD_UNMET')).toEqual([['error', 'targets', 'targets has 1 valid signature(s) from distinct keys; its threshold is 2.']]);
  });
});

describe('catalogue #5: one public key under two keyids', () => {
  it('counts the key once', async () => {
    const key = generateTufKey('ed25519');
    // Same public key, another keyid: an extra field changes the canonical form and so the ID.
    const alias: JsonObject = { ...key.metadata, 'x-alias': 'same key' };
    const aliasId = keyIdOf(alias);
    const repo = await buildTufRepo({ roleKeys: { targets: [key] } });
    repo.resign(
      'root',
      (s) => {
        (s['keys'] as JsonObject)[aliasId] = alias;
        const targets = (s['roles'] as JsonObject)['targets'] as JsonObject;
        targets['keyids'] = [key.keyid, aliasId];
        targets['threshold'] = 2;
      },
      { bumpVersion: false, cascade: false },
    );
    repo.editSignatures('targets', (sigs) => [...sigs, { keyid: aliasId, sig: sigs[0]!['sig']! }]);
    const report = run(repo.toRepositoryInput());
    expect(report.roles.find((r) => r.name === 'targets')).toMatchObject({ validSignatures: 1, requiredSignatures: 2, status: 'invalid' });
    expect(withCode(report, 'DUPLICATE_SIGNATURE')).toEqual([
      ['warning', 'targets', `targets key ${aliasId.slice(0, 12)} is the same public key as another signer; it counts once.`],
    ]);
    expect(withCode(report, 'THRESHOLD_UNMET')).toEqual([['error', 'targets', 'targets has 1 valid signature(s) from distinct keys; its threshold is 2.']]);
  });
});

describe('catalogue #6: keyid != sha256(canonical key)', () => {
  it('reports KEYID_MISMATCH for TUF and Notary keys', async () => {
    const wrong = 'ab'.repeat(32);
    const tuf = await buildTufRepo({ roleKeys: { targets: [generateTufKey('ed25519', { keyidOverride: wrong })] } });
    const report = run(tuf.toRepositoryInput());
    expect(report.findings.map((f) => [f.code, f.severity, f.keyid])).toEqual([['KEYID_MISMATCH', 'error', wrong]]);
    expect(report.keys.find((k) => k.id === wrong)?.idMatchesHash).toBe(false);

    const notary = await buildNotaryRepo({});
    const id = notary.keysOf('targets')[0]!.keyid;
    notary.resign(
      'root',
      (s) => {
        const keys = s['keys'] as JsonObject;
        keys[wrong] = keys[id]!;
        delete keys[id];
        ((s['roles'] as JsonObject)['targets'] as JsonObject)['keyids'] = [wrong];
      },
      { bumpVersion: false, cascade: false },
    );
    notary.editSignatures('targets', (sigs) => sigs.map((s) => ({ ...s, keyid: wrong })));
    notary.refreshSnapshot();
    notary.refreshTimestamp();
    const n = run(notary.toRepositoryInput());
    expect(n.findings.map((f) => [f.code, f.keyid])).toEqual([['KEYID_MISMATCH', wrong]]);
  });
});

describe('catalogue #7-#9: thresholds and role tables in root', () => {
  async function rootWith(mutate: (roles: JsonObject) => void) {
    const repo = await buildTufRepo({});
    repo.resign('root', (s) => mutate(s['roles'] as JsonObject), { bumpVersion: false, cascade: false });
    return inputErrorOf(repo.toRepositoryInput());
  }
  const target = (roles: JsonObject) => roles['targets'] as JsonObject;

  it.each([
    ['0', 0, '/signed/roles/targets/threshold: must be at least 1, got 0'],
    ['-1', -1, '/signed/roles/targets/threshold: must be at least 1, got -1'],
    ['"1"', '1', '/signed/roles/targets/threshold: expected an integer, got string "1"'],
    ['above the number of keys', 5, '/signed/roles/targets/threshold: threshold 5 is above the number of keys (1)'],
  ])('#7 rejects threshold %s', async (_label, threshold, message) => {
    const error = await rootWith((roles) => {
      target(roles)['threshold'] = threshold;
    });
    expect(error.reason).toBe('root-unparseable');
    expect(error.message).toBe(`root.json of test://example.com/test/repo cannot be parsed: ${message}`);
  });

  it('#7 rejects 1.5 and 2^53+1 at parse time', async () => {
    const repo = await buildTufRepo({});
    for (const bad of ['1.5', '9007199254740993']) {
      const text = new TextDecoder().decode(repo.bytes('root')).replace(/"threshold": 1/, `"threshold": ${bad}`);
      const error = inputErrorOf({ ...repo.toRepositoryInput(), files: new Map(repo.toRepositoryInput().files).set('root', new TextEncoder().encode(text)) });
      expect(error.reason).toBe('root-unparseable');
      expect(error.message).toMatch(/^root\.json of test:\/\/example\.com\/test\/repo cannot be parsed: .*(integer|number)/);
    }
  });

  it('#8 rejects duplicate keyids in a role', async () => {
    const error = await rootWith((roles) => {
      const keyids = target(roles)['keyids'] as string[];
      target(roles)['keyids'] = [keyids[0]!, keyids[0]!];
    });
    expect(error.message).toMatch(/cannot be parsed: \/signed\/roles\/targets\/keyids\/1: duplicate keyid [0-9a-f]{64}$/);
  });

  it('#9 rejects a missing top-level role and an unknown extra role in root', async () => {
    const missing = await rootWith((roles) => {
      delete roles['timestamp'];
    });
    expect(missing.message).toBe('root.json of test://example.com/test/repo cannot be parsed: /signed/roles/timestamp: root lacks the timestamp role');
    const extra = await rootWith((roles) => {
      roles['mirror'] = { keyids: [], threshold: 1 };
    });
    expect(extra.message).toBe(
      'root.json of test://example.com/test/repo cannot be parsed: /signed/roles/mirror: unknown role "mirror" in root (only root, targets, snapshot, timestamp)',
    );
  });

  it('#9 reports MISSING_ROLE for a missing top-level role file', async () => {
    const repo = await buildTufRepo({});
    const input = repo.toRepositoryInput();
    const files = new Map(input.files);
    files.delete('snapshot');
    const report = run({ ...input, files });
    expect(withCode(report, 'MISSING_ROLE')).toEqual([['error', 'snapshot', 'snapshot metadata is missing from test://example.com/test/repo.']]);
    expect(report.roles.find((r) => r.name === 'snapshot')?.status).toBe('missing');
  });

  it('throws InspectionInputError when there is no root at all', () => {
    const error = inputErrorOf({ source: { kind: 'metadata-dir', location: '/tmp/empty' }, dialect: null, name: 'x', files: new Map(), rootHistory: new Map() });
    expect(error.reason).toBe('no-root');
    expect(error.message).toBe('No root metadata in /tmp/empty: expected root.json or N.root.json files.');
  });
});

describe('catalogue #10: delegated role named after a top-level role, or empty', () => {
  it.each(['root', 'targets', 'snapshot', 'timestamp', ''])('refuses a delegation named %j', async (name) => {
    const repo = await buildTufRepo({ delegations: [{ name: 'x', targets: { 'x.txt': 'x' } }] });
    repo.resign(
      'targets',
      (s) => {
        ((s['delegations'] as JsonObject)['roles'] as JsonObject[])[0]!['name'] = name;
      },
      { bumpVersion: false },
    );
    const report = run(repo.toRepositoryInput());
    const expected = name === '' ? 'delegated role name is empty' : `delegated role may not be named "${name}"`;
    expect(withCode(report, 'MALFORMED_ROLE')).toEqual([
      ['error', 'targets', `targets metadata cannot be used: /signed/delegations/roles/0/name: ${expected}`],
    ]);
    expect(report.targets).toEqual([]);
  });

  it('refuses Notary delegation names outside targets/ (notary IsDelegation)', async () => {
    const repo = await buildNotaryRepo({ delegations: [{ name: 'targets/releases', targets: { v1: 'x' } }] });
    repo.resign(
      'targets',
      (s) => {
        ((s['delegations'] as JsonObject)['roles'] as JsonObject[])[0]!['name'] = 'releases';
      },
      { bumpVersion: false },
    );
    const report = run(repo.toRepositoryInput());
    expect(withCode(report, 'MALFORMED_ROLE').map((f) => f[1])).toEqual(['targets']);
  });
});

describe('signature findings on top-level roles', () => {
  it('reports INVALID_SIGNATURE and UNKNOWN_SIGNER', async () => {
    const repo = await buildTufRepo({ roleKeys: { targets: 2 }, thresholds: { targets: 1 } });
    const stranger = generateTufKey('ed25519');
    repo.editSignatures('targets', (sigs) => [
      sigs[0]!,
      { ...sigs[1]!, sig: sigs[0]!['sig']! }, // key 2's slot holds key 1's signature: does not verify
      { keyid: stranger.keyid, sig: '00' },
    ]);
    const report = run(repo.toRepositoryInput());
    const [k1, k2] = repo.keysOf('targets');
    expect(report.findings.map((f) => [f.code, f.severity, f.keyid])).toEqual([
      ['INVALID_SIGNATURE', 'warning', k2!.keyid],
      ['UNKNOWN_SIGNER', 'warning', stranger.keyid],
    ]);
    expect(report.roles.find((r) => r.name === 'targets')?.signers).toEqual([k1!.keyid]);
  });

  it('reports tampered content as THRESHOLD_UNMET + INVALID_SIGNATURE (error)', async () => {
    const repo = await buildTufRepo({ targets: { 'a.txt': 'a' } });
    repo.tamperSigned('targets', (s) => {
      s['version'] = 1;
      (s['targets'] as JsonObject)['evil.txt'] = { length: 1, hashes: { sha256: '00'.repeat(32) } };
    });
    const report = run(repo.toRepositoryInput());
    expect(codes(report)).toEqual(['INVALID_SIGNATURE', 'THRESHOLD_UNMET']);
    expect(report.targets).toEqual([]);
  });
});

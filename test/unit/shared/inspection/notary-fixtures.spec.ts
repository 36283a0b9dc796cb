import path from 'node:path';

import { describe, expect, it } from 'vitest';

import { NodeCryptoProvider } from '../../../../electron/core/crypto/node-crypto-provider';
import { inspect } from '../../../../shared/inspection';
import { cnMatchesGun } from '../../../../shared/inspection/notary-certs';
import { InspectionReport } from '../../../../shared/inspection/report';
import { fixturesDir, haveFixtures, loadMetadataDir, notary01Dir, notary03Dir, optionsAt } from './support/load-fixture';

const crypto = new NodeCryptoProvider();
const GUN03 = 'docker.com/notary0.3/tst';
const GUN01 = 'docker.com/notary0.1/samplerepo';

describe.skipIf(!haveFixtures)('notary 0.3 compatibility fixture (needs ../shared/fixtures)', () => {
  const load = () =>
    loadMetadataDir(notary03Dir, GUN03, {
      privateKeys: [
        {
          id: 'f4eaf871a74aa3b3a0ff95cef2455a1e4d461639f5625418e76756fc5c948690',
          role: 'root',
          gun: null,
          path: path.join(fixturesDir, 'notary-compat/notary0.3/private/root_keys/f4eaf871a74aa3b3a0ff95cef2455a1e4d461639f5625418e76756fc5c948690.key'),
          encrypted: true,
        },
        {
          id: 'fa842f66cac2dc898677a8660789dcff0e3b0b93b73f8952491f6493199936d3',
          role: 'targets/releases',
          gun: null,
          path: path.join(fixturesDir, 'notary-compat/notary0.3/private/tuf_keys/fa842f66cac2dc898677a8660789dcff0e3b0b93b73f8952491f6493199936d3.key'),
          encrypted: true,
        },
      ],
    });

  it('is healthy on 2026-01-01, with the delegation and docker-style signers', () => {
    const report = inspect(load(), optionsAt('2026-01-01T00:00:00Z'), crypto);
    expect(InspectionReport.parse(report)).toEqual(report);
    expect(report.dialect).toBe('notary-v1');
    expect(report.health).toBe('healthy');
    // The delegation cert expired in 2017; notary does not enforce delegation cert expiry: info only.
    expect(report.findings).toEqual([
      {
        code: 'CERT_EXPIRED',
        severity: 'info',
        role: 'targets/releases',
        keyid: '68243a1f948be7841403f65fc8f24d5eda9050c337e727e2eacc3d3cb5227d73',
        message: 'Certificate 68243a1f948b (CN "avaid96") expired 2017-07-27T20:24:52.000Z (notary does not enforce delegation certificate expiry).',
      },
    ]);
    expect(report.roles.map((r) => [r.name, r.status, r.version, r.validSignatures, r.requiredSignatures])).toEqual([
      ['root', 'valid', 1, 1, 1],
      ['targets', 'valid', 5, 1, 1],
      ['snapshot', 'valid', 5, 1, 1],
      ['timestamp', 'valid', 4, 1, 1],
      ['targets/releases', 'valid', 1, 1, 1],
    ]);
    const releases = report.roles.find((r) => r.name === 'targets/releases');
    expect(releases).toMatchObject({ kind: 'delegation', parent: 'targets', paths: [''], terminating: null, targetCount: 1 });
    // What notary's README lists, with hex digests; `hello` lives in targets/releases.
    expect(report.targets.map((t) => [t.name, t.role, t.length, t.hashes['sha256'], t.signers])).toEqual([
      ['hello', 'targets/releases', 0, 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855', ['Repo Admin']],
      ['LICENSE', 'targets', 11309, '9395bac6fccb26bcb55efb083d1b4b0fe72a1c25f959f056c016120b3bb56a62', ['Repo Admin']],
      ['change', 'targets', 0, 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855', ['Repo Admin']],
    ]);
    expect(report.targets[0]?.hashes['sha512']).toMatch(/^[0-9a-f]{128}$/);
    expect(report.rootHistory).toEqual([
      expect.objectContaining({ version: 1, ok: true, signedByPrevious: null, signedBySelf: { valid: 1, required: 1 } }),
    ]);
  });

  it('shows keys: cert key ID vs canonical ID, algorithms, certs and where each key lives', () => {
    const report = inspect(load(), optionsAt('2026-01-01T00:00:00Z'), crypto);
    const byId = new Map(report.keys.map((k) => [k.id, k]));
    const root = byId.get('354e203ba09dbe17807b6a9d191bff887167c06d121e738d849446a9c76c2866');
    expect(root).toMatchObject({
      canonicalId: 'f4eaf871a74aa3b3a0ff95cef2455a1e4d461639f5625418e76756fc5c948690',
      keytype: 'ecdsa-x509',
      algorithm: 'ecdsa-p256',
      bits: 256,
      roles: ['root'],
      idMatchesHash: true,
      location: { kind: 'file', detail: path.join(fixturesDir, 'notary-compat/notary0.3/private/root_keys/f4eaf871a74aa3b3a0ff95cef2455a1e4d461639f5625418e76756fc5c948690.key') },
    });
    expect(root?.cert).toMatchObject({ subjectCN: GUN03, notAfter: '2026-07-25T22:56:32.000Z', selfSigned: true });
    const releases = byId.get('68243a1f948be7841403f65fc8f24d5eda9050c337e727e2eacc3d3cb5227d73');
    expect(releases).toMatchObject({ keytype: 'rsa-x509', algorithm: 'rsa', bits: 2048, roles: ['targets/releases'], location: { kind: 'file' } });
    expect(releases?.canonicalId).toBe('fa842f66cac2dc898677a8660789dcff0e3b0b93b73f8952491f6493199936d3');
    expect(byId.get('f694343ec1d508b2840d86aec5387d7b4d62a39647e33566b2b2abf96029750c')?.location).toEqual({ kind: 'server', detail: 'notary-server' });
    expect(byId.get('85559599cf3cf681ff193f432a7ca6d128182bd1cfa8ede2c70761deac8bc2dc')?.location).toEqual({ kind: 'server', detail: 'notary-server' });
    expect(byId.get('041b64dab281324ef2b62fd2d04f4758269e120ff063b7bc78709272821a0a02')?.location).toEqual({ kind: 'unknown' });
    expect(report.keys.every((k) => k.idMatchesHash && k.publicKeyPem?.startsWith('-----BEGIN PUBLIC KEY-----'))).toBe(true);
  });

  it('flags CERT_EXPIRED once the root certificate expired (2026-07-25)', () => {
    const report = inspect(load(), optionsAt('2026-11-21T00:00:00Z'), crypto);
    expect(report.health).toBe('error');
    expect(report.findings.filter((f) => f.severity !== 'info')).toEqual([
      {
        code: 'CERT_EXPIRED',
        severity: 'error',
        role: 'root',
        keyid: '354e203ba09dbe17807b6a9d191bff887167c06d121e738d849446a9c76c2866',
        message: 'Certificate 354e203ba09d (CN "docker.com/notary0.3/tst") expired 2026-07-25T22:56:32.000Z.',
      },
    ]);
  });

  it('warns CERT_EXPIRING inside six months of the root certificate expiry', () => {
    const report = inspect(load(), optionsAt('2026-03-01T00:00:00Z'), crypto);
    expect(report.health).toBe('warning');
    expect(report.findings.filter((f) => f.severity !== 'info').map((f) => [f.code, f.role])).toEqual([['CERT_EXPIRING', 'root']]);
  });

  it('reports CERT_CN_MISMATCH when inspected under another GUN', () => {
    const input = { ...load(), name: 'docker.com/other/repo' };
    const report = inspect(input, optionsAt('2026-01-01T00:00:00Z'), crypto);
    expect(report.findings.filter((f) => f.severity === 'error').map((f) => f.code)).toEqual(['CERT_CN_MISMATCH']);
    expect(cnMatchesGun('docker.com/*', GUN03)).toBe(true);
    expect(cnMatchesGun('docker.com/notary0.3/tst', GUN03)).toBe(true);
    expect(cnMatchesGun('docker.com/notary0.3/ts', GUN03)).toBe(false);
    expect(cnMatchesGun('quay.io/*', GUN03)).toBe(false);
  });

  it('reports progress up to the number of files', () => {
    const seen: Array<[number, number]> = [];
    inspect(load(), optionsAt('2026-01-01T00:00:00Z', { onProgress: (d, t) => seen.push([d, t]) }), crypto);
    expect(seen.at(-1)).toEqual([5, 5]);
    expect(seen.every(([d, t]) => d <= t && t === 5)).toBe(true);
  });
});

describe.skipIf(!haveFixtures)('notary 0.1 compatibility fixture (needs ../shared/fixtures)', () => {
  it('is healthy: everything expires in 2116, root cert valid 2016-2116', () => {
    for (const at of ['2026-01-01T00:00:00Z', '2026-11-21T00:00:00Z']) {
      const report = inspect(loadMetadataDir(notary01Dir, GUN01), optionsAt(at), crypto);
      expect(report.findings).toEqual([]);
      expect(report.health).toBe('healthy');
      expect(report.roles.map((r) => [r.name, r.status, r.version])).toEqual([
        ['root', 'valid', 1],
        ['targets', 'valid', 2],
        ['snapshot', 'valid', 2],
        ['timestamp', 'valid', 1],
      ]);
      expect(report.targets).toEqual([
        {
          name: 'LICENSE',
          length: 11309,
          hashes: { sha256: '9395bac6fccb26bcb55efb083d1b4b0fe72a1c25f959f056c016120b3bb56a62' },
          role: 'targets',
          signers: ['Repo Admin'],
        },
      ]);
      const root = report.keys.find((k) => k.roles.includes('root'));
      expect(root?.id).toBe('4ff57dc987163053a12c066f2dd36b1ae6037a92f5416d381fe311a3db1868d8');
      expect(root?.canonicalId).toBe('d0c623c8e70c70d42a8a8125c44a8598588b3f6e31d5c21a83cbc338dfde8a68');
    }
  });

  it('flags EXPIRED for every role after 2116', () => {
    const report = inspect(loadMetadataDir(notary01Dir, GUN01), optionsAt('2117-01-01T00:00:00Z'), crypto);
    expect(report.findings.filter((f) => f.code === 'EXPIRED').map((f) => f.role).sort()).toEqual(['root', 'snapshot', 'targets', 'timestamp']);
    expect(report.findings.some((f) => f.code === 'CERT_EXPIRED' && f.role === 'root')).toBe(true);
  });
});

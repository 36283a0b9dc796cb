import { describe, expect, it } from 'vitest';

import { buildNotaryRepo } from '../../../support/repo-builder';
import { generateNotaryRootKey, type TestKey } from '../../../support/test-keys';
import { NOW, run, withCode } from './support/catalogue';

// security.md §6 #30 and notary `trustpinning/certs.go`: the Notary root certificate rules.

const GUN = 'example.com/test/repo';
const DAY = 86_400_000;

async function repoWithRootCert(make: () => Promise<TestKey>) {
  const key = await make();
  return { key, repo: await buildNotaryRepo({ gun: GUN, rootKeys: [key], keyAlgorithm: key.algorithm === 'rsa' ? 'rsa' : 'ecdsa-p256' }) };
}

describe('catalogue #30: Notary root certificates', () => {
  it('accepts a fresh self-signed cert with CN = GUN', async () => {
    const { repo } = await repoWithRootCert(() => generateNotaryRootKey('ecdsa-p256', { commonName: GUN }));
    const report = run(repo.toRepositoryInput());
    expect(report.findings).toEqual([]);
    const root = report.keys.find((k) => k.roles.includes('root'));
    expect(root?.cert).toMatchObject({ subjectCN: GUN, issuerCN: GUN, selfSigned: true });
    expect(root?.cert?.signatureAlgorithm).toMatch(/SHA256/i);
  });

  it('rejects CN != GUN', async () => {
    const { key, repo } = await repoWithRootCert(() => generateNotaryRootKey('ecdsa-p256', { commonName: 'example.com/other' }));
    const report = run(repo.toRepositoryInput());
    expect(withCode(report, 'CERT_CN_MISMATCH')).toEqual([
      ['error', 'root', `Root certificate ${key.keyid.slice(0, 12)} has CN "example.com/other" but the repository is "${GUN}"; notary rejects it.`],
    ]);
  });

  it('accepts a wildcard CN covering the GUN', async () => {
    const { repo } = await repoWithRootCert(() => generateNotaryRootKey('ecdsa-p256', { commonName: 'example.com/*' }));
    expect(run(repo.toRepositoryInput()).findings).toEqual([]);
  });

  it('rejects a SHA-1 signed cert', async () => {
    const { key, repo } = await repoWithRootCert(() => generateNotaryRootKey('rsa', { commonName: GUN, sha1: true }));
    const report = run(repo.toRepositoryInput());
    expect(withCode(report, 'CERT_INVALID')).toEqual([
      ['error', 'root', `Root certificate ${key.keyid.slice(0, 12)} is signed with SHA-1 (sha1WithRSAEncryption); notary rejects it.`],
    ]);
  });

  it('rejects an expired cert and one not yet valid', async () => {
    const expired = await repoWithRootCert(() =>
      generateNotaryRootKey('ecdsa-p256', { commonName: GUN, notBefore: new Date(NOW.getTime() - 400 * DAY), notAfter: new Date(NOW.getTime() - DAY) }),
    );
    const r1 = run(expired.repo.toRepositoryInput());
    expect(withCode(r1, 'CERT_EXPIRED')).toEqual([
      [
        'error',
        'root',
        `Certificate ${expired.key.keyid.slice(0, 12)} (CN "${GUN}") expired ${new Date(Math.floor((NOW.getTime() - DAY) / 1000) * 1000).toISOString()}.`,
      ],
    ]);
    const future = await repoWithRootCert(() =>
      generateNotaryRootKey('ecdsa-p256', { commonName: GUN, notBefore: new Date(NOW.getTime() + 3 * DAY), notAfter: new Date(NOW.getTime() + 400 * DAY) }),
    );
    expect(withCode(run(future.repo.toRepositoryInput()), 'CERT_EXPIRED')[0]?.[2]).toMatch(/is not valid before /);
  });

  it('tolerates one day of clock skew on NotBefore', async () => {
    const { repo } = await repoWithRootCert(() =>
      generateNotaryRootKey('ecdsa-p256', { commonName: GUN, notBefore: new Date(NOW.getTime() + 12 * 3_600_000), notAfter: new Date(NOW.getTime() + 400 * DAY) }),
    );
    expect(run(repo.toRepositoryInput()).findings).toEqual([]);
  });

  it('warns inside six months of expiry', async () => {
    const { key, repo } = await repoWithRootCert(() =>
      generateNotaryRootKey('ecdsa-p256', { commonName: GUN, notAfter: new Date(NOW.getTime() + 90 * DAY) }),
    );
    const report = run(repo.toRepositoryInput());
    expect(report.health).toBe('warning');
    expect(withCode(report, 'CERT_EXPIRING').map((f) => [f[0], f[1]])).toEqual([['warning', 'root']]);
    expect(withCode(report, 'CERT_EXPIRING')[0]?.[2]).toMatch(new RegExp(`^Root certificate ${key.keyid.slice(0, 12)} expires .*, within six months; rotate the root key\\.$`));
  });

  it('ignores expired certificates of intermediate roots in a rotation chain', async () => {
    const old = await generateNotaryRootKey('ecdsa-p256', { commonName: GUN, notBefore: new Date(NOW.getTime() - 400 * DAY), notAfter: new Date(NOW.getTime() - DAY) });
    const repo = await buildNotaryRepo({ gun: GUN, rootKeys: [old], rootRotations: [{ rootKeys: 1 }] });
    const report = run(repo.toRepositoryInput());
    expect(report.rootHistory.map((s) => s.ok)).toEqual([true, true]);
    expect(report.findings).toEqual([]);
  });
});

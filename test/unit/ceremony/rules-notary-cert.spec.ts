import { randomBytes, sign as nodeSign } from 'node:crypto';
import { describe, expect, it } from 'vitest';

import { generateSoftwareKey, spkiDer } from '../../../electron/core/keys/software-keys';
import { assembleCertificate, blockingFailures, notaryRootCertTbs, notaryRootKeyFromCert, propose, type RepoState } from '../../../shared/ceremony';
import { crypto, emptyState, env, GUN, makeKey, makeNotaryRootKey, NOW, publish, signWith, type TestKey } from './helpers';


const DAY = 86_400_000;

/** A Notary root key whose certificate is valid for `days` from NOW. */
async function rootKeyValidFor(days: number): Promise<TestKey> {
  const pair = await generateSoftwareKey('ecdsa-p256');
  const der = new Uint8Array(spkiDer(pair.publicKey));
  const tbs = notaryRootCertTbs({ gun: GUN, spkiDer: der, algorithm: 'ecdsa-p256', notBefore: new Date(NOW.getTime() - 60_000), notAfter: new Date(NOW.getTime() + days * DAY), serial: new Uint8Array(randomBytes(16)) });
  const raw = nodeSign('sha256', tbs, { key: pair.privateKey, dsaEncoding: 'ieee-p1363' });
  const { pem } = assembleCertificate(tbs, 'ecdsa-p256', new Uint8Array(raw), 'raw');
  return { key: notaryRootKeyFromCert(pem, { kind: 'file', keyId: 'x' }, crypto, { holder: 'Old officer' }), priv: pair.privateKey };
}

async function notaryRepo(root: TestKey, rootExpires: string): Promise<RepoState> {
  const tk = await makeKey('notary-v1');
  const online = { snapshot: await makeKey('notary-v1'), timestamp: await makeKey('notary-v1') };
  const s0 = emptyState('notary-v1', { snapshot: online.snapshot.key.keyObject, timestamp: online.timestamp.key.keyObject });
  const init = propose(s0, { kind: 'init', rootKeys: [root.key], rootThreshold: 1, targetsKeys: [tk.key], expires: { root: rootExpires } }, env);
  expect(blockingFailures(init.checks)).toEqual([]);
  return publish(s0, init, signWith(init, [root, tk]), online);
}

describe('Notary root certificates in ceremonies (review F12, catalogue #30)', () => {
  it('rotate-root keeping a cert that expires in 100 days: CERT_EXPIRING warning, and a root outliving it is refused', async () => {
    const old = await rootKeyValidFor(100);
    const state = await notaryRepo(old, '2027-01-01T00:00:00Z');
    const added = await makeNotaryRootKey(GUN, 'New officer');
    const p = propose(state, { kind: 'rotate-root', add: [added.key] }, env);
    const expiring = p.checks.find((c) => c.code === 'CERT_EXPIRING' && !c.passed)!;
    expect(expiring.severity).toBe('warning');
    expect(expiring.message).toMatch(new RegExp(`^root cert ${old.key.keyid.slice(0, 8)}… expires .* in 100 days: rotate this root key soon`));
    const outlived = blockingFailures(p.checks).find((c) => c.code === 'CERT_OUTLIVED')!;
    expect(outlived.message).toMatch(/the root expires 3550 day\(s\) after root cert .* does .*set an earlier root expiry \(--expires root=…\) or rotate that root key/);
    // a root expiry inside the cert's validity passes both rules except the 6-month warning
    const ok = propose(state, { kind: 'rotate-root', add: [added.key], expires: { root: '2027-02-01T00:00:00Z' } }, env);
    expect(blockingFailures(ok.checks)).toEqual([]);
    expect(ok.checks.filter((c) => !c.passed && c.code.startsWith('CERT_')).map((c) => c.code)).toEqual(['CERT_EXPIRING']);
  });

  it('a root outliving a cert by a few days is a warning, not a refusal; fresh certs raise nothing', async () => {
    const old = await rootKeyValidFor(400);
    const state = await notaryRepo(old, '2027-06-01T00:00:00Z');
    const p = propose(state, { kind: 'rotate-root', add: [(await makeNotaryRootKey(GUN)).key], expires: { root: new Date(NOW.getTime() + 410 * DAY).toISOString().replace(/\.\d{3}Z$/, 'Z') } }, env);
    expect(p.checks.find((c) => c.code === 'CERT_OUTLIVED' && !c.passed)).toMatchObject({ severity: 'warning' });
    expect(blockingFailures(p.checks)).toEqual([]);
    const fresh = await makeNotaryRootKey(GUN);
    const clean = await notaryRepo(fresh, '2030-01-01T00:00:00Z');
    expect(clean.files['root']).toBeTruthy();
  });
});

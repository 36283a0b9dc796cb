import { describe, expect, it } from 'vitest';

import { NodeCryptoProvider } from '../../../../electron/core/crypto/node-crypto-provider';
import { resolveSignatureMethod } from '../../../../shared/tuf/crypto';
import { parseMetadata } from '../../../../shared/tuf/metadata';
import type { Envelope, Key, Root } from '../../../../shared/tuf/model';
import { roleKeyMap, signedMessage, verifyRoleSignatures } from '../../../../shared/tuf/verify-role';
import { canonicalize } from '../../../../shared/tuf/canonical-json';
import { buildNotaryRepo, buildTufRepo } from '../../../support/repo-builder';
import type { TestRepo } from '../../../support/repo-builder';
import { haveFixtures, jsonFilesUnder, NOTARY_REPOS, notaryMetadataDir, SKIP_REASON, sigstoreRoot } from './support/fixtures';

const crypto = new NodeCryptoProvider();

function verifyTop(env: Envelope, root: Root, role: 'root' | 'targets' | 'snapshot' | 'timestamp') {
  const spec = root.roles.get(role)!;
  return verifyRoleSignatures(env, roleKeyMap(root.keys, spec.keyids), spec.threshold, crypto);
}

function verifyRepoRole(repo: TestRepo, name: string) {
  const root = parseMetadata(repo.bytes('root'), { expectedType: 'root' }).signed;
  const env = parseMetadata(repo.bytes(name));
  return verifyTop(env, root, name as 'targets');
}

describe('verifyRoleSignatures: real fixtures', () => {
  it.skipIf(!haveFixtures)(`verifies sigstore roots 1..15 by their own keys and by the previous root ${SKIP_REASON}`, () => {
    let prev: Root | null = null;
    const report: string[] = [];
    for (let n = 1; n <= 15; n++) {
      const env = parseMetadata(sigstoreRoot(n), { expectedType: 'root' });
      const self = verifyTop(env, env.signed, 'root');
      expect(self.valid, `v${n} self`).toBeGreaterThanOrEqual(self.threshold);
      if (prev) {
        const byPrev = verifyTop(env, prev, 'root');
        expect(byPrev.valid, `v${n} by v${n - 1}`).toBeGreaterThanOrEqual(byPrev.threshold);
      }
      if (self.invalid.length > 0) report.push(`v${n} invalid ${self.invalid.length}`);
      prev = env.signed;
    }
    // No signature by a root key fails; tuf-on-ci's empty placeholders (v12, v14) are "empty", not invalid.
    expect(report).toEqual([]);
  });

  it.skipIf(!haveFixtures)(`marks tuf-on-ci empty signature placeholders as empty ${SKIP_REASON}`, () => {
    const env = parseMetadata(sigstoreRoot(12), { expectedType: 'root' });
    const v = verifyTop(env, env.signed, 'root');
    expect(v.details.filter((d) => d.status === 'empty').map((d) => d.keyid.slice(0, 8)).sort()).toEqual(['22f4caec', '6f260089']);
    expect(v.valid).toBe(3);
  });

  it.skipIf(!haveFixtures)(`verifies every notary-compat role, including the rsapss delegation ${SKIP_REASON}`, () => {
    for (const { version, gun } of NOTARY_REPOS) {
      const files = jsonFilesUnder(notaryMetadataDir(version, gun));
      const root = parseMetadata(files.get('root.json')!, { expectedType: 'root' }).signed;
      for (const role of ['root', 'targets', 'snapshot', 'timestamp'] as const) {
        const v = verifyTop(parseMetadata(files.get(`${role}.json`)!), root, role);
        expect(v.valid, `${version} ${role}`).toBe(1);
        expect(v.invalid).toEqual([]);
      }
      const releases = files.get('targets/releases.json');
      if (releases) {
        const targets = parseMetadata(files.get('targets.json')!, { expectedType: 'targets' }).signed;
        const d = targets.delegations!.roles[0]!;
        const v = verifyRoleSignatures(parseMetadata(releases), roleKeyMap(targets.delegations!.keys, d.keyids), d.threshold, crypto);
        expect(v.valid).toBe(1);
      }
    }
  });

  it.skipIf(!haveFixtures)(`uses the file's own bytes when signed is already canonical (Notary) ${SKIP_REASON}`, () => {
    const files = jsonFilesUnder(notaryMetadataDir('notary0.3', 'docker.com/notary0.3/tst'));
    const env = parseMetadata(files.get('targets.json')!);
    const msg = signedMessage(env);
    expect(msg.buffer).toBe(env.bytes.buffer);
    expect(Buffer.from(msg).equals(Buffer.from(canonicalize(env.signedJson)))).toBe(true);
  });
});

describe('verifyRoleSignatures: built repositories and tampering', () => {
  it('verifies every role of built TUF and Notary repos', async () => {
    for (const repo of [
      await buildTufRepo({ rootKeys: 3, rootThreshold: 2, targets: { a: 'x' } }),
      await buildNotaryRepo({ rootKeys: 2, rootThreshold: 2, targets: { a: 'x' } }),
    ]) {
      for (const role of ['root', 'targets', 'snapshot', 'timestamp']) {
        const v = verifyRepoRole(repo, role);
        expect(v.valid, `${repo.dialect} ${role}`).toBeGreaterThanOrEqual(v.threshold);
        expect(v.invalid).toEqual([]);
      }
    }
  });

  it('fails signatures after signed is mutated', async () => {
    const repo = await buildTufRepo({ targets: { a: 'x' } });
    repo.tamperSigned('targets', (s) => {
      s['version'] = 7;
    });
    const v = verifyRepoRole(repo, 'targets');
    expect(v.valid).toBe(0);
    expect(v.invalid).toEqual([repo.keysOf('targets')[0]!.keyid]);
    expect(v.details[0]!.status).toBe('invalid');
  });

  it('counts a repeated signature once and flags it (catalogue #4)', async () => {
    const repo = await buildTufRepo({ rootKeys: 2, rootThreshold: 2 });
    repo.editSignatures('root', (sigs) => [sigs[0]!, sigs[0]!, sigs[0]!]);
    const v = verifyRepoRole(repo, 'root');
    expect(v.valid).toBe(1);
    expect(v.duplicates).toEqual([sigs0(repo)]);
  });

  it('counts one public key under two keyids once (catalogue #5)', async () => {
    const repo = await buildTufRepo({ keyAlgorithm: 'ecdsa-p256' });
    const key = repo.keysOf('root')[0]!;
    const der = key.publicKey.export({ type: 'spki', format: 'der' });
    // The same key, written as a hex point instead of PEM, under its own (correct) keyid.
    const alias: Key = {
      keyid: 'alias',
      keytype: 'ecdsa-sha2-nistp256',
      scheme: 'ecdsa-sha2-nistp256',
      public: der.subarray(der.length - 65).toString('hex'),
      keyidHashAlgorithms: null,
      raw: {},
    };
    const env = parseMetadata(repo.bytes('root'));
    const original = env.signatures[0]!;
    const twice: Envelope = { ...env, signatures: [original, { ...original, keyid: 'alias' }] };
    const root = env.signed as Root;
    const keys = new Map(roleKeyMap(root.keys, root.roles.get('root')!.keyids));
    keys.set('alias', alias);
    const v = verifyRoleSignatures(twice, keys, 1, crypto);
    expect(v.valid).toBe(1);
    expect(v.signers).toEqual([key.keyid]);
    expect(v.duplicates).toEqual(['alias']);
  });

  it('reports unknown signers and malformed signatures', async () => {
    const repo = await buildNotaryRepo({});
    repo.editSignatures('targets', (sigs) => [...sigs, { keyid: 'stranger', method: 'ecdsa', sig: 'AAAA' }]);
    repo.editSignatures('snapshot', (sigs) => sigs.map((s) => ({ ...s, sig: 'not base64!' })));
    const t = verifyRepoRole(repo, 'targets');
    expect(t.valid).toBe(1);
    expect(t.unknown).toEqual(['stranger']);
    const s = verifyRepoRole(repo, 'snapshot');
    expect(s.valid).toBe(0);
    expect(s.details[0]!.status).toBe('malformed');
  });

  it('lower-cases the Notary method and refuses a method that does not fit the key', async () => {
    const repo = await buildNotaryRepo({});
    repo.editSignatures('timestamp', (sigs) => sigs.map((s) => ({ ...s, method: 'ECDSA' })));
    expect(verifyRepoRole(repo, 'timestamp').valid).toBe(1);
    repo.editSignatures('timestamp', (sigs) => sigs.map((s) => ({ ...s, method: 'eddsa' })));
    const v = verifyRepoRole(repo, 'timestamp');
    expect(v.valid).toBe(0);
    expect(v.details[0]!.status).toBe('unsupported-method');
  });

  it('resolves methods per dialect', () => {
    const k = (scheme: string | null) => ({ keytype: 'x', scheme, public: '' });
    expect(resolveSignatureMethod('tuf-1.0', k('ecdsa-sha2-nistp256'), 'ecdsa-p256', null)).toEqual({ ok: true, method: 'ecdsa-sha256-der' });
    expect(resolveSignatureMethod('tuf-1.0', k('ecdsa-sha2-nistp384'), 'ecdsa-p384', null)).toEqual({ ok: true, method: 'ecdsa-sha384-der' });
    expect(resolveSignatureMethod('tuf-1.0', k('ecdsa-sha2-nistp256'), 'ecdsa-p384', null).ok).toBe(false);
    expect(resolveSignatureMethod('tuf-1.0', k('rsassa-pss-sha256'), 'rsa', null)).toEqual({ ok: true, method: 'rsa-pss-sha256-any-salt' });
    expect(resolveSignatureMethod('notary-v1', k(null), 'ecdsa-p256', 'ecdsa')).toEqual({ ok: true, method: 'ecdsa-sha256-raw' });
    expect(resolveSignatureMethod('notary-v1', k(null), 'rsa', 'rsapss')).toEqual({ ok: true, method: 'rsa-pss-sha256' });
    expect(resolveSignatureMethod('notary-v1', k(null), 'rsa', 'rsapkcs1v15')).toEqual({ ok: true, method: 'rsa-pkcs1v15-sha256' });
    expect(resolveSignatureMethod('notary-v1', k(null), 'ed25519', 'eddsa')).toEqual({ ok: true, method: 'ed25519' });
    expect(resolveSignatureMethod('notary-v1', k(null), 'ed25519', 'md5').ok).toBe(false);
  });
});

function sigs0(repo: TestRepo): string {
  return repo.role('root').signatures[0]!['keyid'] as string;
}

import { createPrivateKey, createPublicKey, sign, verify } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';

import { children, decodeOid, readTlv } from '../../../../electron/core/crypto/der';
import { integer, octetString, oid, sequence } from '../../../../electron/core/keys/der-writer';
import {
  KeyFileTruncatedError,
  UnsupportedCipherError,
  WeakKdfParametersError,
  WeakPassphraseError,
  WrongPassphraseError,
} from '../../../../electron/core/keys/errors';
import { importNotaryTrustDir } from '../../../../electron/core/keys/notary-import';
import { exportNotaryKeyFile, readNotaryKeyFile } from '../../../../electron/core/keys/notary-key-file';
import { encodePem, parsePem } from '../../../../electron/core/keys/pem';
import { passphraseEnvNames, passphraseFromEnv } from '../../../../electron/core/keys/passphrase';
import { generateSoftwareKey, notaryKeyId, type SoftwareKeyPair } from '../../../../electron/core/keys/software-keys';

const repoRoot = path.resolve(import.meta.dirname, '../../../..');
const compat = path.resolve(repoRoot, '../shared/fixtures/notary-compat');
const haveFixtures = existsSync(compat);
const PASS = 'export-passphrase-1';
if (!haveFixtures) console.warn(`notary-key-file.spec: fixture tests skipped, ${compat} is absent`);

/** Children of the DER node at `at`, as [tag, start, end] for terse assertions. */
function kidsAt(der: Uint8Array, node = readTlv(der, 0)!) {
  return children(der, node)!;
}

describe.skipIf(!haveFixtures)('Notary fixture key files (shared/fixtures/notary-compat)', () => {
  it('imports the notary 0.1 keys (legacy EC + DEK-Info, passphrase "randompass") with their IDs, roles and GUN', async () => {
    const keys = await importNotaryTrustDir(path.join(compat, 'notary0.1'), () => 'randompass');
    const summary = keys.map((k) => ({ id: k.id.slice(0, 8), role: k.role, gun: k.gun, format: k.format }));
    expect(summary).toEqual([
      { id: 'd0c623c8', role: 'root', gun: null, format: 'legacy-encrypted' },
      { id: '7fc75780', role: 'targets', gun: 'docker.com/notary0.1/samplerepo', format: 'legacy-encrypted' },
      { id: 'a55ccf65', role: 'snapshot', gun: 'docker.com/notary0.1/samplerepo', format: 'legacy-encrypted' },
    ]);
    for (const key of keys) expect(key.id).toBe(key.fileId);
  });

  it('imports the notary 0.3 keys (EC and RSA with role headers, passphrase "password")', async () => {
    const keys = await importNotaryTrustDir(path.join(compat, 'notary0.3'), () => 'password');
    const summary = keys.map((k) => ({ id: k.id.slice(0, 8), role: k.role, gun: k.gun, type: k.privateKey.asymmetricKeyType }));
    expect(summary).toEqual([
      { id: 'f4eaf871', role: 'root', gun: null, type: 'ec' },
      { id: '041b64da', role: 'targets', gun: 'docker.com/notary0.3/tst', type: 'ec' },
      { id: '85559599', role: 'snapshot', gun: 'docker.com/notary0.3/tst', type: 'ec' },
      { id: 'fa842f66', role: 'targets/releases', gun: null, type: 'rsa' },
    ]);
  });

  it('reports a wrong passphrase on a legacy file as WrongPassphraseError', () => {
    const file = path.join(compat, 'notary0.3/private/root_keys/f4eaf871a74aa3b3a0ff95cef2455a1e4d461639f5625418e76756fc5c948690.key');
    expect(() => readNotaryKeyFile(readFileSync(file, 'utf8'), 'randompass')).toThrow(WrongPassphraseError);
  });
});

describe('Notary key file export (notary 0.7 format)', () => {
  let ec: SoftwareKeyPair;
  beforeAll(async () => {
    ec = await generateSoftwareKey('ecdsa-p256');
  });

  it('writes ENCRYPTED PRIVATE KEY with gun/path/role headers, PBES2 PBKDF2-SHA1 (no PRF) 2048 iterations, 8-byte salt, AES-256-CBC', () => {
    const text = exportNotaryKeyFile(ec.privateKey, { role: 'targets', gun: 'example.com/app', passphrase: PASS });
    const id = notaryKeyId(ec.privateKey);
    expect(text.split('\n').slice(0, 5)).toEqual(['-----BEGIN ENCRYPTED PRIVATE KEY-----', 'gun: example.com/app', `path: ${id}`, 'role: targets', '']);
    const der = parsePem(text).der;
    const [alg] = kidsAt(der);
    const [pbes2Oid, params] = kidsAt(der, alg);
    expect(decodeOid(der, pbes2Oid!)).toBe('1.2.840.113549.1.5.13');
    const [kdf, scheme] = kidsAt(der, params);
    const [, kdfParams] = kidsAt(der, kdf);
    const kp = kidsAt(der, kdfParams);
    expect(kp).toHaveLength(2); // salt + iterations: no key length, no PRF (= HMAC-SHA1)
    expect(kp[0]!.end - kp[0]!.start).toBe(8);
    expect(Buffer.from(der.subarray(kp[1]!.start, kp[1]!.end)).readUInt16BE()).toBe(2048);
    expect(decodeOid(der, kidsAt(der, scheme)[0]!)).toBe('2.16.840.1.101.3.4.1.42');

    // OpenSSL (node:crypto) decrypts it once the notary headers are stripped, as notary.md §3 says.
    const stripped = text.replace(/^(gun|path|role): .*\n/gm, '').replace('-----\n\n', '-----\n');
    const viaOpenssl = createPrivateKey({ key: stripped, format: 'pem', passphrase: PASS });
    expect(createPublicKey(viaOpenssl).export({ type: 'spki', format: 'der' })).toEqual(createPublicKey(ec.privateKey).export({ type: 'spki', format: 'der' }));
  });

  it('uses notary\'s inner PKCS#8 quirk for ECDSA: version 1, bare OID sequence (no NULL)', () => {
    const plain = exportNotaryKeyFile(ec.privateKey, { role: 'targets/releases', passphrase: null });
    expect(plain).toMatch(/^-----BEGIN PRIVATE KEY-----\npath: [0-9a-f]{64}\nrole: targets\/releases\n\n/);
    const der = parsePem(plain).der;
    const [version, alg] = kidsAt(der);
    expect(der[version!.start]).toBe(1);
    expect(kidsAt(der, alg).map((n) => decodeOid(der, n))).toEqual(['1.2.840.10045.2.1', '1.2.840.10045.3.1.7']);
    expect(readNotaryKeyFile(plain, null).id).toBe(notaryKeyId(ec.privateKey));
  });

  it('round-trips ECDSA, Ed25519 (notary OID, 96 raw bytes) and RSA-3072 keys, signing with the re-read key', async () => {
    const ed = await generateSoftwareKey('ed25519');
    const rsa = await generateSoftwareKey('rsa');
    expect(rsa.privateKey.asymmetricKeyDetails?.modulusLength).toBe(3072);
    for (const pair of [ec, ed, rsa]) {
      const text = exportNotaryKeyFile(pair.privateKey, { role: 'root', passphrase: PASS });
      expect(text).not.toContain('gun:'); // notary writes gun only for targets/snapshot keys
      const back = readNotaryKeyFile(text, PASS);
      expect(back).toMatchObject({ id: notaryKeyId(pair.privateKey), role: 'root', gun: null, format: 'pkcs8-encrypted' });
      const message = Buffer.from('sign me');
      const digest = pair.algorithm === 'ed25519' ? null : 'sha256';
      expect(verify(digest, message, pair.publicKey, sign(digest, message, back.privateKey))).toBe(true);
    }
    const edDer = parsePem(exportNotaryKeyFile(ed.privateKey, { role: 'root', passphrase: null })).der;
    const [, edAlg, edKey] = kidsAt(edDer);
    expect(decodeOid(edDer, kidsAt(edDer, edAlg)[0]!)).toBe('1.3.6.1.4.1.11591.15.1');
    expect(edKey!.end - edKey!.start).toBe(96);
  });

  it('rejects wrong passphrases, truncation, weak PBKDF2 and unknown ciphers with named errors', () => {
    const text = exportNotaryKeyFile(ec.privateKey, { role: 'root', passphrase: PASS });
    expect(() => readNotaryKeyFile(text, 'wrong-passphrase')).toThrow(WrongPassphraseError);
    const lines = text.split('\n');
    expect(() => readNotaryKeyFile(lines.slice(0, 5).join('\n'), PASS)).toThrow(KeyFileTruncatedError);

    const weak = (iterations: number, cipherOid = '2.16.840.1.101.3.4.1.42') =>
      encodePem(
        'ENCRYPTED PRIVATE KEY',
        sequence(
          sequence(
            oid('1.2.840.113549.1.5.13'),
            sequence(sequence(oid('1.2.840.113549.1.5.12'), sequence(octetString(Buffer.alloc(8)), integer(iterations))), sequence(oid(cipherOid), octetString(Buffer.alloc(16)))),
          ),
          octetString(Buffer.alloc(32)),
        ),
        { role: 'root' },
      );
    expect(() => readNotaryKeyFile(weak(1), PASS)).toThrow(WeakKdfParametersError);
    expect(() => readNotaryKeyFile(weak(2048, '2.16.840.1.101.3.4.1.2'), PASS)).toThrow(UnsupportedCipherError);
    expect(() => readNotaryKeyFile(weak(2048), PASS)).toThrow(WrongPassphraseError);
    expect(() => exportNotaryKeyFile(ec.privateKey, { role: 'root', passphrase: 'short' })).toThrow(WeakPassphraseError);
  });
});

describe('passphrase environment names', () => {
  it('maps roles to the notary and docker variables', () => {
    expect(passphraseEnvNames('root')).toEqual(['NOTARY_ROOT_PASSPHRASE', 'DOCKER_CONTENT_TRUST_ROOT_PASSPHRASE']);
    expect(passphraseEnvNames('targets')).toEqual(['NOTARY_TARGETS_PASSPHRASE', 'DOCKER_CONTENT_TRUST_REPOSITORY_PASSPHRASE']);
    expect(passphraseEnvNames('snapshot')).toEqual(['NOTARY_SNAPSHOT_PASSPHRASE', 'DOCKER_CONTENT_TRUST_REPOSITORY_PASSPHRASE']);
    expect(passphraseEnvNames('targets/releases')).toEqual(['NOTARY_DELEGATION_PASSPHRASE', 'DOCKER_CONTENT_TRUST_REPOSITORY_PASSPHRASE']);
    expect(passphraseFromEnv('targets', { DOCKER_CONTENT_TRUST_REPOSITORY_PASSPHRASE: 'repo-pass' })).toEqual({ name: 'DOCKER_CONTENT_TRUST_REPOSITORY_PASSPHRASE', value: 'repo-pass' });
    expect(passphraseFromEnv('root', { NOTARY_ROOT_PASSPHRASE: '', DOCKER_CONTENT_TRUST_ROOT_PASSPHRASE: 'r' })).toEqual({ name: 'DOCKER_CONTENT_TRUST_ROOT_PASSPHRASE', value: 'r' });
  });
});

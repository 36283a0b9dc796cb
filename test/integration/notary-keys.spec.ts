import { createPublicKey, X509Certificate } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { importNotaryTrustDir } from '../../electron/core/keys/notary-import';
import { exportNotaryKeyFile, readNotaryKeyBundle } from '../../electron/core/keys/notary-key-file';
import { writeKeyToTrustDir } from '../../electron/core/keys/notary-trust-dir';
import { passphraseFromEnv } from '../../electron/core/keys/passphrase';
import { generateSoftwareKey, notaryKeyId } from '../../electron/core/keys/software-keys';
import { NotaryClient, PASSPHRASES, notaryAvailable, startNotaryServer, type NotaryServer } from '../support/notary';

const GUN = 'example.com/keyrite/interop';
const AVAILABLE = notaryAvailable();
if (!AVAILABLE) console.warn('notary-keys.spec: skipped, /usr/bin/notary or /usr/bin/notary-server is missing');

describe.skipIf(!AVAILABLE)('Notary key files: interop with the real notary client and notary-server', () => {
  let server: NotaryServer;
  let workDir: string;
  let client: NotaryClient;
  const file = async (name: string, content: string): Promise<string> => {
    const p = path.join(workDir, name);
    await fsp.writeFile(p, content, { mode: 0o600 });
    return p;
  };

  beforeAll(async () => {
    server = await startNotaryServer();
    workDir = await fsp.mkdtemp(path.join(os.tmpdir(), 'keyrite-notary-keys-'));
    client = new NotaryClient(path.join(workDir, 'trust'), server.url);
    await client.run(['init', GUN]);
    await client.run(['publish', GUN]);
  });

  afterAll(async () => {
    await server?.stop();
    if (workDir) await fsp.rm(workDir, { recursive: true, force: true });
  });

  it('imports the keys notary generated (init + key generate) with notary\'s IDs and roles', async () => {
    await client.run(['key', 'generate', 'ecdsa', '--role', 'targets/ops']);
    const theirs = await client.keys();
    const ours = await importNotaryTrustDir(client.trustDir, (role) => passphraseFromEnv(role, PASSPHRASES)?.value ?? null);
    expect(ours.map((k) => ({ role: k.role, id: k.id })).sort((a, b) => a.id.localeCompare(b.id))).toEqual(
      theirs.map((k) => ({ role: k.role, id: k.id })).sort((a, b) => a.id.localeCompare(b.id)),
    );
    expect(new Set(ours.map((k) => k.role))).toEqual(new Set(['root', 'targets', 'snapshot', 'targets/ops']));
    for (const key of ours) {
      expect(key.format).toBe('pkcs8-encrypted');
      expect(key.gun).toBe(key.role === 'targets' || key.role === 'snapshot' ? GUN : null);
    }
  });

  it('reads `notary key export` output (one PEM bundle with role/gun/path headers)', async () => {
    const out = path.join(workDir, 'export.pem');
    await client.run(['key', 'export', '-o', out]);
    const text = await fsp.readFile(out, 'utf8');
    const keys = readNotaryKeyBundle(text, (role) => passphraseFromEnv(role ?? 'delegation', PASSPHRASES)?.value ?? null);
    const theirs = await client.keys();
    expect(keys.map((k) => ({ role: k.role, id: k.id })).sort((a, b) => a.id.localeCompare(b.id))).toEqual(
      theirs.map((k) => ({ role: k.role, id: k.id })).sort((a, b) => a.id.localeCompare(b.id)),
    );
    for (const key of keys) expect(key.pathHeader).toBe(key.id);
  });

  it('a root key exported by Keyrite initialises a repository (`notary init --rootkey`) that notary-server accepts', async () => {
    const gun = `${GUN}-root`;
    const pair = await generateSoftwareKey('ecdsa-p256');
    const exported = exportNotaryKeyFile(pair.privateKey, { role: 'root', passphrase: PASSPHRASES.NOTARY_ROOT_PASSPHRASE });
    await client.run(['init', gun, '--rootkey', await file('root.key', exported)]);
    await client.run(['publish', gun]);

    // A fresh client trusts on first use what the server serves: root.json's root key is ours.
    const reader = new NotaryClient(path.join(workDir, 'reader-root-trust'), server.url);
    expect((await reader.run(['list', gun])).stdout).toMatch(/No targets present/);
    const root = JSON.parse(await fsp.readFile(path.join(reader.trustDir, 'tuf', ...gun.split('/'), 'metadata', 'root.json'), 'utf8')) as {
      signed: { roles: { root: { keyids: string[] } }; keys: Record<string, { keyval: { public: string } }> };
    };
    const [rootKeyId = ''] = root.signed.roles.root.keyids;
    const certPem = Buffer.from(root.signed.keys[rootKeyId]?.keyval.public ?? '', 'base64').toString('utf8');
    const certKey = new X509Certificate(certPem).publicKey.export({ type: 'spki', format: 'der' });
    expect(certKey.equals(createPublicKey(pair.privateKey).export({ type: 'spki', format: 'der' }))).toBe(true);
  });

  it('a delegation key exported by Keyrite is taken by `notary key import` and signs a publish notary-server accepts', async () => {
    const pair = await generateSoftwareKey('ecdsa-p256');
    const id = notaryKeyId(pair.privateKey);
    const exported = exportNotaryKeyFile(pair.privateKey, { role: 'targets/releases', passphrase: PASSPHRASES.NOTARY_DELEGATION_PASSPHRASE });
    await client.run(['key', 'import', await file('releases.key', exported), '--role', 'targets/releases']);
    expect(await client.keys()).toContainEqual({ role: 'targets/releases', id });

    const publicPem = createPublicKey(pair.privateKey).export({ type: 'spki', format: 'pem' }).toString();
    await client.run(['delegation', 'add', GUN, 'targets/releases', await file('releases.pub', publicPem), '--all-paths']);
    await client.run(['publish', GUN]);
    await client.run(['add', GUN, 'v1.0', await file('v1.0', 'release one\n'), '--roles', 'targets/releases']);
    await client.run(['publish', GUN]);

    // A fresh client with no keys reads what the server accepted: the target signed by our key.
    const reader = new NotaryClient(path.join(workDir, 'reader-trust'), server.url);
    expect(await reader.list(GUN)).toContainEqual(expect.objectContaining({ name: 'v1.0', role: 'targets/releases' }));
    expect((await reader.delegations(GUN)).get('targets/releases')).toEqual([id]);
  });

  it('a key Keyrite places in the trust dir layout (private/<id>.key) is used by notary directly', async () => {
    const pair = await generateSoftwareKey('ecdsa-p256');
    const id = notaryKeyId(pair.privateKey);
    const exported = exportNotaryKeyFile(pair.privateKey, { role: 'targets/qa', passphrase: PASSPHRASES.NOTARY_DELEGATION_PASSPHRASE });
    await writeKeyToTrustDir(client.trustDir, id, exported);
    expect(await client.keys()).toContainEqual({ role: 'targets/qa', id });

    const publicPem = createPublicKey(pair.privateKey).export({ type: 'spki', format: 'pem' }).toString();
    await client.run(['delegation', 'add', GUN, 'targets/qa', await file('qa.pub', publicPem), '--all-paths']);
    await client.run(['add', GUN, 'qa-build', await file('qa-build', 'qa\n'), '--roles', 'targets/qa']);
    await client.run(['publish', GUN]);
    const reader = new NotaryClient(path.join(workDir, 'reader2-trust'), server.url);
    expect(await reader.list(GUN)).toContainEqual(expect.objectContaining({ name: 'qa-build', role: 'targets/qa' }));
  });
});

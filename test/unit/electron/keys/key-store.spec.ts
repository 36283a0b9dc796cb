import { promises as fsp } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { KeyFileExistsError, KeyMismatchError, WrongPassphraseError } from '../../../../electron/core/keys/errors';
import { writeFileExclusive } from '../../../../electron/core/keys/exclusive-write';
import { KeyStore } from '../../../../electron/core/keys/key-store';
import { exportNotaryKeyFile, readNotaryKeyFile } from '../../../../electron/core/keys/notary-key-file';
import { dockerTrustDir, writeKeyToTrustDir } from '../../../../electron/core/keys/notary-trust-dir';
import { generateSoftwareKey, notaryKeyId } from '../../../../electron/core/keys/software-keys';

describe('KeyStore and exclusive key writes', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'keyrite-keystore-'));
  });
  afterAll(async () => {
    await fsp.rm(dir, { recursive: true, force: true });
  });

  it('never overwrites an existing file, and leaves no temp files behind', async () => {
    const target = path.join(dir, 'exclusive', 'a.key');
    await writeFileExclusive(target, 'first');
    await expect(writeFileExclusive(target, 'second')).rejects.toBeInstanceOf(KeyFileExistsError);
    expect(await fsp.readFile(target, 'utf8')).toBe('first');
    expect(await fsp.readdir(path.dirname(target))).toEqual(['a.key']);
    expect((await fsp.stat(target)).mode & 0o777).toBe(0o600);
  });

  it('changes a passphrase by writing a verified new file and quarantining (not deleting) the old one', async () => {
    const store = new KeyStore(path.join(dir, 'store'), () => new Date('2026-11-21T12:00:00Z'));
    const pair = await generateSoftwareKey('ecdsa-p256');
    const first = await store.add(pair.privateKey, 'old passphrase 1', { role: 'targets', gun: 'example.com/app' });
    expect(path.basename(first.filePath)).toMatch(new RegExp(`^${notaryKeyId(pair.privateKey)}-[0-9a-f]{16}\\.krkey$`));

    const second = await store.changePassphrase(first.filePath, 'old passphrase 1', 'new passphrase 2');
    expect(second.filePath).not.toBe(first.filePath);
    expect(second.envelope.key).toMatchObject({ id: notaryKeyId(pair.privateKey), role: 'targets', gun: 'example.com/app' });
    const listed = await store.list();
    expect(listed.map((e) => e.filePath)).toEqual([second.filePath]);
    await expect(store.load(second.filePath, 'old passphrase 1')).rejects.toBeInstanceOf(WrongPassphraseError);

    // The old file survives in quarantine and still opens with the old passphrase.
    const quarantined = path.join(dir, 'store', 'quarantine', `${path.basename(first.filePath)}.2026-11-21T12-00-00-000Z`);
    expect((await store.load(quarantined, 'old passphrase 1')).identity.id).toBe(notaryKeyId(pair.privateKey));
  });

  it('removes a key only when a verified copy of the same key exists, and then only to quarantine', async () => {
    const store = new KeyStore(path.join(dir, 'store2'));
    const pair = await generateSoftwareKey('ed25519');
    const other = await generateSoftwareKey('ed25519');
    const stored = await store.add(pair.privateKey, 'passphrase 123');

    const wrongCopy = path.join(dir, 'wrong-copy.key');
    await fsp.writeFile(wrongCopy, exportNotaryKeyFile(other.privateKey, { role: 'root', passphrase: 'backup pass' }));
    await expect(store.remove(stored.filePath, 'passphrase 123', { filePath: wrongCopy, passphrase: 'backup pass', format: 'notary' })).rejects.toBeInstanceOf(KeyMismatchError);
    await fsp.access(stored.filePath);

    const backup = path.join(dir, 'backup.key');
    await fsp.writeFile(backup, exportNotaryKeyFile(pair.privateKey, { role: 'root', passphrase: 'backup pass' }));
    const moved = await store.remove(stored.filePath, 'passphrase 123', { filePath: backup, passphrase: 'backup pass', format: 'notary' });
    await expect(fsp.access(stored.filePath)).rejects.toThrow();
    expect(moved.startsWith(path.join(dir, 'store2', 'quarantine'))).toBe(true);
    await fsp.access(moved);
  });

  it('places exported keys in the Docker trust layout (private/<id>.key, 0700/0600) without replacing existing ones', async () => {
    const trustDir = dockerTrustDir({ DOCKER_CONFIG: path.join(dir, 'docker') });
    expect(trustDir).toBe(path.join(dir, 'docker', 'trust'));
    expect(dockerTrustDir({}, '/home/u')).toBe('/home/u/.docker/trust');
    const pair = await generateSoftwareKey('ecdsa-p256');
    const id = notaryKeyId(pair.privateKey);
    const pem = exportNotaryKeyFile(pair.privateKey, { role: 'targets/releases', passphrase: 'delegation pass' });
    const written = await writeKeyToTrustDir(trustDir, id, pem);
    expect(written).toBe(path.join(trustDir, 'private', `${id}.key`));
    expect((await fsp.stat(path.dirname(written))).mode & 0o777).toBe(0o700);
    expect((await fsp.stat(written)).mode & 0o777).toBe(0o600);
    await expect(writeKeyToTrustDir(trustDir, id, pem)).rejects.toBeInstanceOf(KeyFileExistsError);
    expect(readNotaryKeyFile(await fsp.readFile(written, 'utf8'), 'delegation pass').id).toBe(id);
  });
});

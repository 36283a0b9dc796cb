import { createHash } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { Updater } from 'tuf-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { readBundleFile } from '../../../electron/core/bundles';
import { publishTufDir } from '../../../electron/core/publish';
import { serveDir, type TestServer } from '../../support/serve-dir';
import { keyrite, signedBundle } from './support/cli';
import { signedRoot, signedTargets, tufKey, type RootSpec } from './support/tuf-metadata';

describe('keyrite pull --tuf / publish --tuf-dir', () => {
  let work: string;
  let spec: RootSpec;
  let v1Root: Uint8Array;
  let server: TestServer;
  const repoDir = () => path.join(work, 'repo');

  beforeAll(async () => {
    work = await fsp.mkdtemp(path.join(os.tmpdir(), 'keyrite-cli-tuf-'));
    const root = await tufKey();
    spec = { version: 1, root: [root], targets: await tufKey(), snapshot: await tufKey(), timestamp: await tufKey('ecdsa-p256') };
    v1Root = signedRoot(spec, [root]);
    await fsp.writeFile(path.join(work, 'snapshot.pem'), spec.snapshot.privateKey.export({ type: 'pkcs8', format: 'pem' }));
    await fsp.writeFile(path.join(work, 'timestamp.pem'), spec.timestamp.privateKey.export({ type: 'pkcs8', format: 'pem' }));
    await fsp.writeFile(path.join(work, 'app-2.tgz'), 'two\n');
    server = await serveDir(repoDir());
  });

  afterAll(async () => {
    await server?.close();
    if (work) await fsp.rm(work, { recursive: true, force: true });
  });

  it('pull of an empty directory writes a request bundle for a new repository', async () => {
    const run = await keyrite(['pull', '--tuf', 'repo', '--out', 'new.bundle'], work);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/new repository \(nothing published yet\)/);
    const bundle = await readBundleFile(path.join(work, 'new.bundle'));
    expect(bundle.manifest.kind).toBe('request');
    expect(bundle.content.state).toMatchObject({ dialect: 'tuf-1.0', files: {}, rootHistory: [], source: { kind: 'tuf-dir', path: repoDir() } });
  });

  it('a directory holding only the lock a killed first publish left is still a new repository', async () => {
    await fsp.mkdir(path.join(work, 'killed'));
    await fsp.writeFile(path.join(work, 'killed', '.keyrite-publish.lock'), '{"pid":1}');
    const run = await keyrite(['pull', '--tuf', 'killed', '--out', 'killed.bundle'], work);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/new repository \(nothing published yet\)/);
  });

  it('publish of a signed bundle writes the repository with the --online-key files; tuf-js reads it', async () => {
    await signedBundle(path.join(work, 'signed-1.bundle'), 'tuf-1.0', 'repo', { root: v1Root, targets: signedTargets(1, { 'app.tgz': 'one\n' }, spec.targets) });
    const run = await keyrite(['publish', 'signed-1.bundle', '--tuf-dir', 'repo', '--online-key', 'snapshot.pem', '--online-key', 'timestamp.pem'], work);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/written {4}1\.root\.json, root\.json, 1\.targets\.json, 1\.snapshot\.json, timestamp\.json/);
    const cache = path.join(work, 'client');
    await fsp.mkdir(cache);
    await fsp.writeFile(path.join(cache, 'root.json'), v1Root);
    const client = new Updater({ metadataBaseUrl: server.url, metadataDir: cache, targetDir: path.join(cache, 't') });
    await client.refresh();
    expect(await client.getTargetInfo('app.tgz')).toBeDefined();
  });

  it('pull of the published directory carries the root history and the target changes to sign', async () => {
    const run = await keyrite(['pull', '--tuf', 'repo', '--out', 'req.bundle', '--add-target', 'app-2.tgz=app-2.tgz', '--remove-target', 'app.tgz'], work);
    expect(run.code).toBe(0);
    const state = (await readBundleFile(path.join(work, 'req.bundle'))).content.state;
    expect(state?.rootHistory).toEqual([Buffer.from(v1Root).toString('base64')]);
    expect(state?.targetChanges).toEqual([
      { role: 'targets', action: 'add', path: 'app-2.tgz', length: 4, hashes: { sha256: createHash('sha256').update('two\n').digest('hex') } },
      { role: 'targets', action: 'remove', path: 'app.tgz' },
    ]);
  });

  it('a refusal by the repository rules is exit 1 with the reason, and nothing is written', async () => {
    await signedBundle(path.join(work, 'conflict.bundle'), 'tuf-1.0', 'repo', { targets: signedTargets(1, { 'evil.tgz': 'x\n' }, spec.targets) });
    const before = await fsp.readdir(repoDir());
    const run = await keyrite(['publish', 'conflict.bundle', '--tuf-dir', 'repo', '--online-key', 'snapshot.pem', '--online-key', 'timestamp.pem'], work);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^keyrite: publish refused: .*1\.targets\.json already exists with different content; a published version is never overwritten/);
    expect(await fsp.readdir(repoDir())).toEqual(before);
  });

  it('takes an encrypted PKCS#8 key as --online-key, with its passphrase from the environment', async () => {
    // (A Keyrite key file goes through the same branch; its scrypt would cost seconds here.)
    const pem = spec.timestamp.privateKey.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'online passphrase 1' });
    await fsp.writeFile(path.join(work, 'timestamp-enc.pem'), pem);
    await signedBundle(path.join(work, 'signed-2.bundle'), 'tuf-1.0', 'repo', { targets: signedTargets(2, { 'app.tgz': 'one\n', 'app-2.tgz': 'two\n' }, spec.targets) });
    const args = ['publish', 'signed-2.bundle', '--tuf-dir', 'repo', '--online-key', 'snapshot.pem', '--online-key', 'timestamp-enc.pem'];
    const noPassphrase = await keyrite(args, work);
    expect(noPassphrase.code).toBe(2);
    expect(noPassphrase.stderr).toMatch(/the passphrase of online key timestamp-enc\.pem is needed and there is no terminal to ask on: give --passphrase-file FILE or set KEYRITE_ONLINE_KEY_PASSPHRASE/);
    const run = await keyrite(args, work, { KEYRITE_ONLINE_KEY_PASSPHRASE: 'online passphrase 1' });
    expect(run.stderr).toBe('');
    expect(run.stdout).toMatch(/written {4}2\.targets\.json, 2\.snapshot\.json, timestamp\.json/);
  });

  it('refuses network sources and a Notary server in air-gapped mode unless --online is given', async () => {
    const pull = await keyrite(['pull', '--tuf', server.url, '--out', 'x.bundle'], work);
    expect(pull.code).toBe(2);
    expect(pull.stderr).toMatch(/air-gapped mode \(the default\): refusing to contact http:\/\/127\.0\.0\.1:\d+; add --online/);
    const publish = await keyrite(['publish', 'signed-1.bundle', '--server', 'http://127.0.0.1:9'], work);
    expect(publish.code).toBe(2);
    expect(publish.stderr).toMatch(/air-gapped mode \(the default\): refusing to contact http:\/\/127\.0\.0\.1:9; add --online/);
    const online = await keyrite(['pull', '--online', '--tuf', server.url, '--out', 'url.bundle'], work);
    expect(online.code).toBe(0);
    expect((await readBundleFile(path.join(work, 'url.bundle'))).content.state?.source).toEqual({ kind: 'tuf-url', url: server.url });
  });

  it('publish refuses a request bundle and a bundle of the other dialect', async () => {
    const request = await keyrite(['publish', 'req.bundle', '--tuf-dir', 'repo'], work);
    expect(request.code).toBe(2);
    expect(request.stderr).toMatch(/is a request bundle; only a signed bundle/);
    const wrong = await keyrite(['publish', 'signed-1.bundle', '--online', '--server', 'http://127.0.0.1:9'], work);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toMatch(/the bundle is tuf-1\.0 metadata; publish it with --tuf-dir/);
    // Same files, same dir, already there: the core reports them unchanged (idempotent re-run).
    const again = await publishTufDir({ root: v1Root }, repoDir());
    expect(again.unchanged).toEqual(['1.root.json']);
  });
});

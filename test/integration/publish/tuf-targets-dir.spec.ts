/**
 * `keyrite publish BUNDLE --tuf-dir DIR --targets-dir SRC`: the target files the targets metadata
 * (and delegations) list are copied into DIR/targets/ under their consistent-snapshot names
 * (HASH.NAME per listed hash; the plain name only when the root says consistent_snapshot false),
 * verified first; a missing, mismatching or conflicting target is refused with nothing written.
 * The real tuf-js client then downloads the targets from the published directory over 127.0.0.1.
 */
import { createHash } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { Updater } from 'tuf-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { publishTufDir, TargetFileError } from '../../../electron/core/publish';
import { tufExpires } from '../../../electron/core/publish/online-roles';
import type { JsonObject } from '../../../shared/tuf/model';
import { serveDir, type TestServer } from '../../support/serve-dir';
import { keyrite, signedBundle } from './support/cli';
import { signedRoot, signWith, tufKey, type RootSpec, type TufKey } from './support/tuf-metadata';

const hex = (algorithm: string, content: string): string => createHash(algorithm).update(content).digest('hex');

/** targets metadata whose entries carry sha256 AND sha512 (the consistent names differ per hash). */
function targetsWith(version: number, files: Record<string, string>, key: TufKey, extra: JsonObject = {}): Uint8Array {
  const targets: JsonObject = {};
  for (const [name, content] of Object.entries(files)) targets[name] = { length: Buffer.byteLength(content), hashes: { sha256: hex('sha256', content), sha512: hex('sha512', content) } };
  return signWith('targets', { _type: 'targets', spec_version: '1.0.31', version, expires: tufExpires(new Date(), 365), targets, ...extra }, [key]);
}

async function tree(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  const walk = async (d: string): Promise<void> => {
    for (const entry of await fsp.readdir(d, { withFileTypes: true }).catch(() => [])) {
      const full = path.join(d, entry.name);
      if (entry.isDirectory()) await walk(full);
      else out[path.relative(dir, full)] = hex('sha256', (await fsp.readFile(full)).toString('latin1'));
    }
  };
  await walk(dir);
  return out;
}

const APP = 'app one\n';
const LIB = 'library bytes\n';

describe('keyrite publish --targets-dir', () => {
  let work: string;
  let spec: RootSpec;
  let server: TestServer;
  let flatServer: TestServer;
  const online = ['--online-key', 'snapshot.pem', '--online-key', 'timestamp.pem'];

  beforeAll(async () => {
    work = await fsp.mkdtemp(path.join(os.tmpdir(), 'keyrite-targets-dir-'));
    const root = await tufKey();
    spec = { version: 1, root: [root], targets: await tufKey(), snapshot: await tufKey(), timestamp: await tufKey() };
    await fsp.writeFile(path.join(work, 'snapshot.pem'), spec.snapshot.privateKey.export({ type: 'pkcs8', format: 'pem' }));
    await fsp.writeFile(path.join(work, 'timestamp.pem'), spec.timestamp.privateKey.export({ type: 'pkcs8', format: 'pem' }));
    await fsp.mkdir(path.join(work, 'src/nested/dir'), { recursive: true });
    await fsp.writeFile(path.join(work, 'src/app.tgz'), APP);
    await fsp.writeFile(path.join(work, 'src/nested/dir/lib.so'), LIB);
    await signedBundle(path.join(work, 'v1.bundle'), 'tuf-1.0', 'repo', { root: signedRoot(spec, [root]), targets: targetsWith(1, { 'app.tgz': APP, 'nested/dir/lib.so': LIB }, spec.targets) });
    await signedBundle(path.join(work, 'flat.bundle'), 'tuf-1.0', 'flat', {
      root: signedRoot({ ...spec, consistentSnapshot: false }, [root]),
      targets: targetsWith(1, { 'app.tgz': APP, 'nested/dir/lib.so': LIB }, spec.targets),
    });
    server = await serveDir(path.join(work, 'repo'));
    flatServer = await serveDir(path.join(work, 'flat'));
  });

  afterAll(async () => {
    await server?.close();
    await flatServer?.close();
    if (work) await fsp.rm(work, { recursive: true, force: true });
  });

  async function download(url: string, repo: string, names: string[]): Promise<Record<string, string>> {
    const cache = await fsp.mkdtemp(path.join(work, 'client-'));
    await fsp.copyFile(path.join(work, repo, '1.root.json'), path.join(cache, 'root.json'));
    await fsp.mkdir(path.join(cache, 't'));
    const client = new Updater({ metadataBaseUrl: url, metadataDir: cache, targetDir: path.join(cache, 't'), targetBaseUrl: `${url}/targets`, config: { fetchRetries: 0, fetchTimeout: 5000 } });
    await client.refresh();
    const out: Record<string, string> = {};
    for (const name of names) {
      const info = await client.getTargetInfo(name);
      if (!info) throw new Error(`tuf-js does not know ${name}`);
      const file = await client.downloadTarget(info, path.join(cache, 't', name.replaceAll('/', '_')));
      out[name] = await fsp.readFile(file, 'utf8');
    }
    return out;
  }

  it('copies every listed target as HASH.NAME per hash (no plain name), and tuf-js downloads them over 127.0.0.1', async () => {
    const run = await keyrite(['publish', 'v1.bundle', '--tuf-dir', 'repo', '--targets-dir', 'src', ...online], work);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const files = Object.keys(await tree(path.join(work, 'repo/targets'))).sort();
    expect(files).toEqual(
      [`${hex('sha256', APP)}.app.tgz`, `${hex('sha512', APP)}.app.tgz`, `nested/dir/${hex('sha256', LIB)}.lib.so`, `nested/dir/${hex('sha512', LIB)}.lib.so`].sort(),
    );
    expect(run.stdout).toContain(`targets    ${hex('sha256', APP)}.app.tgz`);
    expect(await download(server.url, 'repo', ['app.tgz', 'nested/dir/lib.so'])).toEqual({ 'app.tgz': APP, 'nested/dir/lib.so': LIB });
    expect(server.requests).toContain(`/targets/nested/dir/${hex('sha256', LIB)}.lib.so`);
    // Published target files are world-readable (served), like the metadata.
    expect((await fsp.stat(path.join(work, 'repo/targets', `${hex('sha256', APP)}.app.tgz`))).mode & 0o777).toBe(0o644);
  });

  it('a re-run finds them published; a later version needs only its new files in SRC', async () => {
    const again = await keyrite(['publish', 'v1.bundle', '--tuf-dir', 'repo', '--targets-dir', 'src', ...online], work);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain('targets    (nothing new)');
    await fsp.mkdir(path.join(work, 'src2'));
    await fsp.writeFile(path.join(work, 'src2/app-2.tgz'), 'two\n');
    await signedBundle(path.join(work, 'v2.bundle'), 'tuf-1.0', 'repo', { targets: targetsWith(2, { 'app.tgz': APP, 'nested/dir/lib.so': LIB, 'app-2.tgz': 'two\n' }, spec.targets) });
    const run = await keyrite(['publish', 'v2.bundle', '--tuf-dir', 'repo', '--targets-dir', 'src2', ...online], work);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(await download(server.url, 'repo', ['app-2.tgz', 'app.tgz'])).toEqual({ 'app-2.tgz': 'two\n', 'app.tgz': APP });
  });

  it('refuses a missing target, a wrong length and a wrong hash precisely, writing nothing (no metadata either)', async () => {
    const before = await tree(path.join(work, 'repo'));
    await signedBundle(path.join(work, 'v3.bundle'), 'tuf-1.0', 'repo', { targets: targetsWith(3, { 'app.tgz': APP, 'nested/dir/lib.so': LIB, 'app-2.tgz': 'two\n', 'app-3.tgz': 'three\n' }, spec.targets) });
    await fsp.mkdir(path.join(work, 'src3'));
    const args = ['publish', 'v3.bundle', '--tuf-dir', 'repo', '--targets-dir', 'src3', ...online];

    const missing = await keyrite(args, work);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe(`keyrite: publish refused: target "app-3.tgz" is listed in the metadata but ${path.join(work, 'src3/app-3.tgz')} does not exist (and it is not published yet); nothing was written\n`);

    await fsp.writeFile(path.join(work, 'src3/app-3.tgz'), 'three, longer\n');
    const length = await keyrite(args, work);
    expect(length.code).toBe(1);
    expect(length.stderr).toContain(`target "app-3.tgz": ${path.join(work, 'src3/app-3.tgz')} has length 14, the signed metadata says 6; nothing was written`);

    await fsp.writeFile(path.join(work, 'src3/app-3.tgz'), 'THREE\n');
    const hash = await keyrite(args, work);
    expect(hash.code).toBe(1);
    expect(hash.stderr).toContain(`has sha256 ${hex('sha256', 'THREE\n')}, the signed metadata says ${hex('sha256', 'three\n')}; nothing was written`);

    expect(await tree(path.join(work, 'repo'))).toEqual(before);
  });

  it('never overwrites a published target file that differs; nothing is written', async () => {
    const published = path.join(work, 'repo/targets', `${hex('sha512', APP)}.app.tgz`);
    await fsp.writeFile(published, 'tampered');
    const before = await tree(path.join(work, 'repo'));
    await fsp.writeFile(path.join(work, 'src3/app-3.tgz'), 'three\n');
    const run = await keyrite(['publish', 'v3.bundle', '--tuf-dir', 'repo', '--targets-dir', 'src3', ...online], work);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(`keyrite: publish refused: ${published} (target "app.tgz") already exists with different content and is never overwritten; nothing was written\n`);
    expect(await tree(path.join(work, 'repo'))).toEqual(before);
    await fsp.writeFile(published, APP);
  });

  it('writes plain names only when the root says consistent_snapshot false; tuf-js downloads them', async () => {
    const run = await keyrite(['publish', 'flat.bundle', '--tuf-dir', 'flat', '--targets-dir', 'src', ...online], work);
    expect(run.code, run.stderr).toBe(0);
    expect(Object.keys(await tree(path.join(work, 'flat/targets'))).sort()).toEqual(['app.tgz', 'nested/dir/lib.so']);
    expect(await download(flatServer.url, 'flat', ['nested/dir/lib.so'])).toEqual({ 'nested/dir/lib.so': LIB });
  });

  it('refuses target paths that could escape the directory, before writing anything', async () => {
    const root = spec.root[0] as TufKey;
    for (const evil of ['../escape.txt', '/etc/x', 'a\\b', 'C:/x', 'a//b', 'a/./b']) {
      const dir = await fsp.mkdtemp(path.join(work, 'evil-'));
      const files = { root: signedRoot(spec, [root]), targets: targetsWith(1, { [evil]: 'x' }, spec.targets) };
      const error = await publishTufDir(files, dir, { onlineKeys: [spec.snapshot.privateKey, spec.timestamp.privateKey], targets: { sourceDir: path.join(work, 'src') } }).catch((e: unknown) => e);
      expect(error, evil).toBeInstanceOf(TargetFileError);
      expect((error as Error).message).toContain(`refusing target path ${JSON.stringify(evil)} as a file name`);
      expect(await fsp.readdir(dir)).toEqual([]);
    }
    await expect(fsp.stat(path.join(work, 'escape.txt'))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('copies the targets a delegation lists too; tuf-js downloads one through the delegation', async () => {
    const alice = await tufKey();
    const root = spec.root[0] as TufKey;
    const delegations = { keys: { [alice.keyid]: alice.object }, roles: [{ name: 'alice', keyids: [alice.keyid], threshold: 1, paths: ['alice/*'], terminating: true }] };
    const aliceSigned = { _type: 'targets', spec_version: '1.0.31', version: 1, expires: tufExpires(new Date(), 365), targets: { 'alice/tool.bin': { length: 5, hashes: { sha256: hex('sha256', 'tool\n') } } } };
    await fsp.mkdir(path.join(work, 'src/alice'), { recursive: true });
    await fsp.writeFile(path.join(work, 'src/alice/tool.bin'), 'tool\n');
    const files = { root: signedRoot(spec, [root]), targets: targetsWith(1, { 'app.tgz': APP }, spec.targets, { delegations }), alice: signWith('alice', aliceSigned, [alice]) };
    const result = await publishTufDir(files, path.join(work, 'deleg'), { onlineKeys: [spec.snapshot.privateKey, spec.timestamp.privateKey], targets: { sourceDir: path.join(work, 'src') } });
    expect(result.targetFiles?.written.sort()).toEqual([`${hex('sha256', APP)}.app.tgz`, `${hex('sha512', APP)}.app.tgz`, `alice/${hex('sha256', 'tool\n')}.tool.bin`].sort());
    const deleg = await serveDir(path.join(work, 'deleg'));
    try {
      expect(await download(deleg.url, 'deleg', ['alice/tool.bin'])).toEqual({ 'alice/tool.bin': 'tool\n' });
    } finally {
      await deleg.close();
    }
  });

  it('--targets-dir needs --tuf-dir', async () => {
    const run = await keyrite(['publish', 'v1.bundle', '--online', '--server', 'http://127.0.0.1:9', '--targets-dir', 'src'], work);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--targets-dir goes with --tuf-dir');
  });
});

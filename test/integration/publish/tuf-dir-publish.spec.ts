import { promises as fsp } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { Updater } from 'tuf-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { PolicyHttpGetter } from '../../../electron/core/net/http-fetch';
import { createNetworkPolicy, NetworkRefusedError } from '../../../electron/core/net/network-policy';
import { OnlineKeyMissingError, publishTufDir, TufChainError, VersionedFileConflictError } from '../../../electron/core/publish';
import { pullTuf, repoStateFiles, repoStateRootHistory } from '../../../electron/core/remote';
import { serveDir, type TestServer } from '../../support/serve-dir';
import { tufExpires } from '../../../electron/core/publish/online-roles';
import { signedRoot, signedTargets, signWith, tufKey, type RootSpec, type TufKey } from './support/tuf-metadata';

const http = new PolicyHttpGetter(createNetworkPolicy('online'));

async function listing(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const name of (await fsp.readdir(dir)).sort()) out[name] = (await fsp.readFile(path.join(dir, name))).toString('base64');
  return out;
}

/** A tuf-js client whose trust starts from `trustedRoot` (or keeps its cache in `cacheDir`). */
async function tufClient(server: TestServer, cacheDir: string, trustedRoot?: Uint8Array): Promise<Updater> {
  await fsp.mkdir(cacheDir, { recursive: true });
  if (trustedRoot) await fsp.writeFile(path.join(cacheDir, 'root.json'), trustedRoot);
  return new Updater({ metadataBaseUrl: server.url, metadataDir: cacheDir, targetDir: path.join(cacheDir, 'targets') });
}

describe('publishing into a TUF repository directory', () => {
  let work: string;
  let repoDir: string;
  let server: TestServer;
  let root1: TufKey;
  let root2: TufKey;
  let spec: RootSpec;
  let v1Root: Uint8Array;

  beforeAll(async () => {
    work = await fsp.mkdtemp(path.join(os.tmpdir(), 'keyrite-tuf-publish-'));
    repoDir = path.join(work, 'repo', 'metadata');
    server = await serveDir(repoDir);
    [root1, root2] = [await tufKey(), await tufKey('ecdsa-p256')];
    spec = { version: 1, root: [root1], targets: await tufKey(), snapshot: await tufKey(), timestamp: await tufKey('ecdsa-p256') };
    v1Root = signedRoot(spec, [root1]);
  });

  afterAll(async () => {
    await server?.close();
    if (work) await fsp.rm(work, { recursive: true, force: true });
  });

  it('writes a new repository with consistent snapshots, signing snapshot and timestamp with the online keys; tuf-js trusts it', async () => {
    const targets = signedTargets(1, { 'app.txt': 'version one\n' }, spec.targets);
    const result = await publishTufDir({ root: v1Root, targets }, repoDir, { onlineKeys: [spec.snapshot.privateKey, spec.timestamp.privateKey] });
    expect(result.written).toEqual(['1.root.json', 'root.json', '1.targets.json', '1.snapshot.json', 'timestamp.json']);
    expect(result).toMatchObject({ snapshotVersion: 1, timestampVersion: 1, warnings: [] });
    expect(Object.keys(await listing(repoDir))).toEqual(['1.root.json', '1.snapshot.json', '1.targets.json', 'root.json', 'timestamp.json']);
    expect((await fsp.readFile(path.join(repoDir, '1.targets.json'))).equals(Buffer.from(targets))).toBe(true);
    expect((await fsp.stat(path.join(repoDir, 'timestamp.json'))).mode & 0o777).toBe(0o644);

    const client = await tufClient(server, path.join(work, 'client-a'), v1Root);
    await client.refresh();
    expect(await client.getTargetInfo('app.txt')).toMatchObject({ path: 'app.txt', length: 12 });
  });

  it('publishes a root rotation and a new targets; a client with the old cache and a fresh one both update', async () => {
    const v2 = { ...spec, version: 2, root: [root2] };
    const v2Root = signedRoot(v2, [root1, root2]);
    const targets = signedTargets(2, { 'app.txt': 'version one\n', 'app-2.txt': 'version two\n' }, spec.targets);
    const result = await publishTufDir({ root: v2Root, targets }, repoDir, { onlineKeys: [spec.snapshot.privateKey, spec.timestamp.privateKey] });
    expect(result.written).toEqual(['2.root.json', 'root.json', '2.targets.json', '2.snapshot.json', 'timestamp.json']);
    expect(result.snapshotVersion).toBe(2);

    const cached = await tufClient(server, path.join(work, 'client-a'));
    await cached.refresh();
    expect(await cached.getTargetInfo('app-2.txt')).toMatchObject({ length: 12 });
    const trusted = JSON.parse(await fsp.readFile(path.join(work, 'client-a', 'root.json'), 'utf8')) as { signed: { version: number } };
    expect(trusted.signed.version).toBe(2);

    const fresh = await tufClient(server, path.join(work, 'client-b'), v1Root);
    await fresh.refresh();
    expect(await fresh.getTargetInfo('app-2.txt')).toBeDefined();

    // The pull side reads the same repository back: every N.root.json from 1, exact bytes.
    const fromDir = await pullTuf(path.join(work, 'repo'), { http });
    const fromUrl = await pullTuf(server.url, { http });
    for (const state of [fromDir, fromUrl]) {
      expect(state.dialect).toBe('tuf-1.0');
      expect(repoStateRootHistory(state).map((b) => Buffer.from(b).toString('base64'))).toEqual([Buffer.from(v1Root).toString('base64'), Buffer.from(v2Root).toString('base64')]);
      expect(Buffer.from(repoStateFiles(state).get('targets') as Uint8Array).equals(Buffer.from(targets))).toBe(true);
      expect(state.serverKeys).toEqual({});
    }
    expect(fromDir.source).toEqual({ kind: 'tuf-dir', path: path.join(work, 'repo') });
    expect(fromUrl.source).toEqual({ kind: 'tuf-url', url: server.url });
  });

  it('never overwrites a published version with other bytes, and writes nothing on refusal', async () => {
    const before = await listing(repoDir);
    const other = signedTargets(2, { 'evil.txt': 'swapped\n' }, spec.targets);
    await expect(publishTufDir({ targets: other }, repoDir, { onlineKeys: [spec.snapshot.privateKey, spec.timestamp.privateKey] })).rejects.toBeInstanceOf(
      VersionedFileConflictError,
    );
    const older = signedTargets(1, { 'app.txt': 'version one\n' }, spec.targets);
    await expect(publishTufDir({ targets: older }, repoDir, { onlineKeys: [spec.snapshot.privateKey, spec.timestamp.privateKey] })).rejects.toThrow(
      /targets version 1 is older than the published version 2 \(rollback\)/,
    );
    const gap = signedRoot({ ...spec, version: 4, root: [root2] }, [root2]);
    await expect(publishTufDir({ root: gap }, repoDir)).rejects.toThrow(TufChainError);
    const next = signedTargets(3, { 'app.txt': 'version one\n' }, spec.targets);
    const missing = await publishTufDir({ targets: next }, repoDir, { onlineKeys: [spec.snapshot.privateKey] }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(missing).toBeInstanceOf(OnlineKeyMissingError);
    expect((missing as Error).message).toMatch(/^timestamp is an online role: it needs 1 signature\(s\) .* but 0 matching key file\(s\) were given; pass the timestamp key with --online-key FILE/);
    expect(await listing(repoDir)).toEqual(before);
  });

  it('re-running the same publish is idempotent for versioned files and only advances snapshot/timestamp', async () => {
    const targets3 = signedTargets(3, { 'app.txt': 'version one\n', 'app-3.txt': 'three\n' }, spec.targets);
    const first = await publishTufDir({ targets: targets3 }, repoDir, { onlineKeys: [spec.snapshot.privateKey, spec.timestamp.privateKey] });
    expect(first.written).toEqual(['3.targets.json', '3.snapshot.json', 'timestamp.json']);
    const again = await publishTufDir({ targets: targets3 }, repoDir, { onlineKeys: [spec.snapshot.privateKey, spec.timestamp.privateKey] });
    expect(again.unchanged).toEqual(['3.targets.json']);
    expect(again.written).toEqual(['4.snapshot.json', 'timestamp.json']);
    const client = await tufClient(server, path.join(work, 'client-a'));
    await client.refresh();
    expect(await client.getTargetInfo('app-3.txt')).toBeDefined();
  });

  it('verifies every file at its threshold before writing: under-signed root, targets or delegation and expired files are refused', async () => {
    const before = await listing(repoDir);
    const online = { onlineKeys: [spec.snapshot.privateKey, spec.timestamp.privateKey] };
    const stranger = await tufKey();
    // Root v3 signed only by its own new key: the v2 root key never agreed (security.md §2 rule 1).
    const root3 = await tufKey();
    await expect(publishTufDir({ root: signedRoot({ ...spec, version: 3, root: [root3] }, [root3]) }, repoDir, online)).rejects.toThrow(
      /^root carries 0 valid signature\(s\) of the 1 that root v2 requires; an under-signed file is never published/,
    );
    await expect(publishTufDir({ targets: signedTargets(5, { 'x.txt': 'x' }, stranger) }, repoDir, online)).rejects.toThrow(
      /^targets carries 0 valid signature\(s\) of the 1 that root requires/,
    );
    const expired = signWith('targets', { _type: 'targets', spec_version: '1.0.31', version: 5, expires: '2020-01-01T00:00:00Z', targets: {} }, [spec.targets]);
    await expect(publishTufDir({ targets: expired }, repoDir, online)).rejects.toThrow(/^targets version 5 expired at 2020-01-01T00:00:00Z; refresh it in a ceremony/);
    expect(await listing(repoDir)).toEqual(before);

    // A delegation is checked against the role that delegates it, new or already published.
    const alice = await tufKey();
    const delegating = signWith(
      'targets',
      {
        _type: 'targets',
        spec_version: '1.0.31',
        version: 5,
        expires: tufExpires(new Date(), 30),
        targets: {},
        delegations: { keys: { [alice.keyid]: alice.object }, roles: [{ name: 'alice', keyids: [alice.keyid], threshold: 1, paths: ['alice/*'], terminating: true }] },
      },
      [spec.targets],
    );
    const aliceTargets = (signer: TufKey, version: number) =>
      signWith('alice', { _type: 'targets', spec_version: '1.0.31', version, expires: tufExpires(new Date(), 30), targets: { 'alice/tool': { length: 1, hashes: { sha256: 'ab'.repeat(32) } } } }, [signer]);
    await expect(publishTufDir({ targets: delegating, alice: aliceTargets(stranger, 1) }, repoDir, online)).rejects.toThrow(
      /^alice carries 0 valid signature\(s\) of the 1 that targets requires/,
    );
    const ok = await publishTufDir({ targets: delegating, alice: aliceTargets(alice, 1) }, repoDir, online);
    expect(ok.written).toEqual(['5.targets.json', '1.alice.json', '5.snapshot.json', 'timestamp.json']);
    // Alice alone later: verified against the published 5.targets.json.
    await expect(publishTufDir({ alice: aliceTargets(stranger, 2) }, repoDir, online)).rejects.toThrow(/^alice carries 0 valid signature/);
    const alone = await publishTufDir({ alice: aliceTargets(alice, 2) }, repoDir, online);
    expect(alone.written).toEqual(['2.alice.json', '6.snapshot.json', 'timestamp.json']);
    const client = await tufClient(server, path.join(work, 'client-a'));
    await client.refresh();
    expect(await client.getTargetInfo('alice/tool')).toMatchObject({ length: 1 });
  });

  it('a root-only rotation that keeps the online keys needs no online key and leaves snapshot/timestamp alone', async () => {
    const dir = path.join(work, 'root-only');
    const online = { onlineKeys: [spec.snapshot.privateKey, spec.timestamp.privateKey] };
    await publishTufDir({ root: v1Root, targets: signedTargets(1, {}, spec.targets) }, dir, online);
    const v2Root = signedRoot({ ...spec, version: 2, root: [root2] }, [root1, root2]);
    const result = await publishTufDir({ root: v2Root }, dir);
    expect(result.written).toEqual(['2.root.json', 'root.json']);
    expect(result.warnings).toEqual(['snapshot and timestamp were not re-signed (no online keys given and none in the bundle)']);
    // Rotating the timestamp key, though, needs the (new) timestamp key: old online files no longer verify.
    const newTimestamp = await tufKey();
    const v3Root = signedRoot({ ...spec, version: 3, root: [root2], timestamp: newTimestamp }, [root2]);
    await expect(publishTufDir({ root: v3Root }, dir)).rejects.toBeInstanceOf(OnlineKeyMissingError);
    const rotated = await publishTufDir({ root: v3Root }, dir, { onlineKeys: [spec.snapshot.privateKey, newTimestamp.privateKey] });
    expect(rotated.written).toEqual(['3.root.json', 'root.json', '2.snapshot.json', 'timestamp.json']);
  });

  it('without consistent snapshots, unprefixed copies are written too (what such clients fetch)', async () => {
    const dir = path.join(work, 'flat');
    const flat = { ...spec, consistentSnapshot: false };
    const result = await publishTufDir({ root: signedRoot(flat, [root1]), targets: signedTargets(1, {}, spec.targets) }, dir, {
      onlineKeys: [spec.snapshot.privateKey, spec.timestamp.privateKey],
    });
    expect(result.written).toEqual(['1.root.json', 'root.json', '1.targets.json', 'targets.json', '1.snapshot.json', 'snapshot.json', 'timestamp.json']);
    expect(result.warnings).toEqual(['root has consistent_snapshot false: unprefixed copies are written too (clients read those)']);
  });

  it('pulls an absent directory as a new repository, and refuses a URL in air-gapped mode', async () => {
    const state = await pullTuf(path.join(work, 'not-yet'), { http });
    expect(state).toMatchObject({ dialect: 'tuf-1.0', files: {}, rootHistory: [], serverKeys: {} });
    await expect(pullTuf(server.url, { http: new PolicyHttpGetter(createNetworkPolicy('offline')) })).rejects.toBeInstanceOf(NetworkRefusedError);
  });
});

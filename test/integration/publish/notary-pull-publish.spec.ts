import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { PolicyHttpGetter } from '../../../electron/core/net/http-fetch';
import { PolicyHttpPoster } from '../../../electron/core/net/http-post';
import { createNetworkPolicy, NetworkRefusedError } from '../../../electron/core/net/network-policy';
import {
  notaryKeyIdOf,
  notarySerialization,
  NotaryLayoutError,
  NotaryUpdateRejectedError,
  publishNotary,
  pullNotary,
  repoStateFiles,
  repoStateRootHistory,
} from '../../../electron/core/remote';
import { readBundleFile } from '../../../electron/core/bundles';
import type { RepoState } from '../../../shared/ceremony/types';
import type { JsonObject } from '../../../shared/tuf/model';
import { buildAcceptanceRepo, NotaryClient, notaryAvailable, startNotaryServer, type AcceptanceRepo, type NotaryServer } from '../../support/notary';
import { generateNotaryKey, generateNotaryRootKey } from '../../support/test-keys';
import { keyrite, signedBundle } from './support/cli';
import { clientKey, expiresInDays, notaryFileMeta, parseEnvelope, roleKeyIds, signNotary } from './support/notary-metadata';

const AVAILABLE = notaryAvailable();
// Skip reason: the Debian notary tools (/usr/bin/notary, /usr/bin/notary-server) are not installed.
if (!AVAILABLE) console.warn('notary-pull-publish.spec: skipped, /usr/bin/notary or /usr/bin/notary-server is missing');

const online = createNetworkPolicy('online');
const http = new PolicyHttpGetter(online);
const poster = new PolicyHttpPoster(online);

async function serverBytes(server: NotaryServer, gun: string, name: string): Promise<Buffer> {
  const response = await fetch(`${server.url}/v2/${gun}/_trust/tuf/${name}`);
  expect(response.status, name).toBe(200);
  return Buffer.from(await response.arrayBuffer());
}

describe.skipIf(!AVAILABLE)('pull and publish against a real notary-server', () => {
  let server: NotaryServer;
  let repo: AcceptanceRepo;
  let freshDir: string;

  beforeAll(async () => {
    server = await startNotaryServer();
    repo = await buildAcceptanceRepo(server);
    freshDir = await fsp.mkdtemp(path.join(os.tmpdir(), 'keyrite-fresh-client-'));
  }, 120_000);

  afterAll(async () => {
    await server?.stop();
    if (repo) await fsp.rm(repo.workDir, { recursive: true, force: true });
    if (freshDir) await fsp.rm(freshDir, { recursive: true, force: true });
  });

  it('pulls an existing repository: exact bytes, full root history and the server timestamp key', async () => {
    const state = await pullNotary({ url: server.url, gun: repo.gun }, { http, now: () => new Date('2026-11-22T02:00:00Z'), randomHex: () => 'ab'.repeat(16) });
    expect(state.dialect).toBe('notary-v1');
    expect(state.source).toEqual({ kind: 'notary-server', url: server.url, gun: repo.gun });
    expect(state.createdAt).toBe('2026-11-22T02:00:00.000Z');
    expect(state.nonce).toBe('ab'.repeat(16));

    const files = repoStateFiles(state);
    expect([...files.keys()].sort()).toEqual(['root', 'snapshot', 'targets', 'targets/alice', 'targets/releases', 'timestamp']);
    for (const role of ['root', 'targets', 'snapshot', 'targets/releases', 'targets/alice']) {
      expect(Buffer.from(files.get(role) as Uint8Array).equals(await serverBytes(server, repo.gun, `${role}.json`)), role).toBe(true);
    }

    // `key rotate targets` and `key rotate root` each made a new root: history is 1..current.
    const history = repoStateRootHistory(state);
    const rootSigned = parseEnvelope(files.get('root') as Uint8Array).signed;
    expect(history).toHaveLength(rootSigned['version'] as number);
    expect(history.length).toBeGreaterThanOrEqual(3);
    for (const [index, bytes] of history.entries()) {
      expect(Buffer.from(bytes).equals(await serverBytes(server, repo.gun, `${index + 1}.root.json`)), `${index + 1}.root.json`).toBe(true);
    }
    const early = await fsp.readFile(path.join(repo.earlyMetadataDir, 'root.json'));
    expect(Buffer.from(history[0] as Uint8Array).equals(early)).toBe(true);
    expect(Buffer.from(history.at(-1) as Uint8Array).equals(Buffer.from(files.get('root') as Uint8Array))).toBe(true);

    const timestampKey = state.serverKeys.timestamp as JsonObject;
    expect(timestampKey).toMatchObject({ keytype: expect.any(String) as string, keyval: { private: null, public: expect.any(String) as string } });
    expect(roleKeyIds(rootSigned, 'timestamp')).toEqual([notaryKeyIdOf(timestampKey)]);
    expect(Object.keys(rootSigned['keys'] as JsonObject)).toContain(notaryKeyIdOf(timestampKey));
    // The client manages this repository's snapshot key, so no server snapshot key is offered.
    expect(state.serverKeys.snapshot).toBeUndefined();
    // Everything notary wrote is already in the layout publish sends (publish never re-lays-out Go's own output).
    for (const [role, bytes] of files) expect(Buffer.from(notarySerialization(role, bytes)).equals(Buffer.from(bytes)), role).toBe(true);
  });

  it('pulls an unknown GUN as a new repository that still carries the server keys', async () => {
    const state = await pullNotary({ url: server.url, gun: 'example.com/acme/new-app' }, { http });
    expect(state.files).toEqual({});
    expect(state.rootHistory).toEqual([]);
    expect(state.serverKeys.timestamp).toMatchObject({ keyval: { private: null, public: expect.any(String) as string } });
    expect(state.serverKeys.snapshot).toMatchObject({ keyval: { private: null, public: expect.any(String) as string } });
    expect(state.serverKeys.snapshot).not.toEqual(state.serverKeys.timestamp);
    expect(state.nonce).toMatch(/^[0-9a-f]{32}$/);
    const again = await pullNotary({ url: server.url, gun: 'example.com/acme/new-app' }, { http });
    expect(again.nonce).not.toBe(state.nonce);
  });

  it('publishes a new targets version that a fresh notary client lists', async () => {
    const state = await pullNotary({ url: server.url, gun: repo.gun }, { http });
    const signed = await nextTargets(state, 'keyrite-added', Buffer.from('published by keyrite\n'));
    const upload: Record<string, Uint8Array> = { targets: signed.bytes };
    const snapshot = await clientSnapshot(state, signed.bytes);
    if (snapshot) upload['snapshot'] = snapshot;

    const result = await publishNotary(upload, { url: server.url, gun: repo.gun }, { poster });
    expect(result.posted).toEqual(snapshot ? ['targets', 'snapshot'] : ['targets']);

    const fresh = new NotaryClient(path.join(freshDir, 'trust'), server.url);
    const names = (await fresh.list(repo.gun)).map((row) => row.name);
    expect(names).toContain('keyrite-added');
    expect(names).toContain('v3.0');
    expect((await serverBytes(server, repo.gun, 'targets.json')).equals(Buffer.from(signed.bytes))).toBe(true);
  });

  it('a new repository built on a pulled request (server keys embedded in root v1) is accepted and listed', async () => {
    const gun = 'example.com/acme/fresh';
    const state = await pullNotary({ url: server.url, gun }, { http });
    // A later pull hands out other pending keys; the request's keys must still be accepted.
    await pullNotary({ url: server.url, gun }, { http });
    const rootKey = await generateNotaryRootKey('ecdsa-p256', { commonName: gun });
    const targetsKey = generateNotaryKey('ecdsa-p256');
    const timestamp = state.serverKeys.timestamp as JsonObject;
    const snapshot = state.serverKeys.snapshot as JsonObject;
    const keys: JsonObject = {
      [rootKey.keyid]: rootKey.metadata,
      [targetsKey.keyid]: targetsKey.metadata,
      [notaryKeyIdOf(timestamp)]: timestamp,
      [notaryKeyIdOf(snapshot)]: snapshot,
    };
    const role = (keyid: string): JsonObject => ({ keyids: [keyid], threshold: 1 });
    const rootSigned: JsonObject = {
      _type: 'Root',
      consistent_snapshot: false,
      expires: expiresInDays(3650),
      keys,
      roles: { root: role(rootKey.keyid), snapshot: role(notaryKeyIdOf(snapshot)), targets: role(targetsKey.keyid), timestamp: role(notaryKeyIdOf(timestamp)) },
      version: 1,
    };
    const targetsSigned: JsonObject = {
      _type: 'Targets',
      delegations: { keys: {}, roles: [] },
      expires: expiresInDays(1095),
      targets: { 'first-release': notaryFileMeta(Buffer.from('one\n')) },
      version: 1,
    };
    const files = { root: signNotary(rootSigned, rootKey.keyid, rootKey.privateKey), targets: signNotary(targetsSigned, targetsKey.keyid, targetsKey.privateKey) };
    expect(await publishNotary(files, { url: server.url, gun }, { poster })).toEqual({ posted: ['root', 'targets'], skipped: [] });
    const names = (await new NotaryClient(path.join(freshDir, 'trust-new'), server.url).list(gun)).map((row) => row.name);
    expect(names).toEqual(['first-release']);
    // Pulled again, it is an existing repository whose history starts at the root we published.
    const after = await pullNotary({ url: server.url, gun }, { http });
    expect(Buffer.from(repoStateRootHistory(after)[0] as Uint8Array).equals(Buffer.from(files.root))).toBe(true);
    expect(after.serverKeys.snapshot).toEqual(snapshot);
  });

  it('offers the server snapshot key when the server manages snapshot, and a targets-only publish then gets a server-made snapshot', async () => {
    const gun = 'example.com/acme/server-snapshot';
    await repo.client.run(['init', gun]);
    await repo.client.run(['publish', gun]);
    await repo.client.run(['key', 'rotate', gun, 'snapshot', '-r']);
    const state = await pullNotary({ url: server.url, gun }, { http });
    const rootSigned = parseEnvelope(repoStateFiles(state).get('root') as Uint8Array).signed;
    expect(state.serverKeys.snapshot).toBeDefined();
    expect(roleKeyIds(rootSigned, 'snapshot')).toEqual([notaryKeyIdOf(state.serverKeys.snapshot as JsonObject)]);

    // Only targets goes up: the server hashes its own serialization of it into the new snapshot,
    // which matches only because publish sends notary's exact layout.
    const signed = await nextTargets(state, 'server-snapshotted', Buffer.from('x\n'));
    expect(await publishNotary({ targets: signed.bytes }, { url: server.url, gun }, { poster })).toEqual({ posted: ['targets'], skipped: [] });
    const names = (await new NotaryClient(path.join(freshDir, 'trust-ss'), server.url).list(gun)).map((row) => row.name);
    expect(names).toEqual(['server-snapshotted']);
  });

  it('maps a rejected publish (targets signed by a stranger) to NotaryUpdateRejectedError; the server keeps its data', async () => {
    const state = await pullNotary({ url: server.url, gun: repo.gun }, { http });
    const before = await serverBytes(server, repo.gun, 'targets.json');
    const stranger = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
    const signed = await nextTargets(state, 'evil', Buffer.from('not ours\n'), stranger);
    const upload: Record<string, Uint8Array> = { targets: signed.bytes };
    const snapshot = await clientSnapshot(state, signed.bytes);
    if (snapshot) upload['snapshot'] = snapshot;

    const error = await publishNotary(upload, { url: server.url, gun: repo.gun }, { poster }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(NotaryUpdateRejectedError);
    const rejected = error as NotaryUpdateRejectedError;
    expect(rejected.validation?.name).toBe('ErrBadTargets');
    expect(rejected.message).toMatch(/rejected the update for "example\.com\/acme\/app" \(ErrBadTargets: .+\); nothing was published — targets and delegations must be signed/);
    expect((await serverBytes(server, repo.gun, 'targets.json')).equals(before)).toBe(true);
  });

  it('keyrite pull --online --server writes the request bundle; keyrite publish sends a signed bundle the client then lists', async () => {
    const pull = await keyrite(['pull', '--online', '--server', server.url, '--gun', repo.gun, '--out', 'request.bundle'], freshDir);
    expect(pull.stderr).toBe('');
    expect(pull.code).toBe(0);
    expect(pull.stdout).toMatch(/repository {2}example\.com\/acme\/app \(notary-v1\)/);
    expect(pull.stdout).toMatch(/server key {2}timestamp [0-9a-f]{64}/);
    const request = await readBundleFile(path.join(freshDir, 'request.bundle'));
    const state = request.content.state as RepoState;
    expect(request.manifest).toMatchObject({ kind: 'request', repository: { dialect: 'notary-v1', name: repo.gun }, nonce: state.nonce });
    expect(Buffer.from(repoStateFiles(state).get('targets') as Uint8Array).equals(await serverBytes(server, repo.gun, 'targets.json'))).toBe(true);

    const signed = await nextTargets(state, 'cli-published', Buffer.from('via the CLI\n'));
    const metadata: Record<string, Uint8Array> = { targets: signed.bytes };
    const snapshot = await clientSnapshot(state, signed.bytes);
    if (snapshot) metadata['snapshot'] = snapshot;
    await signedBundle(path.join(freshDir, 'signed.bundle'), 'notary-v1', repo.gun, metadata);

    const offline = await keyrite(['publish', 'signed.bundle', '--server', server.url], freshDir);
    expect(offline.code).toBe(2);
    expect(offline.stderr).toMatch(/air-gapped mode \(the default\): refusing to contact .*; add --online/);
    const publish = await keyrite(['publish', 'signed.bundle', '--online', '--server', server.url], freshDir);
    expect(publish.stderr).toBe('');
    expect(publish.code).toBe(0);
    expect(publish.stdout).toMatch(/^published targets(, snapshot)? to http:\/\/127\.0\.0\.1:\d+ for example\.com\/acme\/app/);
    const names = (await new NotaryClient(path.join(freshDir, 'trust-cli'), server.url).list(repo.gun)).map((row) => row.name);
    expect(names).toContain('cli-published');

    // The same bundle again: the server already has that version → exit 1 with an actionable reason.
    const again = await keyrite(['publish', 'signed.bundle', '--online', '--server', server.url], freshDir);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/^keyrite: publish refused: the Notary server already has this version of the metadata for "example\.com\/acme\/app" or a newer one .*either this bundle was published before/);
  });

  it('keyrite pull of an unknown GUN says it is a new repository and still names the server keys', async () => {
    const run = await keyrite(['pull', '--online', '--server', server.url, '--gun', 'example.com/acme/brand-new', '--out', 'new.bundle'], freshDir);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/new repository \(nothing published yet\)/);
    expect(run.stdout).toMatch(/server key {2}timestamp [0-9a-f]{64}\n {2}server key {2}snapshot {2}[0-9a-f]{64}/);
  });

  it('refuses metadata not in notary\'s byte layout before sending anything', async () => {
    const state = await pullNotary({ url: server.url, gun: repo.gun }, { http });
    const targets = repoStateFiles(state).get('targets') as Uint8Array;
    const pretty = Buffer.from(JSON.stringify(JSON.parse(Buffer.from(targets).toString('utf8')), null, 2));
    await expect(publishNotary({ targets: pretty }, { url: server.url, gun: repo.gun }, { poster })).rejects.toBeInstanceOf(NotaryLayoutError);
  });

  it('refuses the network in air-gapped mode, before any request', async () => {
    const offline = createNetworkPolicy('offline');
    await expect(pullNotary({ url: server.url, gun: repo.gun }, { http: new PolicyHttpGetter(offline) })).rejects.toBeInstanceOf(NetworkRefusedError);
    await expect(
      publishNotary({ targets: Buffer.from('{"signed":{},"signatures":[]}') }, { url: server.url, gun: repo.gun }, { poster: new PolicyHttpPoster(offline) }),
    ).rejects.toThrow(/air-gapped mode; refusing to contact http:\/\/127\.0\.0\.1:\d+\/v2\/example\.com\/acme\/app\/_trust\/tuf\//);
  });

  /** targets version+1 with one more target, signed by the repo's targets key (from the client's key dir) or `signer`. */
  async function nextTargets(state: RepoState, name: string, content: Buffer, signer?: KeyObject): Promise<{ bytes: Uint8Array }> {
    const files = repoStateFiles(state);
    const rootSigned = parseEnvelope(files.get('root') as Uint8Array).signed;
    const current = parseEnvelope(files.get('targets') as Uint8Array).signed;
    const keyid = roleKeyIds(rootSigned, 'targets')[0] as string;
    const key = signer ?? (await clientKey(repo.trustDir, keyid, 'targets'));
    const signed: JsonObject = {
      ...current,
      version: (current['version'] as number) + 1,
      expires: expiresInDays(365),
      targets: { ...(current['targets'] as JsonObject), [name]: notaryFileMeta(content) },
    };
    return { bytes: signNotary(signed, keyid, key) };
  }

  /** When the client (not the server) holds the snapshot key, the upload must carry a new snapshot. */
  async function clientSnapshot(state: RepoState, targetsBytes: Uint8Array): Promise<Uint8Array | null> {
    if (state.serverKeys.snapshot) return null;
    const files = repoStateFiles(state);
    const rootSigned = parseEnvelope(files.get('root') as Uint8Array).signed;
    const current = parseEnvelope(files.get('snapshot') as Uint8Array).signed;
    const keyid = roleKeyIds(rootSigned, 'snapshot')[0] as string;
    const signed: JsonObject = {
      ...current,
      version: (current['version'] as number) + 1,
      expires: expiresInDays(365),
      meta: { ...(current['meta'] as JsonObject), targets: notaryFileMeta(targetsBytes) },
    };
    return signNotary(signed, keyid, await clientKey(repo.trustDir, keyid, 'snapshot'));
  }
});

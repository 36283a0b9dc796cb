import { promises as fsp } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { FileTooLargeError } from '../../../../electron/core/fs/atomic-write';
import { createInspectEngine } from '../../../../electron/core/inspection/engine';
import { PolicyHttpGetter } from '../../../../electron/core/net/http-fetch';
import { createNetworkPolicy, NetworkRefusedError } from '../../../../electron/core/net/network-policy';
import { GunNotFoundError, SourceUnavailableError } from '../../../../electron/core/sources/errors';
import { LIMITS } from '../../../../electron/core/sources/limits';
import { loadMetadataDirectory } from '../../../../electron/core/sources/metadata-dir';
import { loadNotaryServer } from '../../../../electron/core/sources/notary-server';
import { loadTufUrl } from '../../../../electron/core/sources/tuf-url';
import { buildNotaryRepo, buildTufRepo, type TestRepo } from '../../../support/repo-builder';
import { serveDir, type TestServer } from '../../../support/serve-dir';

const online = new PolicyHttpGetter(createNetworkPolicy('online'));
const offline = new PolicyHttpGetter(createNetworkPolicy('offline'));

let tmp: string;
let tuf: TestRepo;
let notary: TestRepo;
let server: TestServer;
const GUN = 'example.com/acme/app';

beforeAll(async () => {
  tmp = await fsp.mkdtemp(path.join(os.tmpdir(), 'keyrite-src-'));
  tuf = await buildTufRepo({
    targets: { 'a.txt': 'hello' },
    delegations: [{ name: 'team', targets: { 'b.txt': 'b' } }],
    rootRotations: [{ rootKeys: 1 }, { rotate: ['targets'] }],
  });
  await tuf.writeTo(path.join(tmp, 'tuf'));
  // Consistent snapshot: only versioned names (plus timestamp.json), so the loader must follow the meta versions.
  const meta = path.join(tmp, 'tuf', 'metadata');
  for (const plain of ['root.json', 'snapshot.json', 'targets.json', 'team.json']) await fsp.rm(path.join(meta, plain));
  notary = await buildNotaryRepo({ gun: GUN, targets: { v1: 'one' }, delegations: [{ name: 'targets/releases', targets: { v2: 'two' } }] });
  await notary.writeTo(path.join(tmp, 'v2', ...GUN.split('/'), '_trust', 'tuf'));
  server = await serveDir(tmp, (urlPath, res) => {
    if (urlPath.endsWith('/broken/_trust/tuf/root.json')) {
      res.writeHead(500);
      res.end('{"errors":[{"code":"UNKNOWN","message":"database down"}]}');
      return true;
    }
    if (urlPath === '/huge/1.root.json') {
      res.writeHead(200);
      res.end(Buffer.alloc(LIMITS.rootBytes + 10, 0x20));
      return true;
    }
    return false;
  });
});

afterAll(async () => {
  await server.close();
  await fsp.rm(tmp, { recursive: true, force: true });
});

function expectSameBytes(actual: ReadonlyMap<string, Uint8Array>, expected: TestRepo): void {
  const want = expected.toRepositoryInput().files;
  expect([...actual.keys()].sort()).toEqual([...want.keys()].sort());
  for (const [name, bytes] of want) expect(Buffer.from(actual.get(name) ?? []).equals(Buffer.from(bytes)), name).toBe(true);
}

describe('TUF repository directory', () => {
  it('follows consistent-snapshot names and collects the whole root history', async () => {
    const input = await loadMetadataDirectory(path.join(tmp, 'tuf'));
    expect(input.source.kind).toBe('tuf-dir');
    expect(input.dialect).toBe('tuf-1.0');
    expect([...input.rootHistory.keys()]).toEqual([1, 2, 3]);
    expect(input.unavailable).toEqual([]);
    // root.json was removed: the newest N.root.json is the current root.
    expectSameBytes(input.files, tuf);
    const report = createInspectEngine()(input, { at: new Date(), warnDays: 30, trusted: null });
    expect(report.health).toBe('healthy');
    expect(report.targets.map((t) => t.name).sort()).toEqual(['a.txt', 'b.txt']);
  });
});

describe('TUF repository URL', () => {
  it('walks 1.root.json upward until the 404, then timestamp -> snapshot -> targets -> delegations', async () => {
    const before = server.requests.length;
    const input = await loadTufUrl(`${server.url}/tuf/metadata/`, online);
    expect(input.source.kind).toBe('tuf-url');
    expect([...input.rootHistory.keys()]).toEqual([1, 2, 3]);
    expectSameBytes(input.files, tuf);
    const asked = server.requests.slice(before);
    expect(asked.slice(0, 5)).toEqual(['/tuf/metadata/root.json', '/tuf/metadata/1.root.json', '/tuf/metadata/2.root.json', '/tuf/metadata/3.root.json', '/tuf/metadata/4.root.json']);
    expect(asked).toContain(`/tuf/metadata/${tuf.role('snapshot').signed['version'] as number}.snapshot.json`);
  });

  it('finds metadata/ under a repository root URL, and says where it looked when there is none', async () => {
    const input = await loadTufUrl(`${server.url}/tuf`, online);
    expect(input.source.location).toBe(`${server.url}/tuf/metadata/`);
    expect([...input.rootHistory.keys()]).toEqual([1, 2, 3]);
    await expect(loadTufUrl(`${server.url}/nothing/`, online)).rejects.toThrow(/nor at .*\/nothing\/metadata\/: give the URL of the TUF metadata directory/);
  });

  it('refuses an oversized file before parsing it', async () => {
    await expect(loadTufUrl(`${server.url}/huge/`, online)).rejects.toBeInstanceOf(FileTooLargeError);
  });

  it('in air-gapped mode refuses before sending any request', async () => {
    const before = server.requests.length;
    await expect(loadTufUrl(`${server.url}/tuf/metadata/`, offline)).rejects.toBeInstanceOf(NetworkRefusedError);
    await expect(loadTufUrl(`${server.url}/tuf/metadata/`, offline)).rejects.toThrow(/^Keyrite is in air-gapped mode; refusing to contact/);
    expect(server.requests.length).toBe(before);
  });
});

describe('Notary server', () => {
  it('fetches the roles and delegations of a GUN from /v2/<gun>/_trust/tuf/', async () => {
    const input = await loadNotaryServer(server.url, GUN, online);
    expect(input.source.kind).toBe('notary-server');
    expect(input.name).toBe(GUN);
    expectSameBytes(input.files, notary);
    expect(server.requests).toContain(`/v2/${GUN}/_trust/tuf/targets/releases.json`);
    expect(server.requests.some((r) => r.endsWith('timestamp.key'))).toBe(false);
  });

  it('maps 404 on root to "GUN not found on server" and 500 to an actionable error', async () => {
    await expect(loadNotaryServer(server.url, 'example.com/missing', online)).rejects.toBeInstanceOf(GunNotFoundError);
    await expect(loadNotaryServer(server.url, 'example.com/broken', online)).rejects.toThrow(SourceUnavailableError);
    await expect(loadNotaryServer(server.url, 'example.com/broken', online)).rejects.toThrow(/HTTP 500: UNKNOWN: database down .*try again later/);
  });

  it('refuses a GUN that could escape the URL path', async () => {
    await expect(loadNotaryServer(server.url, '../../etc', online)).rejects.toThrow(/invalid GUN/);
  });

  it('reports an unreachable server as a connection error', async () => {
    const dead = await serveDir(tmp);
    const url = dead.url;
    await dead.close();
    await expect(loadNotaryServer(url, GUN, online)).rejects.toThrow(/could not connect to/);
  });
});

describe('metadata directory with hostile delegation names', () => {
  it('never reads a delegation named with ".." and lists it as unavailable', async () => {
    const dir = path.join(tmp, 'hostile');
    await notary.writeTo(dir);
    const targets = JSON.parse(await fsp.readFile(path.join(dir, 'targets.json'), 'utf8')) as {
      signed: { delegations: { roles: Array<{ name: string }> } };
    };
    targets.signed.delegations.roles.push({ name: '../../outside' }, { name: 'targets/missing' });
    await fsp.writeFile(path.join(dir, 'targets.json'), JSON.stringify(targets));
    await fsp.writeFile(path.join(tmp, 'outside.json'), '{"must":"not be read"}');
    const input = await loadMetadataDirectory(dir, { gun: GUN });
    expect(input.unavailable).toEqual(expect.arrayContaining(['../../outside', 'targets/missing']));
    expect([...input.files.keys()].some((k) => k.includes('..'))).toBe(false);
  });
});

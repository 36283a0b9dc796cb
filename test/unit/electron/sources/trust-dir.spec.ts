import { promises as fsp } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { GunNotInTrustDirError, SourceFormatError, SourceUnavailableError } from '../../../../electron/core/sources/errors';
import { listPrivateKeys, parsePemHeader } from '../../../../electron/core/sources/private-keys';
import { DefaultSourceLoader } from '../../../../electron/core/sources/source-loader';
import { discoverGuns, loadTrustDir } from '../../../../electron/core/sources/trust-dir';
import { PolicyHttpGetter } from '../../../../electron/core/net/http-fetch';
import { createNetworkPolicy } from '../../../../electron/core/net/network-policy';
import { buildNotaryRepo } from '../../../support/repo-builder';

const ID = (c: string): string => c.repeat(64);
let trust: string;
let outside: string;

async function write(file: string, text: string): Promise<void> {
  await fsp.mkdir(path.dirname(file), { recursive: true });
  await fsp.writeFile(file, text);
}

beforeAll(async () => {
  trust = await fsp.mkdtemp(path.join(os.tmpdir(), 'keyrite-trust-'));
  outside = await fsp.mkdtemp(path.join(os.tmpdir(), 'keyrite-outside-'));
  for (const gun of ['docker.io/acme/app', 'example.com/web', 'localhost:5000/team/tool']) {
    const repo = await buildNotaryRepo({ gun, targets: { latest: gun } });
    await repo.writeTo(path.join(trust, 'tuf', ...gun.split('/'), 'metadata'));
    await write(path.join(trust, 'tuf', ...gun.split('/'), 'changelist', '0001.change'), '{}');
  }
  // A GUN directory without root.json is not a repository.
  await write(path.join(trust, 'tuf', 'partial', 'repo', 'metadata', 'targets.json'), '{}');
  const body = 'MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg\n-----END ENCRYPTED PRIVATE KEY-----\n';
  await write(path.join(trust, 'private', `${ID('a')}.key`), `-----BEGIN ENCRYPTED PRIVATE KEY-----\nrole: root\n\n${body}`);
  await write(path.join(trust, 'private', `${ID('b')}.key`), `-----BEGIN ENCRYPTED PRIVATE KEY-----\ngun: docker.io/acme/app\nrole: targets\n\n${body}`);
  await write(path.join(trust, 'private', `${ID('c')}.key`), `-----BEGIN PRIVATE KEY-----\nrole: targets/alice\n\n${body}`);
  await write(path.join(trust, 'private', `${ID('d')}.key`), `-----BEGIN ENCRYPTED PRIVATE KEY-----\ngun: example.com/web\nrole: snapshot\n\n${body}`);
  // Legacy layouts: role and GUN from the path and file name.
  await write(path.join(trust, 'private', 'root_keys', `${ID('e')}_root.key`), '-----BEGIN EC PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-256-CBC,00\n\nAAAA\n');
  await write(path.join(trust, 'private', 'tuf_keys', 'example.com', 'web', `${ID('f')}_targets.key`), '-----BEGIN EC PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\n\nAAAA\n');
  // A symlink to a key elsewhere is not followed.
  await write(path.join(outside, 'stolen.key'), '-----BEGIN PRIVATE KEY-----\nrole: root\n\nAAAA\n');
  await fsp.symlink(path.join(outside, 'stolen.key'), path.join(trust, 'private', `${ID('9')}.key`));
  await fsp.symlink(outside, path.join(trust, 'private', 'linked-dir'));
});

afterAll(async () => {
  await fsp.rm(trust, { recursive: true, force: true });
  await fsp.rm(outside, { recursive: true, force: true });
});

describe('trust dir', () => {
  it('finds every GUN with tuf/<gun>/metadata/root.json', async () => {
    expect(await discoverGuns(trust)).toEqual(['docker.io/acme/app', 'example.com/web', 'localhost:5000/team/tool']);
  });

  it('lists private keys from headers and file names, never following symlinks', async () => {
    const keys = await listPrivateKeys(trust);
    const byId = new Map(keys.map((k) => [k.id, k]));
    expect([...byId.keys()].sort()).toEqual([ID('a'), ID('b'), ID('c'), ID('d'), ID('e'), ID('f')].sort());
    expect(byId.get(ID('a'))).toMatchObject({ role: 'root', gun: null, encrypted: true });
    expect(byId.get(ID('b'))).toMatchObject({ role: 'targets', gun: 'docker.io/acme/app', encrypted: true });
    expect(byId.get(ID('c'))).toMatchObject({ role: 'targets/alice', gun: null, encrypted: false });
    expect(byId.get(ID('e'))).toMatchObject({ role: 'root', gun: null, encrypted: true });
    expect(byId.get(ID('f'))).toMatchObject({ role: 'targets', gun: 'example.com/web', encrypted: true });
  });

  it('loads each GUN with the keys that can sign for it', async () => {
    const inputs = await loadTrustDir(trust);
    expect(inputs.map((i) => i.name)).toEqual(['docker.io/acme/app', 'example.com/web', 'localhost:5000/team/tool']);
    const app = inputs[0];
    expect(app?.source).toEqual({ kind: 'trust-dir', location: trust });
    expect(app?.dialect).toBe('notary-v1');
    expect([...(app?.files.keys() ?? [])].sort()).toEqual(['root', 'snapshot', 'targets', 'timestamp']);
    expect(app?.privateKeys?.map((k) => k.id).sort()).toEqual([ID('a'), ID('b'), ID('c'), ID('e')].sort());
  });

  it('--gun selects one repository; an unknown one names those available', async () => {
    expect((await loadTrustDir(trust, { gun: 'example.com/web' })).map((i) => i.name)).toEqual(['example.com/web']);
    const error = await loadTrustDir(trust, { gun: 'example.com/nope' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GunNotInTrustDirError);
    expect((error as Error).message).toContain('docker.io/acme/app, example.com/web, localhost:5000/team/tool');
  });

  it('directory auto-detection: trust dir, metadata dir, or a clear error', async () => {
    const loader = new DefaultSourceLoader(new PolicyHttpGetter(createNetworkPolicy('offline')));
    expect((await loader.load({ kind: 'directory', path: trust })).length).toBe(3);
    const metadata = await loader.load({ kind: 'directory', path: path.join(trust, 'tuf', 'example.com', 'web', 'metadata') });
    expect(metadata.map((i) => [i.source.kind, i.name])).toEqual([['metadata-dir', 'example.com/web']]);
    await expect(loader.load({ kind: 'directory', path: path.join(trust, 'nope') })).rejects.toBeInstanceOf(SourceUnavailableError);
    await expect(loader.load({ kind: 'directory', path: path.join(trust, 'private') })).rejects.toBeInstanceOf(SourceFormatError);
    const emptyTrust = path.join(outside, 'empty-trust');
    await fsp.mkdir(path.join(emptyTrust, 'tuf'), { recursive: true });
    await expect(loader.load({ kind: 'directory', path: emptyTrust })).rejects.toThrow(/holds no repository/);
  });
});

describe('PEM header parsing', () => {
  it('reads the type and headers up to the first blank line', () => {
    const header = parsePemHeader('-----BEGIN EC PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nrole: snapshot\n\nrole: fake\n');
    expect(header.type).toBe('EC PRIVATE KEY');
    expect(Object.fromEntries(header.headers)).toEqual({ 'proc-type': '4,ENCRYPTED', role: 'snapshot' });
    expect(parsePemHeader('garbage').type).toBeNull();
  });
});

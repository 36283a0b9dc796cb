/**
 * Issue 4, rotate-key for Notary server-managed keys (what `notary key rotate GUN timestamp -r`
 * does, split over the air gap): `keyrite pull --rotate-server-key R` asks the real notary-server
 * for a new key (POST …/R.key), the offline `ceremony rotate-key --role R --server-managed` puts it
 * in a new root, and after publishing, a fresh `notary` client and one that cached the old root
 * still list the repository, whose root names the server's new key.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { readBundleFile } from '../../../electron/core/bundles';
import { PolicyHttpGetter } from '../../../electron/core/net/http-fetch';
import { PolicyHttpPoster } from '../../../electron/core/net/http-post';
import { createNetworkPolicy } from '../../../electron/core/net/network-policy';
import { notaryKeyIdOf, notaryTufBase, publishNotary } from '../../../electron/core/remote';
import { NotaryClient, notaryAvailable, startNotaryServer, type NotaryServer } from '../../support/notary';
import { expectOk, signedMetadata, Workspace } from './support/harness';

const GUN = 'example.com/keyrite/server-keys';

interface RootSigned {
  version: number;
  roles: Record<string, { keyids: string[] }>;
}

describe.skipIf(!notaryAvailable())('Notary server-managed timestamp and snapshot key rotation', () => {
  let server: NotaryServer;
  let ws: Workspace;
  let clientsDir: string;
  let watcher: NotaryClient;
  let rootKey: { id: string };
  let targetsKey: { id: string };

  beforeAll(async () => {
    server = await startNotaryServer();
    ws = await Workspace.create();
    clientsDir = await mkdtemp(path.join(os.tmpdir(), 'keyrite-notary-server-keys-'));
    watcher = new NotaryClient(path.join(clientsDir, 'watcher'), server.url);
    rootKey = await ws.generateKey('root', 'ecdsa-p256');
    targetsKey = await ws.generateKey('targets', 'ecdsa-p256', ['--gun', GUN]);
  }, 60_000);

  afterAll(async () => {
    await server?.stop();
    await ws?.cleanup();
    if (clientsDir) await rm(clientsDir, { recursive: true, force: true });
  });

  async function pull(name: string, extra: string[] = []): Promise<string> {
    const out = ws.path(name);
    expectOk(await ws.cli(['pull', '--online', '--server', server.url, '--gun', GUN, '--out', out, ...extra]), `pull ${extra.join(' ')}`);
    return out;
  }

  async function ceremony(kind: string, request: string, args: string[], out: string): Promise<Record<string, Uint8Array>> {
    expectOk(await ws.cli(['ceremony', kind, '--request', request, '--yes', '--out', ws.path(out), ...args]), `ceremony ${kind}`);
    const files = await signedMetadata(ws.path(out));
    await publishNotary(files, { url: server.url, gun: GUN }, { poster: new PolicyHttpPoster(createNetworkPolicy('online')) });
    return files;
  }

  async function serverRoot(): Promise<RootSigned> {
    const bytes = await new PolicyHttpGetter(createNetworkPolicy('online')).get(`${notaryTufBase({ url: server.url, gun: GUN })}root.json`, { maxBytes: 1 << 20 });
    if (!bytes) throw new Error('the server has no root.json');
    return (JSON.parse(Buffer.from(bytes).toString('utf8')) as { signed: RootSigned }).signed;
  }

  async function requestedKeyId(request: string, role: 'timestamp' | 'snapshot'): Promise<string> {
    const key = (await readBundleFile(request)).content.state?.serverKeys?.[role];
    if (!key) throw new Error(`${request} carries no server ${role} key`);
    return notaryKeyIdOf(key);
  }

  it('init (server-managed snapshot and timestamp), published; a client trusts it', async () => {
    const request = await pull('req-init.bundle');
    await ceremony('init', request, ['--root-key', `file:${rootKey.id}`, '--targets-key', `file:${targetsKey.id}`], 'init.bundle');
    expect((await watcher.run(['list', GUN])).stdout).toMatch(/No targets present in this repository/);
    const root = await serverRoot();
    expect(root.roles['timestamp']?.keyids).toEqual([await requestedKeyId(request, 'timestamp')]);
  }, 120_000);

  for (const role of ['timestamp', 'snapshot'] as const) {
    it(`rotate-key --role ${role} --server-managed: root names the server's NEW ${role} key and clients still list`, async () => {
      const before = await serverRoot();
      const request = await pull(`req-rotate-${role}.bundle`, ['--rotate-server-key', role]);
      const fresh = await requestedKeyId(request, role);
      expect(before.roles[role]?.keyids).not.toContain(fresh);
      await ceremony('rotate-key', request, ['--role', role, '--server-managed'], `rotate-${role}.bundle`);
      const after = await serverRoot();
      expect(after.version).toBe(before.version + 1);
      expect(after.roles[role]?.keyids).toEqual([fresh]);
      // The server now signs (timestamp, or snapshot and timestamp) with the new key: a fresh client
      // verifies everything from this root, and the client that cached the old root moves on.
      const client = new NotaryClient(path.join(clientsDir, `fresh-${role}`), server.url);
      expect((await client.run(['list', GUN])).stdout).toMatch(/No targets present in this repository/);
      expect((await watcher.run(['list', GUN])).stdout).toMatch(/No targets present in this repository/);
    }, 120_000);
  }
});

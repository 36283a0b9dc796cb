/**
 * Issue 4 / review F14, Notary: `ceremony recover` of a compromised server-managed timestamp key,
 * then snapshot key. The server holds those keys, so the recovery first has it rotate the key
 * (`keyrite pull --rotate-server-key R`, notary's `key rotate R -r`), then the offline recover
 * revokes the compromised key in root v+1 and names the server's new one. Against the real
 * notary-server: the client that cached the old root and a fresh one still list the repository.
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

const GUN = 'example.com/keyrite/recover-online';

interface RootSigned {
  version: number;
  roles: Record<string, { keyids: string[] }>;
}

describe.skipIf(!notaryAvailable())('Notary recover of compromised server-managed timestamp and snapshot keys', () => {
  let server: NotaryServer;
  let ws: Workspace;
  let clientsDir: string;
  let watcher: NotaryClient;
  let rootKey: { id: string };
  let targetsKey: { id: string };

  beforeAll(async () => {
    server = await startNotaryServer();
    ws = await Workspace.create();
    clientsDir = await mkdtemp(path.join(os.tmpdir(), 'keyrite-notary-recover-'));
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

  async function ceremony(kind: string, request: string, args: string[], out: string): Promise<string> {
    const run = expectOk(await ws.cli(['ceremony', kind, '--request', request, '--yes', '--out', ws.path(out), ...args]), `ceremony ${kind}`);
    await publishNotary(await signedMetadata(ws.path(out)), { url: server.url, gun: GUN }, { poster: new PolicyHttpPoster(createNetworkPolicy('online')) });
    return run.stdout;
  }

  async function serverRoot(): Promise<RootSigned> {
    const bytes = await new PolicyHttpGetter(createNetworkPolicy('online')).get(`${notaryTufBase({ url: server.url, gun: GUN })}root.json`, { maxBytes: 1 << 20 });
    if (!bytes) throw new Error('the server has no root.json');
    return (JSON.parse(Buffer.from(bytes).toString('utf8')) as { signed: RootSigned }).signed;
  }

  it('init → timestamp key compromised: refused until the server rotates, then recovered → snapshot key likewise; clients still list', async () => {
    await ceremony('init', await pull('req-init.bundle'), ['--root-key', `file:${rootKey.id}`, '--targets-key', `file:${targetsKey.id}`], 'init.bundle');
    expect((await watcher.run(['list', GUN])).stdout).toMatch(/No targets present in this repository/);

    for (const [i, role] of (['timestamp', 'snapshot'] as const).entries()) {
      const before = await serverRoot();
      const stolen = before.roles[role]?.keyids[0] as string;
      // The server still signs with the stolen key: the ceremony refuses and says what to do.
      const stale = await pull(`req-${role}-stale.bundle`);
      const refused = await ws.cli(['ceremony', 'recover', '--request', stale, '--yes', '--out', ws.path(`${role}-refused.bundle`), '--compromised', stolen]);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toMatch(new RegExp(`ask the Notary server to rotate its ${role} key, then pull again`));

      const request = await pull(`req-${role}.bundle`, ['--rotate-server-key', role]);
      const rotated = (await readBundleFile(request)).content.state?.serverKeys?.[role];
      if (!rotated) throw new Error(`the request carries no server ${role} key`);
      const stdout = await ceremony('recover', request, ['--compromised', stolen], `recover-${role}.bundle`);
      expect(stdout).toMatch(new RegExp(`Impact of the compromised / lost keys:[\\s\\S]*${role}`));
      const after = await serverRoot();
      expect(after.version).toBe(before.version + 1);
      expect(after.roles[role]?.keyids).toEqual([notaryKeyIdOf(rotated)]);
      expect(notaryKeyIdOf(rotated)).not.toBe(stolen);
      const fresh = new NotaryClient(path.join(clientsDir, `fresh-${i}`), server.url);
      expect((await fresh.run(['list', GUN])).stdout).toMatch(/No targets present in this repository/);
      expect((await watcher.run(['list', GUN])).stdout).toMatch(/No targets present in this repository/);
    }
  }, 240_000);
});

/**
 * Review F6, second way in: a Notary repository whose snapshot was server-managed takes it offline
 * (`ceremony rotate-key --role snapshot --key …`, what `notary key rotate GUN snapshot` without -r
 * does). Root v2 names the client-held key and the same ceremony signs snapshot v+1 with it over
 * the final root bytes; the real notary-server accepts it, and both a client that cached root v1
 * and a fresh one list the repository. A later sign-targets signs the snapshot offline again.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { PolicyHttpPoster } from '../../../electron/core/net/http-post';
import { createNetworkPolicy } from '../../../electron/core/net/network-policy';
import { publishNotary } from '../../../electron/core/remote';
import { NotaryClient, notaryAvailable, startNotaryServer, type NotaryServer } from '../../support/notary';
import { expectOk, signedMetadata, Workspace } from './support/harness';

const GUN = 'example.com/keyrite/snapshot-offline-rotate';

interface Envelope<T> {
  signed: T;
  signatures: { keyid: string }[];
}

function parse<T>(bytes: Uint8Array | undefined): Envelope<T> {
  if (!bytes) throw new Error('file missing from the signed bundle');
  return JSON.parse(Buffer.from(bytes).toString('utf8')) as Envelope<T>;
}

describe.skipIf(!notaryAvailable())('Notary rotate-key snapshot from server-managed to a client-held key', () => {
  let server: NotaryServer;
  let ws: Workspace;
  let clientsDir: string;
  let watcher: NotaryClient;
  let rootKey: { id: string };
  let targetsKey: { id: string };
  let snapshotKey: { id: string };

  beforeAll(async () => {
    server = await startNotaryServer();
    ws = await Workspace.create();
    clientsDir = await mkdtemp(path.join(os.tmpdir(), 'keyrite-notary-snapshot-rotate-'));
    watcher = new NotaryClient(path.join(clientsDir, 'watcher'), server.url);
    rootKey = await ws.generateKey('root', 'ecdsa-p256');
    targetsKey = await ws.generateKey('targets', 'ecdsa-p256', ['--gun', GUN]);
    snapshotKey = await ws.generateKey('snapshot', 'ecdsa-p256', ['--gun', GUN]);
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

  it('server-managed init → rotate-key snapshot to a client-held key → sign-targets; clients trust every step', async () => {
    const init = await ceremony('init', await pull('req-init.bundle'), ['--root-key', `file:${rootKey.id}`, '--targets-key', `file:${targetsKey.id}`], 'init.bundle');
    expect(Object.keys(init).sort()).toEqual(['root', 'targets']);
    expect((await watcher.run(['list', GUN])).stdout).toMatch(/No targets present in this repository/);

    const rotate = await ceremony('rotate-key', await pull('req-rotate.bundle'), ['--role', 'snapshot', '--key', `file:${snapshotKey.id}`], 'rotate.bundle');
    expect(Object.keys(rotate).sort()).toEqual(['root', 'snapshot']);
    const root2 = parse<{ version: number; roles: Record<string, { keyids: string[] }> }>(rotate['root']);
    expect(root2.signed.version).toBe(2);
    const snapshot = parse<{ version: number }>(rotate['snapshot']);
    expect(snapshot.signatures.map((s) => s.keyid)).toEqual(root2.signed.roles['snapshot']?.keyids);
    expect(snapshot.signed.version).toBeGreaterThan(1);
    expect((await watcher.run(['list', GUN])).stdout).toMatch(/No targets present in this repository/);

    const artefact = ws.path('app-2.0.tgz');
    await writeFile(artefact, 'release 2.0\n');
    const sign = await ceremony('sign-targets', await pull('req-sign.bundle', ['--add-target', `app-2.0.tgz=${artefact}`]), [], 'sign.bundle');
    expect(Object.keys(sign).sort()).toEqual(['snapshot', 'targets']);
    expect(parse<{ version: number }>(sign['snapshot']).signed.version).toBe(snapshot.signed.version + 1);
    expect((await watcher.list(GUN)).map((t) => t.name)).toEqual(['app-2.0.tgz']);
    const fresh = new NotaryClient(path.join(clientsDir, 'fresh'), server.url);
    expect((await fresh.list(GUN)).map((t) => t.name)).toEqual(['app-2.0.tgz']);
  }, 180_000);
});

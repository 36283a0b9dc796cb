/**
 * Notary through the GUI's path against a real notary-server and the real `notary` client: the desk
 * pulls a request bundle in online mode (never over an existing file; refused air-gapped), previews
 * it (the server's timestamp key), runs init with the root key on a SoftHSM token — its x509
 * certificate (CN = GUN) is signed by the token key, so the PIN must come with the plan — then
 * sign-targets with a real file, then rotate-root to a key generated on a second token (old and
 * new root tokens sign); each bundle is verified, published, and `notary list` trusts it.
 */
import { createHash, X509Certificate } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { CeremonyDesk } from '../../../electron/core/ceremony-desk';
import { PolicyHttpPoster } from '../../../electron/core/net/http-post';
import { createNetworkPolicy } from '../../../electron/core/net/network-policy';
import { publishNotary } from '../../../electron/core/remote';
import { TokenClient } from '../../../electron/core/tokens/token-client';
import { RequestPreview, type CeremonyProgressEvent } from '../../../shared/ipc/ceremony';
import type { PlanInput } from '../../../shared/ipc/ceremony-plans';
import { NotaryClient, notaryAvailable, startNotaryServer, type NotaryServer } from '../../support/notary';
import { bundleTokenHost, SOFTHSM_MISSING_REASON, type TokenHostBundle } from '../../support/softhsm';
import { Workspace } from '../ceremony/support/harness';
import { createTokenSet, type TokenSet } from '../ceremony/support/softhsm-tokens';
import { deskFor, expectRefusal, loginsFor, pin, runCeremony, signAndExport, signedJson } from './support/desk-harness';

const GUN = 'example.com/keyrite/desk';
const ARTIFACT = Buffer.from('desk-built image\n');

describe.skipIf(!notaryAvailable() || SOFTHSM_MISSING_REASON !== null)('Notary from the GUI path (CeremonyDesk) with the real notary client and server', () => {
  let server: NotaryServer;
  let tokens: TokenSet;
  let host: TokenHostBundle;
  let ws: Workspace;
  let desk: CeremonyDesk;
  let clientsDir: string;
  let targetsKey: { id: string };
  const progress: CeremonyProgressEvent[] = [];
  let rootKeyId = '';

  beforeAll(async () => {
    [server, tokens, host, ws] = await Promise.all([startNotaryServer(), createTokenSet(['notary-root', 'notary-root-2']), bundleTokenHost(), Workspace.create()]);
    clientsDir = await mkdtemp(path.join(os.tmpdir(), 'keyrite-desk-notary-'));
    targetsKey = await ws.generateKey('targets', 'ecdsa-p256', ['--gun', GUN]);
    // The root key already sits on the token (generated at enrolment); its certificate does not yet.
    const client = new TokenClient({ launch: host.launch(tokens.env), modulePath: tokens.modulePath });
    try {
      await client.login(tokens.serials[0] as string, pin(tokens.pin));
      await client.generateKey({ tokenSerial: tokens.serials[0] as string, ckaId: '02', curve: 'P-256', label: 'notary root' });
    } finally {
      await client.close();
    }
    desk = deskFor(ws, tokens, host, { networkMode: 'online', onProgress: (event) => progress.push(event) });
  }, 90_000);

  afterAll(async () => {
    await desk?.close();
    await server?.stop();
    await host?.dispose();
    await tokens?.cleanup();
    await ws?.cleanup();
    if (clientsDir) await rm(clientsDir, { recursive: true, force: true });
  });

  async function publish(metadata: Record<string, Uint8Array>): Promise<void> {
    await publishNotary(metadata, { url: server.url, gun: GUN }, { poster: new PolicyHttpPoster(createNetworkPolicy('online')) });
  }

  it('pull in online mode writes a request bundle the desk previews; it never replaces a file; air-gapped refuses', async () => {
    const save = ws.path('req-init.bundle');
    const pulled = await desk.pull({ kind: 'notary', server: server.url, gun: GUN }, save);
    expect(pulled).toMatchObject({ displayPath: save, repository: GUN, dialect: 'notary-v1', rootVersion: 0 });
    expect(pulled.sha256).toBe(createHash('sha256').update(await readFile(save)).digest('hex'));
    const preview = await desk.previewRequest('pick-notary-01', save, save);
    expect(RequestPreview.safeParse(preview).success).toBe(true);
    expect(preview).toMatchObject({ dialect: 'notary-v1', repository: GUN, rootVersion: 0, roles: [], keys: [] });
    expect(preview.serverKeys.map((k) => k.role)).toContain('timestamp');
    await expect(desk.pull({ kind: 'notary', server: server.url, gun: GUN }, save)).rejects.toMatchObject({ name: 'RequestFileExistsError' });
    const offline = deskFor(ws, null, null);
    try {
      await expectRefusal(offline.pull({ kind: 'notary', server: server.url, gun: GUN }, ws.path('offline.bundle')), 'NetworkModeError', 'KEYRITE_NETWORK=online');
    } finally {
      await offline.close();
    }
  }, 60_000);

  it('init with the root key on the token: the certificate needs the PIN; then the notary client trusts the repository', async () => {
    const serial = tokens.serials[0] as string;
    const plan: PlanInput = { kind: 'init', rootKeys: [{ kind: 'token', tokenSerial: serial, ckaId: '02' }], rootThreshold: 1, targetsKeys: [{ kind: 'file', keyId: targetsKey.id }] };
    const requestPath = ws.path('req-init.bundle');
    const rootFile = await ws.generateKey('root', 'ecdsa-p256');
    await expectRefusal(desk.start({ requestPath, plan: { ...plan, rootKeys: [{ kind: 'file', keyId: rootFile.id }] } }), 'PassphraseNeededError', 'put the root key on a token');
    await expectRefusal(desk.start({ requestPath, plan }), 'PinNeededError', `The PIN of token ${serial} is needed`);
    expect(await desk.list()).toEqual([]);
    progress.splice(0);
    const { metadata } = await runCeremony(desk, { requestPath, plan, logins: loginsFor(tokens, [serial]) }, tokens, ws.path('init.bundle'));
    // The GUI hears the login and the certificate signature during start (before any ceremony id exists).
    expect(progress[0]).toEqual({ id: null, phase: 'working', tokenSerial: serial, message: `Logging in to token ${serial}…` });
    expect(progress).toContainEqual(expect.objectContaining({ id: null, phase: 'touch', tokenSerial: null }));
    const root = signedJson(metadata, 'root').signed as { keys: Record<string, { keytype: string; keyval: { public: string } }>; roles: { root: { keyids: string[] } } };
    rootKeyId = root.roles.root.keyids[0] as string;
    const rootKey = root.keys[rootKeyId];
    expect(rootKey?.keytype).toBe('ecdsa-x509');
    const cert = new X509Certificate(Buffer.from(rootKey?.keyval.public ?? '', 'base64'));
    expect(cert.subject).toBe(`CN=${GUN}`);
    expect(cert.verify(cert.publicKey)).toBe(true);
    await publish(metadata);
    const fresh = new NotaryClient(path.join(clientsDir, 'fresh-1'), server.url);
    expect((await fresh.run(['list', GUN])).stdout).toMatch(/No targets present in this repository/);
  }, 120_000);

  it('sign-targets with a picked file: the notary client lists it with its size and sha256', async () => {
    const file = ws.path('image.tar');
    await writeFile(file, ARTIFACT);
    const requestPath = ws.path('req-sign.bundle');
    await desk.pull({ kind: 'notary', server: server.url, gun: GUN }, requestPath);
    const plan: PlanInput = { kind: 'sign-targets', changes: [{ action: 'add', role: 'targets', path: 'v1.0', filePickId: 'pick-image-0001' }] };
    const { metadata } = await runCeremony(desk, { requestPath, plan, targetFiles: { 'pick-image-0001': file } }, tokens, ws.path('sign.bundle'));
    await publish(metadata);
    const fresh = new NotaryClient(path.join(clientsDir, 'fresh-2'), server.url);
    expect(await fresh.list(GUN)).toEqual([{ name: 'v1.0', digest: createHash('sha256').update(ARTIFACT).digest('hex'), size: ARTIFACT.length, role: 'targets' }]);
  }, 120_000);

  it('rotate-root to a key generated on a second token (PIN up front): both tokens sign; the client that cached the old root follows', async () => {
    const [t1, t2] = tokens.serials as [string, string];
    const requestPath = ws.path('req-root.bundle');
    await desk.pull({ kind: 'notary', server: server.url, gun: GUN }, requestPath);
    const plan: PlanInput = { kind: 'rotate-root', add: [{ kind: 'token-new', tokenSerial: t2, ckaId: '01' }], remove: [rootKeyId], threshold: 1 };
    const started = await desk.start({ requestPath, plan, logins: loginsFor(tokens, [t2]) });
    // Who signs is named by token serial: the old root's token and the new one.
    expect(started.pendingSigners.map((p) => p.tokenSerial).sort()).toEqual([t1, t2].sort());
    const { metadata } = await signAndExport(desk, started, tokens, ws.path('root.bundle'));
    const root = signedJson(metadata, 'root') as { signed: { version: number; roles: { root: { keyids: string[] } } }; signatures: { keyid: string }[] };
    expect(root.signed.version).toBe(2);
    expect(root.signed.roles.root.keyids).not.toContain(rootKeyId);
    expect(root.signatures.map((sig) => sig.keyid)).toEqual(expect.arrayContaining([rootKeyId, ...root.signed.roles.root.keyids]));
    await publish(metadata);
    const cachedOld = new NotaryClient(path.join(clientsDir, 'fresh-1'), server.url);
    expect((await cachedOld.list(GUN)).map((t) => t.name)).toEqual(['v1.0']);
  }, 120_000);
});

/**
 * Acceptance, Notary loop (issue 4), every step through `keyrite ceremony` and checked with the
 * real `notary` client against a real notary-server: pull → offline init (root on a SoftHSM token,
 * self-signed cert CN = GUN signed on the token) → publish → a fresh client trusts it → add-signer
 * alice → the client publishes alice's target into targets/releases → rotate the targets key →
 * rotate the root to a key on another token → a client that cached the OLD root still lists →
 * recover from alice's key compromise → her target is no longer trusted.
 */
import { generateKeyPairSync, X509Certificate } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { notaryKeyId } from '../../../electron/core/keys';
import { PolicyHttpGetter } from '../../../electron/core/net/http-fetch';
import { PolicyHttpPoster } from '../../../electron/core/net/http-post';
import { createNetworkPolicy } from '../../../electron/core/net/network-policy';
import { publishNotary, pullNotary } from '../../../electron/core/remote';
import { NotaryClient, notaryAvailable, startNotaryServer, type NotaryServer } from '../../support/notary';
import { bundleTokenHost, SOFTHSM_MISSING_REASON, type TokenHostBundle } from '../../support/softhsm';
import { expectOk, signedMetadata, Workspace } from './support/harness';
import { createTokenSet, type TokenSet } from './support/softhsm-tokens';

const GUN = 'example.com/keyrite/app';

describe.skipIf(!notaryAvailable() || SOFTHSM_MISSING_REASON !== null)('Notary ceremony loop with the real notary client and server', () => {
  let server: NotaryServer;
  let tokens: TokenSet;
  let host: TokenHostBundle;
  let ws: Workspace;
  let clientsDir: string;
  let watcher: NotaryClient; // bootstrapped at v1 and left alone: the "cached the OLD root" client
  let alice: { privatePath: string; publicPath: string; keyid: string };
  let targetsKey: { id: string };
  let targetsKey2: { id: string };
  let rootKeyId = '';

  beforeAll(async () => {
    server = await startNotaryServer();
    tokens = await createTokenSet(['root-1', 'root-2']);
    host = await bundleTokenHost();
    const launch = host.launch(tokens.env);
    ws = await Workspace.create({ SOFTHSM2_CONF: tokens.conf, KEYRITE_TOKEN_HOST: launch.entry, NODE_PATH: launch.env?.['NODE_PATH'], KEYRITE_PIN: tokens.pin, ...tokens.pinEnv });
    clientsDir = await mkdtemp(path.join(os.tmpdir(), 'keyrite-notary-clients-'));
    watcher = new NotaryClient(path.join(clientsDir, 'watcher'), server.url);
    targetsKey = await ws.generateKey('targets', 'ecdsa-p256', ['--gun', GUN]);
    targetsKey2 = await ws.generateKey('targets', 'ecdsa-p256', ['--gun', GUN]);
    const pair = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    alice = { privatePath: path.join(clientsDir, 'alice-key.pem'), publicPath: path.join(clientsDir, 'alice.pub'), keyid: notaryKeyId(pair.publicKey) };
    await writeFile(alice.privatePath, pair.privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
    await writeFile(alice.publicPath, pair.publicKey.export({ type: 'spki', format: 'pem' }));
  }, 60_000);

  afterAll(async () => {
    await server?.stop();
    await host?.dispose();
    await tokens?.cleanup();
    await ws?.cleanup();
    if (clientsDir) await rm(clientsDir, { recursive: true, force: true });
  });

  async function pull(name: string): Promise<string> {
    const state = await pullNotary({ url: server.url, gun: GUN }, { http: new PolicyHttpGetter(createNetworkPolicy('online')) });
    return ws.writeRequest(state, name);
  }

  async function ceremony(kind: string, request: string, args: string[], out: string): Promise<string> {
    expectOk(await ws.cli(['ceremony', kind, '--request', request, '--module', 'softhsm2', '--yes', '--out', ws.path(out), ...args]), `ceremony ${kind}`);
    return ws.path(out);
  }

  async function publish(bundle: string): Promise<void> {
    await publishNotary(await signedMetadata(bundle), { url: server.url, gun: GUN }, { poster: new PolicyHttpPoster(createNetworkPolicy('online')) });
  }

  it('offline init with the root key on a SoftHSM token; a fresh notary client trusts it', async () => {
    const [t1] = tokens.serials as [string, string];
    const bundle = await ceremony('init', await pull('req-init.bundle'), ['--root-key', `token-new:${t1}:01`, '--targets-key', `file:${targetsKey.id}`], 'init.bundle');
    const root = JSON.parse(Buffer.from((await signedMetadata(bundle))['root'] as Uint8Array).toString('utf8')) as { signed: { keys: Record<string, { keytype: string; keyval: { public: string } }>; roles: { root: { keyids: string[] } } } };
    rootKeyId = root.signed.roles.root.keyids[0] as string;
    const rootKey = root.signed.keys[rootKeyId];
    expect(rootKey?.keytype).toBe('ecdsa-x509');
    // Self-signed by the token key: CN = GUN, and the signature verifies with the certified key.
    const cert = new X509Certificate(Buffer.from(rootKey?.keyval.public ?? '', 'base64'));
    expect(cert.subject).toBe(`CN=${GUN}`);
    expect(cert.verify(cert.publicKey)).toBe(true);
    await publish(bundle);
    // TOFU: the client pins this root (its cert CN = GUN) and verifies the whole repository with it.
    expect((await watcher.run(['list', GUN])).stdout).toMatch(/No targets present in this repository/);
  }, 120_000);

  it('add-signer alice; the notary client publishes her target into targets/releases', async () => {
    await publish(await ceremony('add-signer', await pull('req-alice.bundle'), ['--name', 'alice', '--key', `pubkey:${alice.publicPath}`], 'alice.bundle'));
    const publisher = new NotaryClient(path.join(clientsDir, 'publisher'), server.url);
    await publisher.run(['key', 'import', alice.privatePath, '--role', 'targets/releases']);
    const file = path.join(clientsDir, 'alice-build');
    await writeFile(file, 'built by alice\n');
    await publisher.run(['add', GUN, 'alice-build', file, '--roles', 'targets/releases']);
    await publisher.run(['publish', GUN]);
    const fresh = new NotaryClient(path.join(clientsDir, 'fresh-1'), server.url);
    expect(await fresh.list(GUN)).toEqual([expect.objectContaining({ name: 'alice-build', role: 'targets/releases' })]);
    expect((await fresh.delegations(GUN)).get('targets/releases')).toContain(alice.keyid);
  }, 120_000);

  it('rotates the targets key; alice\'s target stays trusted', async () => {
    await publish(await ceremony('rotate-key', await pull('req-targets.bundle'), ['--role', 'targets', '--key', `file:${targetsKey2.id}`], 'targets.bundle'));
    const fresh = new NotaryClient(path.join(clientsDir, 'fresh-2'), server.url);
    expect((await fresh.list(GUN)).map((t) => t.name)).toEqual(['alice-build']);
  }, 120_000);

  it('rotates the root to a key on another token; the client that cached the old root still lists', async () => {
    const [, t2] = tokens.serials as [string, string];
    const bundle = await ceremony('rotate-root', await pull('req-root.bundle'), ['--add-key', `token-new:${t2}:01`, '--remove-key', rootKeyId], 'root.bundle');
    const root = JSON.parse(Buffer.from((await signedMetadata(bundle))['root'] as Uint8Array).toString('utf8')) as { signed: { version: number; roles: { root: { keyids: string[] } } }; signatures: { keyid: string }[] };
    // Signed by the old root key (token 1) and the new one (token 2): both thresholds.
    expect(root.signed.roles.root.keyids).not.toContain(rootKeyId);
    expect(root.signatures.map((s) => s.keyid)).toEqual(expect.arrayContaining([rootKeyId, ...root.signed.roles.root.keyids]));
    await publish(bundle);
    expect((await watcher.list(GUN)).map((t) => t.name)).toEqual(['alice-build']);
    const cached = JSON.parse(await readFile(path.join(watcher.trustDir, 'tuf', ...GUN.split('/'), 'metadata', 'root.json'), 'utf8')) as { signed: { version: number } };
    expect(cached.signed.version).toBe(root.signed.version);
  }, 120_000);

  it('recovers from alice\'s key compromise: her target is no longer trusted', async () => {
    const request = await pull('req-recover.bundle');
    const run = expectOk(await ws.cli(['ceremony', 'recover', '--request', request, '--module', 'softhsm2', '--yes', '--out', ws.path('recover.bundle'), '--compromised', alice.keyid]), 'ceremony recover');
    expect(run.stdout).toMatch(/Impact of the compromised \/ lost keys:[\s\S]*targets\/releases/);
    expect(run.stdout).toMatch(/AN ATTACKER CAN SIGN IT/);
    await publish(ws.path('recover.bundle'));
    expect((await watcher.run(['list', GUN])).stdout).toMatch(/No targets present in this repository/);
    const fresh = new NotaryClient(path.join(clientsDir, 'fresh-3'), server.url);
    expect((await fresh.run(['list', GUN])).stdout).toMatch(/No targets present in this repository/);
  }, 120_000);
});

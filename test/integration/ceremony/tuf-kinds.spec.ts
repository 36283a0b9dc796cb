/**
 * The other ceremony kinds on a TUF repository, each published and checked with tuf-js and
 * securesystemslib: add-signer (a delegation with paths, its first metadata signed by the new
 * key), sign-targets (the request's target changes), refresh (new version and expiry), and
 * remove-signer (the delegation's target is no longer trusted).
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { publishTufDir } from '../../../electron/core/publish';
import { serveDir, type TestServer } from '../../support/serve-dir';
import { expectOk, signedMetadata, Workspace } from './support/harness';
import { pullDir, sslibVerify, TufJsClient } from './support/tuf-client';

const ARTIFACT = Buffer.from('release 1.0 by alice\n');
const TARGET = 'releases/app-1.0.tgz';

describe('TUF ceremonies: add-signer, sign-targets, refresh, remove-signer', () => {
  let ws: Workspace;
  let server: TestServer;
  let repoDir: string;
  let client: TufJsClient;
  const k: Record<string, { id: string; tuf: string }> = {};

  beforeAll(async () => {
    ws = await Workspace.create();
    repoDir = ws.path('repo');
    server = await serveDir(repoDir);
    for (const role of ['root', 'targets', 'snapshot', 'timestamp', 'alice']) k[role] = await ws.generateKey(role === 'alice' ? 'targets/alice' : role);
  }, 60_000);

  afterAll(async () => {
    await server?.close();
    await ws?.cleanup();
  });

  async function step(kind: string, args: string[], name: string, targetChanges?: unknown[]): Promise<void> {
    const state = await pullDir(repoDir);
    const request = await ws.writeRequest(targetChanges ? { ...state, targetChanges: targetChanges as never } : state, `req-${name}.bundle`);
    expectOk(await ws.cli(['ceremony', kind, '--request', request, '--yes', '--out', ws.path(`${name}.bundle`), ...args]), `ceremony ${kind}`);
    const online = [await ws.privateKey(k['snapshot']!.id), await ws.privateKey(k['timestamp']!.id)];
    await publishTufDir(await signedMetadata(ws.path(`${name}.bundle`)), repoDir, { onlineKeys: online });
    const verdict = await sslibVerify(repoDir);
    expect(verdict, JSON.stringify(verdict)).toMatchObject({ ok: true });
  }

  it('init, then add-signer alice for releases/*', async () => {
    await step('init', ['--root-key', `file:${k['root']!.id}`, '--targets-key', `file:${k['targets']!.id}`, '--snapshot-key', `file:${k['snapshot']!.id}`, '--timestamp-key', `file:${k['timestamp']!.id}`], 'init');
    client = await TufJsClient.bootstrap(repoDir);
    await step('add-signer', ['--name', 'alice', '--key', `file:${k['alice']!.id}`, '--paths', 'releases/*'], 'alice');
    expect((await client.refresh(server.url)).targetsVersion).toBe(2);
  }, 120_000);

  it('sign-targets: alice signs the requested target; tuf-js trusts it through the delegation', async () => {
    const change = { role: 'alice', action: 'add', path: TARGET, length: ARTIFACT.length, hashes: { sha256: createHash('sha256').update(ARTIFACT).digest('hex') } };
    await step('sign-targets', [], 'sign', [change]);
    expect(await client.targetLength(server.url, TARGET)).toBe(ARTIFACT.length);
  }, 120_000);

  it('refresh re-signs targets with a new version and expiry', async () => {
    await step('refresh', ['--role', 'targets', '--expires', 'targets=60d'], 'refresh');
    expect((await client.refresh(server.url)).targetsVersion).toBe(3);
  }, 120_000);

  it('remove-signer alice: her target is no longer trusted', async () => {
    await step('remove-signer', ['--name', 'alice'], 'remove');
    expect(await client.targetLength(server.url, TARGET)).toBeNull();
  }, 120_000);
});

/**
 * Acceptance, TUF loop (issue 4): init 1-of-1 (software keys) → rotate-root to 2-of-3 on three
 * SoftHSM tokens (two sittings) → remove one root key → targets key rotation. Every step runs
 * through `keyrite ceremony`, is published with the TUF dir writer, and the real tuf-js client
 * updates through it from 1.root.json while securesystemslib verifies every signature.
 */
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { publishTufDir } from '../../../electron/core/publish';
import { serveDir, type TestServer } from '../../support/serve-dir';
import { bundleTokenHost, SOFTHSM_MISSING_REASON, type TokenHostBundle } from '../../support/softhsm';
import { expectOk, signedMetadata, Workspace } from './support/harness';
import { createTokenSet, type TokenSet } from './support/softhsm-tokens';
import { pullDir, sslibVerify, TufJsClient } from './support/tuf-client';

const SSLIB_MISSING = existsSync('/usr/bin/python3') ? null : '/usr/bin/python3 (python3-securesystemslib) is not installed';

describe.skipIf(SOFTHSM_MISSING_REASON !== null || SSLIB_MISSING !== null)('TUF ceremony loop with tuf-js and securesystemslib', () => {
  let tokens: TokenSet;
  let host: TokenHostBundle;
  let ws: Workspace;
  let server: TestServer;
  let repoDir: string;
  let client: TufJsClient;
  const keys: Record<string, { id: string; tuf: string }> = {};

  beforeAll(async () => {
    tokens = await createTokenSet(['root-a', 'root-b', 'root-c']);
    host = await bundleTokenHost();
    const launch = host.launch(tokens.env);
    ws = await Workspace.create({ SOFTHSM2_CONF: tokens.conf, KEYRITE_TOKEN_HOST: launch.entry, NODE_PATH: launch.env?.['NODE_PATH'], KEYRITE_PIN: tokens.pin, ...tokens.pinEnv });
    repoDir = ws.path('repo');
    server = await serveDir(repoDir);
    for (const role of ['root', 'targets', 'snapshot', 'timestamp']) keys[role] = await ws.generateKey(role);
    keys['targets2'] = await ws.generateKey('targets');
  }, 60_000);

  afterAll(async () => {
    await server?.close();
    await host?.dispose();
    await tokens?.cleanup();
    await ws?.cleanup();
  });

  async function publish(bundle: string): Promise<void> {
    const online = [await ws.privateKey(keys['snapshot']!.id), await ws.privateKey(keys['timestamp']!.id)];
    await publishTufDir(await signedMetadata(bundle), repoDir, { onlineKeys: online });
    const verdict = await sslibVerify(repoDir);
    expect(verdict, JSON.stringify(verdict)).toMatchObject({ ok: true });
  }

  async function ceremonyId(kind: string): Promise<string> {
    const list = JSON.parse(expectOk(await ws.cli(['ceremony', 'status', '--json']), 'status').stdout) as { id: string; kind: string }[];
    const found = list.filter((c) => c.kind === kind).at(-1);
    if (!found) throw new Error(`no ${kind} ceremony`);
    return found.id;
  }

  it('init 1-of-1 with software keys: tuf-js bootstraps from 1.root.json', async () => {
    const request = await ws.writeRequest(await pullDir(repoDir), 'req-init.bundle');
    const run = await ws.cli([
      'ceremony', 'init', '--request', request, '--module', 'softhsm2',
      '--root-key', `file:${keys['root']!.id}`, '--targets-key', `file:${keys['targets']!.id}`,
      '--snapshot-key', `file:${keys['snapshot']!.id}`, '--timestamp-key', `file:${keys['timestamp']!.id}`,
      '--online-roles', 'snapshot,timestamp', '--yes', '--out', ws.path('init.bundle'),
    ]);
    expectOk(run, 'ceremony init');
    expect(run.stdout).toMatch(/Signed bundle written to/);
    expect(run.stdout).toMatch(/Journal head: [0-9a-f]{64}/);
    await publish(ws.path('init.bundle'));
    client = await TufJsClient.bootstrap(repoDir);
    expect(await client.refresh(server.url)).toEqual({ rootVersion: 1, targetsVersion: 1 });
  }, 60_000);

  it('rotate-root to 2-of-3 on three SoftHSM tokens, signed over two sittings', async () => {
    const [a, b, c] = tokens.serials as [string, string, string];
    const request = await ws.writeRequest(await pullDir(repoDir), 'req-rotate.bundle');
    const first = await ws.cli([
      'ceremony', 'rotate-root', '--request', request, '--module', 'softhsm2',
      '--add-key', `token-new:${a}:01`, '--add-key', `token-new:${b}:01`, '--add-key', `token-new:${c}:01`,
      '--remove-key', keys['root']!.tuf, '--threshold', '2',
      '--sign-with', `file:${keys['root']!.id}`, '--sign-with', `token:${a}:01`, '--yes',
    ]);
    // The old root key and one token signed; the new root still needs a second token.
    expect(first.code, first.stderr).toBe(1);
    expect(first.stdout).toMatch(/root: threshold 1 → 2|threshold/);
    expect(first.stdout).toMatch(new RegExp(`can still sign: .*token ${b}`));
    expect(first.stderr).toMatch(new RegExp(`signed root v2 with token ${a} key 01 \\(verified\\)`));
    const id = await ceremonyId('rotate-root');
    // A later sitting passes its own "Yes" gate (review F10).
    const second = await ws.cli(['ceremony', 'resume', id, '--yes', '--module', 'softhsm2', '--sign-with', `token:${b}:01`, '--out', ws.path('rotate.bundle')]);
    expectOk(second, 'ceremony resume');
    await publish(ws.path('rotate.bundle'));
    expect((await client.refresh(server.url)).rootVersion).toBe(2);
  }, 120_000);

  it('removes one root key (2-of-2 left): old threshold 2-of-3 and new 2-of-2 both met', async () => {
    const [, , c] = tokens.serials as [string, string, string];
    const status = JSON.parse(expectOk(await ws.cli(['ceremony', 'status', await ceremonyId('rotate-root'), '--json']), 'status').stdout) as { proposal: { keys: { keyid: string; tokenSerial?: string }[] } };
    const removed = status.proposal.keys.find((k) => k.tokenSerial === c)?.keyid;
    expect(removed).toMatch(/^[0-9a-f]{64}$/);
    const request = await ws.writeRequest(await pullDir(repoDir), 'req-remove.bundle');
    const run = await ws.cli(['ceremony', 'rotate-root', '--request', request, '--module', 'softhsm2', '--remove-key', removed!, '--yes', '--out', ws.path('remove.bundle')]);
    expectOk(run, 'ceremony rotate-root --remove-key');
    await publish(ws.path('remove.bundle'));
    expect((await client.refresh(server.url)).rootVersion).toBe(3);
  }, 120_000);

  it('rotates the targets key; a fresh tuf-js client walks 1 → 4 and securesystemslib verifies the chain', async () => {
    const request = await ws.writeRequest(await pullDir(repoDir), 'req-targets.bundle');
    const run = await ws.cli(['ceremony', 'rotate-key', '--request', request, '--module', 'softhsm2', '--role', 'targets', '--key', `file:${keys['targets2']!.id}`, '--yes', '--out', ws.path('targets.bundle')]);
    expectOk(run, 'ceremony rotate-key');
    await publish(ws.path('targets.bundle'));
    expect(await client.refresh(server.url)).toEqual({ rootVersion: 4, targetsVersion: 2 });
    const fresh = await TufJsClient.bootstrap(repoDir);
    expect(await fresh.refresh(server.url)).toEqual({ rootVersion: 4, targetsVersion: 2 });
  }, 120_000);
});

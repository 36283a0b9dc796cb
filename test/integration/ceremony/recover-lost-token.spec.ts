/**
 * Issue 4 / review F13: "a lost token" is a first-class recover input. `keyrite ceremony recover
 * --lost-token SERIAL` marks lost every key of the repository that the inventory knows on that
 * token (here two of a 2-of-3 root on one SoftHSM token), so the impact says the root threshold can
 * no longer be met; a token the inventory knows nothing about is refused with what to do instead.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { publishTufDir } from '../../../electron/core/publish';
import { bundleTokenHost, SOFTHSM_MISSING_REASON, type TokenHostBundle } from '../../support/softhsm';
import { expectOk, signedMetadata, Workspace } from './support/harness';
import { createTokenSet, type TokenSet } from './support/softhsm-tokens';
import { pullDir } from './support/tuf-client';

describe.skipIf(SOFTHSM_MISSING_REASON !== null)('recover --lost-token SERIAL', () => {
  let tokens: TokenSet;
  let host: TokenHostBundle;
  let ws: Workspace;
  let repoDir: string;
  const k: Record<string, { id: string; tuf: string }> = {};

  beforeAll(async () => {
    tokens = await createTokenSet(['root-a', 'root-b']);
    host = await bundleTokenHost();
    const launch = host.launch(tokens.env);
    ws = await Workspace.create({ SOFTHSM2_CONF: tokens.conf, KEYRITE_TOKEN_HOST: launch.entry, NODE_PATH: launch.env?.['NODE_PATH'], KEYRITE_PIN: tokens.pin, ...tokens.pinEnv });
    repoDir = ws.path('repo');
    for (const role of ['targets', 'snapshot', 'timestamp']) k[role] = await ws.generateKey(role);
  }, 60_000);

  afterAll(async () => {
    await host?.dispose();
    await tokens?.cleanup();
    await ws?.cleanup();
  });

  it('a 2-of-3 root with two keys on one token: --lost-token marks both lost; an unknown token is refused', async () => {
    const [a, b] = tokens.serials as [string, string];
    const init = ws.path('init.bundle');
    expectOk(
      await ws.cli([
        'ceremony', 'init', '--request', await ws.writeRequest(await pullDir(repoDir), 'req-init.bundle'), '--module', 'softhsm2', '--yes', '--out', init,
        '--root-key', `token-new:${a}:01`, '--root-key', `token-new:${a}:02`, '--root-key', `token-new:${b}:01`, '--threshold', '2',
        '--targets-key', `file:${k['targets']!.id}`, '--snapshot-key', `file:${k['snapshot']!.id}`, '--timestamp-key', `file:${k['timestamp']!.id}`,
      ]),
      'ceremony init',
    );
    await publishTufDir(await signedMetadata(init), repoDir, { onlineKeys: [await ws.privateKey(k['snapshot']!.id), await ws.privateKey(k['timestamp']!.id)] });
    const root = JSON.parse(Buffer.from((await signedMetadata(init))['root']!).toString('utf8')) as { signed: { roles: { root: { keyids: string[] } } } };
    expect(root.signed.roles.root.keyids).toHaveLength(3);
    const request = await ws.writeRequest(await pullDir(repoDir), 'req-recover.bundle');

    const unknown = await ws.cli(['ceremony', 'recover', '--request', request, '--module', 'softhsm2', '--no-sign', '--yes', '--lost-token', '99999999']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/the key inventory knows no key on token 99999999/);

    const run = await ws.cli(['ceremony', 'recover', '--request', request, '--module', 'softhsm2', '--no-sign', '--yes', '--lost-token', a, '--json']);
    expect(run.stderr).toMatch(new RegExp(`lost token ${a}: 2 key\\(s\\) of \\S+ marked lost`));
    expect(run.stderr).toMatch(/ceremony recover-\S+ started/);
    const view = JSON.parse(run.stdout) as { id: string };
    const status = JSON.parse(expectOk(await ws.cli(['ceremony', 'status', view.id, '--json']), 'status').stdout) as { proposal: { keys: { keyid: string; tokenSerial?: string }[] } };
    const onA = status.proposal.keys.filter((key) => key.tokenSerial === a).map((key) => key.keyid);
    expect(onA).toHaveLength(2);
    // The impact (printed without --json) names both keys of token a as lost: 1 of 3 left for a threshold of 2.
    const text = await ws.cli(['ceremony', 'resume', view.id, '--module', 'softhsm2', '--no-sign']);
    expect(text.stdout).toMatch(/root \(delegated by root\): threshold 2 of 3; 0 compromised, 2 lost, 1 left — the threshold can no longer be met/);
  }, 180_000);
});

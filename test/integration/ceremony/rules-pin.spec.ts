/**
 * review F18 / F15a through the real CLI and SoftHSM tokens: ceremony token logins go through the
 * PIN guard — a factory-default PIN is refused before anything is sent, KEYRITE_PIN serves one
 * token per run (the next token needs KEYRITE_PIN_<SERIAL>), a wrong PIN reports the token state.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { bundleTokenHost, SOFTHSM_MISSING_REASON, type TokenHostBundle } from '../../support/softhsm';
import { expectOk, Workspace } from './support/harness';
import { createTokenSet, type TokenSet } from './support/softhsm-tokens';
import { pullDir } from './support/tuf-client';

describe.skipIf(SOFTHSM_MISSING_REASON !== null)('ceremony token logins go through the PIN guard (SoftHSM, CLI)', () => {
  let host: TokenHostBundle;
  const cleanups: (() => Promise<void>)[] = [];

  beforeAll(async () => {
    host = await bundleTokenHost();
  }, 60_000);

  afterAll(async () => {
    for (const c of cleanups.reverse()) await c();
    await host?.dispose();
  });

  async function setup(labels: string[], pin: string, env: (t: TokenSet) => Record<string, string>): Promise<{ ws: Workspace; tokens: TokenSet; keys: Record<string, string> }> {
    const tokens = await createTokenSet(labels, pin);
    const launch = host.launch(tokens.env);
    const ws = await Workspace.create({ SOFTHSM2_CONF: tokens.conf, KEYRITE_TOKEN_HOST: launch.entry, NODE_PATH: launch.env?.['NODE_PATH'], ...env(tokens) });
    cleanups.push(() => tokens.cleanup(), () => ws.cleanup());
    const keys: Record<string, string> = {};
    for (const role of ['targets', 'snapshot', 'timestamp']) keys[role] = (await ws.generateKey(role)).id;
    return { ws, tokens, keys };
  }

  function initArgs(request: string, keys: Record<string, string>, rootKeys: string[]): string[] {
    return [
      'ceremony', 'init', '--request', request, '--module', 'softhsm2', '--yes',
      ...rootKeys.flatMap((k) => ['--root-key', k]),
      '--targets-key', `file:${keys['targets']}`, '--snapshot-key', `file:${keys['snapshot']}`, '--timestamp-key', `file:${keys['timestamp']}`,
    ];
  }

  it('a token with the factory-default PIN 123456 is refused for a ceremony root key; nothing is generated on it', async () => {
    const { ws, tokens, keys } = await setup(['factory'], '123456', (t) => ({ KEYRITE_PIN: t.pin }));
    const serial = tokens.serials[0]!;
    const request = await ws.writeRequest(await pullDir(ws.path('repo')), 'req.bundle');
    const run = await ws.cli(initArgs(request, keys, [`token-new:${serial}:01`]));
    expect(run.code, run.stdout).toBe(1);
    expect(run.stderr).toMatch(new RegExp(`token ${serial} \\(factory\\) still has a factory-default PIN \\(123456, from \\$KEYRITE_PIN\\); ceremonies refuse it`));
    const listed = await ws.cli(['token', 'list', '--module', 'softhsm2', '--json']);
    expect(listed.stdout).not.toMatch(/"ckaId": "01"/);
    const status = JSON.parse(expectOk(await ws.cli(['ceremony', 'status', '--json']), 'status').stdout) as { phase: string }[];
    // nothing was proposed or signed: the ceremony stops before its first key act
    expect(status.map((s) => s.phase)).not.toContain('proposed');
    expect(status.map((s) => s.phase)).not.toContain('signing');
  }, 120_000);

  it('KEYRITE_PIN is used for one token only; the second token needs KEYRITE_PIN_<SERIAL>; a wrong one names the token state', async () => {
    const { ws, tokens, keys } = await setup(['officer-a', 'officer-b'], '246810', (t) => ({ KEYRITE_PIN: t.pin }));
    const [a, b] = tokens.serials as [string, string];
    const request = await ws.writeRequest(await pullDir(ws.path('repo')), 'req.bundle');
    const first = await ws.cli([...initArgs(request, keys, [`token-new:${a}:01`, `token-new:${b}:01`]), '--ceremony-id', 'two-tokens']);
    expect(first.code, first.stdout).toBe(1);
    expect(first.stderr).toMatch(new RegExp(`\\$KEYRITE_PIN was already used for token ${a}; one PIN is never tried on several tokens.*set KEYRITE_PIN_${b}`));

    const wrong = await ws.cli(['ceremony', 'resume', 'two-tokens', '--module', 'softhsm2', '--yes'], { KEYRITE_PIN: undefined, [`KEYRITE_PIN_${a}`]: tokens.pin, [`KEYRITE_PIN_${b}`]: '999999' });
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toMatch(new RegExp(`Wrong PIN for token ${b} \\(it came from \\$KEYRITE_PIN_${b}\\)\\..*PIN tries: .*Nothing was signed`));

    const ok = await ws.cli(['ceremony', 'resume', 'two-tokens', '--module', 'softhsm2', '--yes', '--out', ws.path('init.bundle')], { KEYRITE_PIN: undefined, ...tokens.pinEnv });
    expectOk(ok, 'resume with a PIN per token');
    expect(ok.stdout).toMatch(/Signed bundle written to/);
  }, 120_000);
});

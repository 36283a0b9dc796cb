/**
 * `keyrite token list` as a real process (CLI and token host bundled as scripts/build.mjs does)
 * against a fresh SoftHSM2 token, plus how the CLI finds its token host.
 */
import { promises as fsp } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { PinIncorrectError } from '../../shared/token/errors';
import { tokenHostLaunch } from '../../electron/cli/token-host-launch';
import { InventoryStore, tokenKeyRecord } from '../../electron/core/inventory';
import { TokenClient } from '../../electron/core/tokens/token-client';
import { bundleCli } from '../support/bundle-cli';
import { run, type RunResult } from '../support/processes';
import { createSoftHsmToken, pinBytes, SOFTHSM_MISSING_REASON, type SoftHsmToken } from '../support/softhsm';

const repoRoot = path.resolve(__dirname, '../..');
const cliEntry = path.join(repoRoot, 'electron/cli/index.ts');
if (SOFTHSM_MISSING_REASON) console.warn(`cli-token.spec: skipped, ${SOFTHSM_MISSING_REASON}`);

describe('token host resolution for the CLI', () => {
  let tmp: string;
  beforeAll(async () => {
    tmp = await fsp.mkdtemp(path.join(os.tmpdir(), 'keyrite-cli-host-'));
  });
  afterAll(async () => {
    await fsp.rm(tmp, { recursive: true, force: true });
  });

  it('uses dist/token-host/index.cjs next to the bundled CLI (dist/cli/index.cjs), KEYRITE_TOKEN_HOST first', async () => {
    await fsp.mkdir(path.join(tmp, 'dist/cli'), { recursive: true });
    await fsp.mkdir(path.join(tmp, 'dist/token-host'), { recursive: true });
    await fsp.writeFile(path.join(tmp, 'dist/cli/index.cjs'), '');
    await fsp.writeFile(path.join(tmp, 'dist/token-host/index.cjs'), '');
    const launch = tokenHostLaunch({}, path.join(tmp, 'dist/cli/index.cjs'));
    expect(launch.entry).toBe(path.join(tmp, 'dist/token-host/index.cjs'));
    expect(launch.execArgv).toEqual([]);
    expect(tokenHostLaunch({ KEYRITE_TOKEN_HOST: '/opt/host.cjs' }, path.join(tmp, 'dist/cli/index.cjs')).entry).toBe('/opt/host.cjs');
  });

  it('run from source, falls back to the built host or the .ts entry through tsx', () => {
    const launch = tokenHostLaunch({}, cliEntry);
    expect([path.join(repoRoot, 'dist/token-host/index.cjs'), path.join(repoRoot, 'electron/token-host/index.ts')]).toContain(launch.entry);
    if (launch.entry.endsWith('.ts')) expect(launch.execArgv).toEqual(['--import', 'tsx']);
  });
});

describe.skipIf(SOFTHSM_MISSING_REASON !== null)('keyrite token list (SoftHSM2, bundled CLI as a real process)', () => {
  let appDir: string;
  let cliBundle: string;
  let token: SoftHsmToken;
  beforeAll(async () => {
    appDir = await fsp.mkdtemp(path.join(os.tmpdir(), 'keyrite-cli-token-'));
    cliBundle = await bundleCli(appDir);
  });
  afterAll(async () => {
    await fsp.rm(appDir, { recursive: true, force: true });
  });
  beforeEach(async () => {
    token = await createSoftHsmToken({ label: 'cli-token' });
  });
  afterEach(async () => {
    await token.cleanup();
    await fsp.rm(path.join(appDir, 'workspace'), { recursive: true, force: true });
  });

  /** pkcs11js is external to the host bundle (a native module): found through NODE_PATH, as in the app's node_modules. */
  const hostEnv = (): NodeJS.ProcessEnv => ({ ...token.env, NODE_PATH: path.join(repoRoot, 'node_modules') });

  function tokenList(args: string[]): Promise<RunResult> {
    // No KEYRITE_TOKEN_HOST: the CLI finds dist/token-host/index.cjs next to dist/cli as in the product.
    return run(process.execPath, [cliBundle, 'token', 'list', '--workspace', path.join(appDir, 'workspace'), ...args], { cwd: repoRoot, env: hostEnv() });
  }

  it('shows the fresh token with its PIN state and no keys, then its key and a low PIN count after a wrong PIN', async () => {
    const empty = await tokenList(['--module', token.modulePath]);
    expect(empty.stderr).toBe('');
    expect(empty.code).toBe(0);
    expect(empty.stdout).toContain(`Token cli-token (serial ${token.serial})`);
    expect(empty.stdout).toContain('PIN: ok');
    expect(empty.stdout).toContain('keys: none');

    const client = new TokenClient({ launch: { entry: path.join(appDir, 'dist/token-host/index.cjs'), env: hostEnv() }, modulePath: token.modulePath });
    let keyIds: { notary: string; tuf: string };
    try {
      await client.login(token.serial, pinBytes(token.pin));
      const key = await client.generateKey({ tokenSerial: token.serial, ckaId: '02', curve: 'P-256', label: 'root' });
      keyIds = key.keyIds;
      // Recorded in the workspace inventory as the GUI's enrol wizard does: the listing names its role and holder.
      await InventoryStore.forWorkspace(path.join(appDir, 'workspace')).upsert(tokenKeyRecord(key, token.label, { roles: ['root'], gun: null, holder: 'officer 1' }));
      await client.logout(token.serial);
      await expect(client.login(token.serial, pinBytes('000000'))).rejects.toBeInstanceOf(PinIncorrectError);
    } finally {
      await client.close();
    }

    const json = await tokenList(['--module', 'softhsm2', '--json']);
    expect(json.stderr).toBe('');
    expect(json.code).toBe(0);
    const parsed = JSON.parse(json.stdout) as { module: string; tokens: Array<{ serial: string; pinState: string; keys: Array<{ ckaId: string; curve: string; keyIds: unknown; inventory: unknown }> }> };
    expect(parsed.tokens).toHaveLength(1);
    expect(parsed.tokens[0]).toMatchObject({ serial: token.serial, pinState: 'count-low' });
    expect(parsed.tokens[0]?.keys).toEqual([expect.objectContaining({ ckaId: '02', curve: 'P-256', keyIds })]);
    expect(parsed.tokens[0]?.keys[0]?.inventory).toMatchObject({ roles: ['root'], holder: 'officer 1', location: { kind: 'token', tokenSerial: token.serial, ckaId: '02' } });

    const text = await tokenList(['--module', token.modulePath]);
    expect(text.stdout).toContain('PIN: COUNT LOW');
    expect(text.stdout).toContain(keyIds.notary.slice(0, 12));
    expect(text.stdout).toContain('root held by officer 1');
  });

  it('exits 2 with a clear message for a module path that does not load', async () => {
    const result = await tokenList(['--module', '/nonexistent/libpkcs11.so']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^keyrite: error: .*\/nonexistent\/libpkcs11\.so/m);
  });
});

/**
 * SoftHSM2 tokens for integration tests: a fresh SOFTHSM2_CONF and token directory per test
 * (mkdtemp), initialised with softhsm2-util, and a TokenClient whose token host is the real
 * electron/token-host entry, bundled once per spec file with esbuild (as scripts/build.mjs does).
 * `node --import tsx` on the .ts entry also works for child_process.fork on Node 20, but costs
 * about 1.7 s per host start against ~50 ms for the bundle.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

import * as esbuild from 'esbuild';

import type { TokenHostLaunch } from '../../electron/core/tokens/host-process';
import { TokenClient, type TokenClientOptions } from '../../electron/core/tokens/token-client';

const execFileAsync = promisify(execFile);

export const SOFTHSM2_MODULE = process.env['SOFTHSM2_MODULE'] ?? '/usr/lib/softhsm/libsofthsm2.so';
/** Tests skip (saying why) only when SoftHSM2 is not installed. */
export const SOFTHSM_MISSING_REASON = existsSync(SOFTHSM2_MODULE) ? null : `SoftHSM2 module not found at ${SOFTHSM2_MODULE} (apt-get install softhsm2)`;

const repoRoot = path.resolve(import.meta.dirname, '../..');
export const TOKEN_HOST_ENTRY = path.join(repoRoot, 'electron/token-host/index.ts');

export interface SoftHsmToken {
  label: string;
  pin: string;
  soPin: string;
  serial: string;
  modulePath: string;
  /** The token directory; deleting it is how a test "removes" the token. */
  tokenDir: string;
  /** Environment for processes that must see this token (SOFTHSM2_CONF set). */
  env: NodeJS.ProcessEnv;
  /** Deletes the token directory: SoftHSM then reports the token as unreadable. */
  removeToken(): Promise<void>;
  cleanup(): Promise<void>;
}

export async function createSoftHsmToken(options: { label?: string; pin?: string; soPin?: string } = {}): Promise<SoftHsmToken> {
  const { label = 'keyrite-test', pin = '123456', soPin = '87654321' } = options;
  const dir = await mkdtemp(path.join(os.tmpdir(), 'keyrite-softhsm-'));
  const tokenDir = path.join(dir, 'tokens');
  await mkdir(tokenDir);
  const conf = path.join(dir, 'softhsm2.conf');
  await writeFile(conf, `directories.tokendir = ${tokenDir}\nobjectstore.backend = file\nlog.level = ERROR\nslots.removable = false\n`);
  const env = { ...process.env, SOFTHSM2_CONF: conf };
  await execFileAsync('softhsm2-util', ['--init-token', '--free', '--label', label, '--pin', pin, '--so-pin', soPin], { env });
  const { stdout } = await execFileAsync('softhsm2-util', ['--show-slots'], { env });
  const serial = /Serial number:\s+([0-9a-f]+)/.exec(stdout.split(`Label:            ${label}`)[0]?.split('Slot ').pop() ?? '')?.[1];
  if (!serial) throw new Error(`cannot read the serial of SoftHSM token "${label}" from:\n${stdout}`);
  return {
    label,
    pin,
    soPin,
    serial,
    modulePath: SOFTHSM2_MODULE,
    tokenDir,
    env,
    removeToken: () => rm(tokenDir, { recursive: true, force: true }),
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
}

export interface TokenHostBundle {
  /** Launch settings for a host that sees `env` (e.g. a token's SOFTHSM2_CONF). */
  launch(env: NodeJS.ProcessEnv): TokenHostLaunch;
  dispose(): Promise<void>;
}

/** Bundles electron/token-host to a temp .cjs (pkcs11js stays external, found via NODE_PATH). */
export async function bundleTokenHost(): Promise<TokenHostBundle> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'keyrite-token-host-'));
  const entry = path.join(dir, 'token-host.cjs');
  await esbuild.build({
    absWorkingDir: repoRoot,
    entryPoints: [TOKEN_HOST_ENTRY],
    outfile: entry,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['pkcs11js'],
    logLevel: 'silent',
  });
  const nodePath = path.join(repoRoot, 'node_modules');
  return {
    launch: (env) => ({ entry, execArgv: [], env: { ...env, NODE_PATH: nodePath } }),
    dispose: () => rm(dir, { recursive: true, force: true }),
  };
}

/** A TokenClient whose host sees `token` (its own process; close it in afterEach). */
export function softHsmClient(bundle: TokenHostBundle, token: SoftHsmToken, options: Partial<TokenClientOptions> = {}): TokenClient {
  return new TokenClient({ launch: bundle.launch(token.env), modulePath: token.modulePath, ...options });
}

export const pinBytes = (pin: string): Uint8Array => new TextEncoder().encode(pin);

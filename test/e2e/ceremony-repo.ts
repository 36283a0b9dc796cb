/**
 * Test setup for the ceremony e2e specs: two SoftHSM tokens behind one SOFTHSM2_CONF, a root key
 * on each (holders Alice and Bob, recorded in the workspace inventory), and a TUF repository
 * initialised through the engine (the `keyrite` CLI in-process on the GUI's workspace) with root
 * 1-of-1 on token A, published to a directory and pulled into a request bundle.
 */
import type { KeyObject } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

import { readBundleFile, writeBundleFile } from '../../electron/core/bundles';
import { findKeyFile } from '../../electron/core/ceremonies';
import { KeyStore } from '../../electron/core/keys';
import { publishTufDir } from '../../electron/core/publish';
import { pullTuf } from '../../electron/core/remote';
import { PolicyHttpGetter } from '../../electron/core/net/http-fetch';
import { createNetworkPolicy } from '../../electron/core/net/network-policy';
import type { TokenHostBundle } from '../support/softhsm';
import { createTokenSet, type TokenSet } from '../integration/ceremony/support/softhsm-tokens';
import { runKeyrite } from './support/in-process-cli';

const PASSPHRASE = 'ceremony-e2e-passphrase-1';

export interface CeremonyRepo {
  /** Token serials: A holds the current root key, B the key to add. */
  serialA: string;
  serialB: string;
  /** The TUF metadata directory (published), and scratch files. */
  repoDir: string;
  dir: string;
  requestBundle: string;
  rootKeyIds: { a: string; b: string };
  onlineKeys(): Promise<KeyObject[]>;
  cleanup(): Promise<void>;
}

function cli(workspaceDir: string, env: Record<string, string | undefined>, args: string[]): Promise<string> {
  return runKeyrite(workspaceDir, { KEYRITE_PASSPHRASE: PASSPHRASE, ...env }, args);
}

/** Two tokens in one SOFTHSM2_CONF (create them before the harness, whose token host must see both). */
export function createOfficerTokens(): Promise<TokenSet> {
  return createTokenSet(['officer-a', 'officer-b'], '246810');
}

export async function createCeremonyRepo(workspaceDir: string, host: TokenHostBundle, tokens: TokenSet): Promise<CeremonyRepo> {
  const [serialA, serialB] = tokens.serials as [string, string];
  const launch = host.launch(tokens.env);
  const env = { SOFTHSM2_CONF: tokens.conf, KEYRITE_TOKEN_HOST: launch.entry, NODE_PATH: launch.env?.['NODE_PATH'], KEYRITE_PIN: tokens.pin };
  const dir = await mkdtemp(path.join(os.tmpdir(), 'keyrite-e2e-ceremony-'));
  const repoDir = path.join(dir, 'repo');
  const generate = async (args: string[]): Promise<{ id: string; tuf: string }> => {
    const parsed = JSON.parse(await cli(workspaceDir, env, ['keys', 'generate', ...args, '--json'])) as { key: { id: string; keyIds: { tuf: string } } };
    return { id: parsed.key.id, tuf: parsed.key.keyIds.tuf };
  };
  const a = await generate(['--token', serialA, '--role', 'root', '--holder', 'Alice Officer', '--module', 'softhsm2']);
  const b = await generate(['--token', serialB, '--role', 'root', '--holder', 'Bob Officer', '--module', 'softhsm2']);
  const soft: Record<string, { id: string; tuf: string }> = {};
  for (const role of ['targets', 'snapshot', 'timestamp']) soft[role] = await generate(['--algorithm', 'ed25519', '--role', role, '--gun', 'example.com/e2e']);

  const pull = async () => pullTuf(repoDir, { http: new PolicyHttpGetter(createNetworkPolicy('offline')) });
  const writeRequest = async (name: string): Promise<string> => {
    const state = await pull();
    const file = path.join(dir, name);
    await writeBundleFile(file, 'request', { repository: { dialect: state.dialect, name: state.name }, createdAt: state.createdAt, nonce: state.nonce, state });
    return file;
  };
  const onlineKeys = async (): Promise<KeyObject[]> => {
    const store = new KeyStore(path.join(workspaceDir, 'keys'));
    const out: KeyObject[] = [];
    for (const role of ['snapshot', 'timestamp']) out.push((await store.load((await findKeyFile(store, soft[role]!.id)).filePath, PASSPHRASE)).privateKey);
    return out;
  };

  const initRequest = await writeRequest('request-init.bundle');
  const initBundle = path.join(dir, 'init.bundle');
  await cli(workspaceDir, env, [
    'ceremony', 'init', '--request', initRequest, '--module', 'softhsm2',
    '--root-key', `token:${serialA}:02`, '--targets-key', `file:${soft['targets']!.id}`,
    '--snapshot-key', `file:${soft['snapshot']!.id}`, '--timestamp-key', `file:${soft['timestamp']!.id}`,
    '--online-roles', 'snapshot,timestamp', '--yes', '--out', initBundle,
  ]);
  const signed = await readBundleFile(initBundle);
  await publishTufDir(signed.content.metadata, repoDir, { onlineKeys: await onlineKeys() });
  const requestBundle = await writeRequest('request-rotate.bundle');
  return {
    serialA,
    serialB,
    repoDir,
    dir,
    requestBundle,
    rootKeyIds: { a: a.tuf, b: b.tuf },
    onlineKeys,
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
}

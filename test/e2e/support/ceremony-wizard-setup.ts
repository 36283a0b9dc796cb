/**
 * Setup for the ceremony-wizard e2e specs: one SoftHSM token (empty: the GUI generates the root key
 * on it), workspace key files made with the `keyrite` CLI in-process (targets "Tagging team",
 * snapshot, timestamp, and "Alice Dev" for a signer), and request bundles pulled from a TUF
 * directory (empty for init; published from each signed bundle for the next ceremony).
 */
import type { KeyObject } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

import { readBundleFile, writeBundleFile } from '../../../electron/core/bundles';
import { findKeyFile } from '../../../electron/core/ceremonies';
import { KeyStore } from '../../../electron/core/keys';
import { PolicyHttpGetter } from '../../../electron/core/net/http-fetch';
import { createNetworkPolicy } from '../../../electron/core/net/network-policy';
import { publishTufDir } from '../../../electron/core/publish';
import { pullTuf } from '../../../electron/core/remote';
import { createTokenSet, type TokenSet } from '../../integration/ceremony/support/softhsm-tokens';
import { runKeyrite } from './in-process-cli';

export const KEY_PASSPHRASE = 'wizard-e2e-passphrase-1';

export interface WizardRepo {
  dir: string;
  /** The TUF metadata directory the signed bundles are published to. */
  repoDir: string;
  keyIds: { targets: string; snapshot: string; timestamp: string; alice: string };
  /** The request bundle for the repository's current state (a new file per call). */
  request(name: string): Promise<string>;
  /** Publishes a signed bundle to repoDir (snapshot/timestamp signed with the online key files). */
  publish(bundle: string): Promise<string[]>;
  cleanup(): Promise<void>;
}

export function createWizardTokens(): Promise<TokenSet> {
  return createTokenSet(['officer-a'], '246810');
}

function cli(workspaceDir: string, args: string[]): Promise<string> {
  return runKeyrite(workspaceDir, { KEYRITE_PASSPHRASE: KEY_PASSPHRASE }, args);
}

export async function createWizardRepo(workspaceDir: string): Promise<WizardRepo> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'keyrite-e2e-wizard-'));
  const repoDir = path.join(dir, 'repo');
  const generate = async (role: string, holder: string | null): Promise<string> => {
    const args = ['keys', 'generate', '--algorithm', 'ed25519', '--role', role, '--gun', 'example.com/wizard', ...(holder === null ? [] : ['--holder', holder]), '--json'];
    return (JSON.parse(await cli(workspaceDir, args)) as { key: { id: string } }).key.id;
  };
  const keyIds = {
    targets: await generate('targets', 'Tagging team'),
    snapshot: await generate('snapshot', null),
    timestamp: await generate('timestamp', null),
    alice: await generate('targets', 'Alice Dev'),
  };
  const onlineKeys = async (): Promise<KeyObject[]> => {
    const store = new KeyStore(path.join(workspaceDir, 'keys'));
    const out: KeyObject[] = [];
    for (const id of [keyIds.snapshot, keyIds.timestamp]) out.push((await store.load((await findKeyFile(store, id)).filePath, KEY_PASSPHRASE)).privateKey);
    return out;
  };
  return {
    dir,
    repoDir,
    keyIds,
    async request(name) {
      const state = await pullTuf(repoDir, { http: new PolicyHttpGetter(createNetworkPolicy('offline')) });
      const file = path.join(dir, name);
      await writeBundleFile(file, 'request', { repository: { dialect: state.dialect, name: state.name }, createdAt: state.createdAt, nonce: state.nonce, state });
      return file;
    },
    async publish(bundle) {
      const signed = await readBundleFile(bundle);
      return (await publishTufDir(signed.content.metadata, repoDir, { onlineKeys: await onlineKeys() })).written;
    },
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
}

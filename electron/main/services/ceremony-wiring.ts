import path from 'node:path';

import type { Contract } from '../../../shared/ipc/contract';
import type { SecretStore } from '../../../shared/secrets/secret-store';
import type { NetworkMode } from '../../core/net/network-policy';
import { createSecretStore } from '../../core/secrets';
import { CeremonyDesk } from '../../core/ceremony-desk';
import { NodeCryptoProvider } from '../../core/crypto/node-crypto-provider';
import { InventoryStore } from '../../core/inventory';
import { KeyStore } from '../../core/keys';
import type { EmitterOf } from '../ipc/emitter';
import type { TokenClient } from '../../core/tokens/token-client';
import type { TokenHostChoice } from './custody-wiring';

export interface CeremonyWiringOptions {
  workspaceDir: string;
  tokenHost: TokenHostChoice;
  emitter: EmitterOf<Contract>;
  /** Custody's shared client (createCustodyWithSharedClient): one token host per app. */
  tokenClient?: () => TokenClient | null;
  clock?: () => Date;
  /** The app's network mode (default offline): ceremonies:pull is refused unless online. */
  networkMode?: NetworkMode;
  /** The OS keychain for ceremonies:signWithFile's "keychain" source (default: keytar, loaded on first use). */
  secrets?: () => Promise<SecretStore>;
}

/** Bound for one keychain call: a hung Secret Service must not hang a signing sitting. */
const KEYCHAIN_TIMEOUT_MS = 3000;

/**
 * The ceremony desk with its real dependencies: the workspace key store and inventory (the same
 * files the custody facade uses), the hash-chained journal, node:crypto, and custody's token client
 * for signing sittings (one host process per app). Shared by the app and the e2e harness.
 */
export function createCeremonyDesk(options: CeremonyWiringOptions): CeremonyDesk {
  const keysDir = path.join(options.workspaceDir, 'keys');
  const clock = options.clock ?? (() => new Date());
  return new CeremonyDesk({
    workspaceDir: options.workspaceDir,
    clock,
    crypto: new NodeCryptoProvider(),
    keyStore: new KeyStore(keysDir, clock),
    inventory: new InventoryStore(keysDir, clock),
    tokenHost: options.tokenHost,
    ...(options.tokenClient ? { tokenClient: options.tokenClient } : {}),
    onProgress: (event) => options.emitter.ceremonies.onProgress(event),
    networkMode: options.networkMode ?? 'offline',
    secrets: options.secrets ?? lazySecretStore(),
  });
}

/** keytar is loaded only when a remembered passphrase is actually asked for, and once. */
function lazySecretStore(): () => Promise<SecretStore> {
  let store: Promise<SecretStore> | null = null;
  return () => (store ??= createSecretStore({ timeoutMs: KEYCHAIN_TIMEOUT_MS }));
}

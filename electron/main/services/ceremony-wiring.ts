import path from 'node:path';

import type { Contract } from '../../../shared/ipc/contract';
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
}

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
  });
}

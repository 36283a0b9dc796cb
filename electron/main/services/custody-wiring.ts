import path from 'node:path';

import type { Contract } from '../../../shared/ipc/contract';
import { CustodyService } from '../../core/custody';
import { InventoryStore } from '../../core/inventory';
import { KeyStore } from '../../core/keys';
import type { HostSpawner, TokenHostLaunch } from '../../core/tokens/host-process';
import { TokenClient } from '../../core/tokens/token-client';
import type { EmitterOf } from '../ipc/emitter';
import type { Logger } from '../log';

export type TokenHostChoice = { launch: TokenHostLaunch | HostSpawner; modulePath: string } | { unavailable: string };

export interface CustodyWiringOptions {
  workspaceDir: string;
  tokenHost: TokenHostChoice;
  emitter: EmitterOf<Contract>;
  logger: Logger;
  pollIntervalMs?: number;
}

/**
 * The custody facade with its real dependencies: a TokenClient (one token-host process; a
 * utilityProcess in the app, a fork in tests), the workspace key store and inventory, and main's
 * emitter for the live token list and the touch prompt. Shared by the app and the e2e harness.
 */
export function createCustody(options: CustodyWiringOptions): CustodyService {
  const keysDir = path.join(options.workspaceDir, 'keys');
  const choice = options.tokenHost;
  let custody: CustodyService | null = null;
  const client =
    'unavailable' in choice
      ? null
      : new TokenClient({
          launch: choice.launch,
          modulePath: choice.modulePath,
          onRequestSent: (type) => custody?.tokenRequestSent(type),
        });
  custody = new CustodyService({
    client,
    modulePath: 'unavailable' in choice ? null : choice.modulePath,
    ...('unavailable' in choice ? { unavailableReason: choice.unavailable } : {}),
    keyStore: new KeyStore(keysDir),
    inventory: new InventoryStore(keysDir),
    onTokensChanged: (snapshot) => options.emitter.tokens.onChanged(snapshot),
    onProgress: (progress) => options.emitter.tokens.onProgress(progress),
    // Error objects from the token side carry public detail only (CKR code, serial), never a PIN.
    onError: (message, error) => options.logger.warn(message, { error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) }),
    ...(options.pollIntervalMs === undefined ? {} : { pollIntervalMs: options.pollIntervalMs }),
  });
  return custody;
}

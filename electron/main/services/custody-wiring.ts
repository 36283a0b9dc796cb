import path from 'node:path';

import type { Contract } from '../../../shared/ipc/contract';
import { CustodyService } from '../../core/custody';
import { InventoryStore } from '../../core/inventory';
import { KeyStore } from '../../core/keys';
import type { HostSpawner, TokenHostLaunch } from '../../core/tokens/host-process';
import { TokenClient } from '../../core/tokens/token-client';
import { UsbHotplugSource, type HotplugSource } from '../../core/tokens/usb-hotplug';
import type { EmitterOf } from '../ipc/emitter';
import type { Logger } from '../log';

export type TokenHostChoice = { launch: TokenHostLaunch | HostSpawner; modulePath: string } | { unavailable: string };

export interface CustodyWiringOptions {
  workspaceDir: string;
  tokenHost: TokenHostChoice;
  emitter: EmitterOf<Contract>;
  logger: Logger;
  pollIntervalMs?: number;
  /** USB attach/detach events (default: the `usb` package; polling alone where it is unavailable). Null: polling only. */
  hotplug?: HotplugSource | null;
}

/** The custody facade and the app's one token client, to be shared with ceremonies. */
export interface Custody {
  service: CustodyService;
  /**
   * The ONE TokenClient of the app (one token-host process with the PKCS#11 module open), as a
   * new holder: hand it to the ceremony side (CeremonyService `tokenClients`). Its close()
   * releases that holder only; the host stops when custody and every holder have closed.
   * Null when no PKCS#11 module is configured.
   */
  sharedTokenClient(): TokenClient | null;
}

/**
 * The custody facade with its real dependencies: a TokenClient (one token-host process; a
 * utilityProcess in the app, a fork in tests), the workspace key store and inventory, main's
 * emitter for the live token list and the touch prompt, and USB hotplug for immediate rescans.
 * Shared by the app and the e2e harness.
 */
export function createCustodyWithSharedClient(options: CustodyWiringOptions): Custody {
  const keysDir = path.join(options.workspaceDir, 'keys');
  const choice = options.tokenHost;
  const client = 'unavailable' in choice ? null : new TokenClient({ launch: choice.launch, modulePath: choice.modulePath });
  const logError = (message: string, error: unknown): void =>
    // Error objects from the token side carry public detail only (CKR code, serial), never a PIN.
    options.logger.warn(message, { error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) });
  const hotplug = options.hotplug === undefined ? new UsbHotplugSource() : options.hotplug;
  const service = new CustodyService({
    client,
    modulePath: 'unavailable' in choice ? null : choice.modulePath,
    ...('unavailable' in choice ? { unavailableReason: choice.unavailable } : {}),
    keyStore: new KeyStore(keysDir),
    inventory: new InventoryStore(keysDir),
    onTokensChanged: (snapshot) => options.emitter.tokens.onChanged(snapshot),
    onProgress: (progress) => options.emitter.tokens.onProgress(progress),
    onError: logError,
    ...(hotplug === null ? {} : { hotplug }),
    onHotplugStatus: (status) => {
      if (status.kind === 'polling-only') options.logger.info('USB hotplug unavailable; polling the token list', { reason: status.reason });
    },
    ...(options.pollIntervalMs === undefined ? {} : { pollIntervalMs: options.pollIntervalMs }),
  });
  return { service, sharedTokenClient: () => client?.retain() ?? null };
}

/** The custody facade alone (see createCustodyWithSharedClient). */
export function createCustody(options: CustodyWiringOptions): CustodyService {
  return createCustodyWithSharedClient(options).service;
}

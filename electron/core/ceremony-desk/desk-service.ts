/**
 * The CeremonyService behind the desk: the workspace's journal, key store and inventory, and the
 * app's one token client (custody's, borrowed so two hosts never open the same PKCS#11 module),
 * or a host of the desk's own where no shared client exists (CLI-like use, tests).
 */
import { CeremonyService } from '../ceremonies';
import { TokensUnavailableError } from '../custody/errors';
import { Journal } from '../journal';
import { TokenClient } from '../tokens/token-client';
import type { CeremonyDeskDeps } from './desk-types';

export interface TokenRequestHooks {
  /** Every request the token client hands to its host (the desk turns "sign" into a touch prompt). */
  onRequestSent: (type: string) => void;
  /** The unsubscribe function of a listener on the shared client, for close(). */
  onSubscribed: (unsubscribe: () => void) => void;
}

export function createDeskService(deps: CeremonyDeskDeps, hooks: TokenRequestHooks): CeremonyService {
  const host = deps.tokenHost;
  return new CeremonyService({
    workspaceDir: deps.workspaceDir,
    clock: deps.clock,
    crypto: deps.crypto,
    keyStore: deps.keyStore,
    inventory: deps.inventory,
    journals: (file) => Journal.open(file, { clock: deps.clock }),
    tokenClients: () => {
      if (deps.tokenClient) {
        const shared = deps.tokenClient();
        if (shared === null) throw new TokensUnavailableError('unavailable' in host ? host.unavailable : 'No token host is configured.');
        hooks.onSubscribed(shared.onRequestSent((type) => hooks.onRequestSent(type)));
        return shared;
      }
      if ('unavailable' in host) throw new TokensUnavailableError(host.unavailable);
      return new TokenClient({ launch: host.launch, modulePath: host.modulePath, onRequestSent: (type) => hooks.onRequestSent(type) });
    },
  });
}

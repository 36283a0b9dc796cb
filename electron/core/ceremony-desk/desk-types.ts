/** The desk's dependencies and the inputs of its operations (plain data; main builds them from IPC requests). */
import type { CeremonyDetail, CeremonyProgressEvent } from '../../../shared/ipc/ceremony';
import type { PlanInput } from '../../../shared/ipc/ceremony-plans';
import type { SecretStore } from '../../../shared/secrets/secret-store';
import type { CryptoProvider } from '../../../shared/tuf/crypto';
import type { InventoryStore } from '../inventory';
import type { KeyStore } from '../keys';
import type { NetworkMode } from '../net/network-policy';
import type { HostSpawner, TokenHostLaunch } from '../tokens/host-process';
import type { TokenClient } from '../tokens/token-client';
import type { DeskLogin, DeskUnlock } from './desk-logins';
import type { TargetFiles } from './plan-input';
import type { signatureView } from './views';

export interface CeremonyDeskDeps {
  workspaceDir: string;
  clock: () => Date;
  crypto: CryptoProvider;
  keyStore: KeyStore;
  inventory: InventoryStore;
  /** The token host for signing sittings, or why there is none. */
  tokenHost: { launch: TokenHostLaunch | HostSpawner; modulePath: string } | { unavailable: string };
  /**
   * The app's one token client (custody's, retained for the desk): two host processes must not
   * open the same PKCS#11 module. Without it (CLI-like use) the desk starts a host of its own.
   */
  tokenClient?: () => TokenClient | null;
  onProgress?: (event: CeremonyProgressEvent) => void;
  /** The app's network mode (main's start-up choice): `pull` is refused unless online. Default offline. */
  networkMode?: NetworkMode | (() => NetworkMode);
  /** The OS keychain, for signing with a key file whose passphrase is remembered (online/delegation keys only). */
  secrets?: () => Promise<SecretStore>;
}

export interface StartInput {
  requestPath: string;
  plan: PlanInput;
  /** PINs for acts before signing (generated keys, Notary root certificates); wiped after. */
  logins?: readonly DeskLogin[] | undefined;
  /** Key-file passphrases for acts before signing (a Notary root certificate from a key file). */
  unlocks?: readonly DeskUnlock[] | undefined;
  /** sign-targets `add` changes: pick id → the file's path (resolved by main). */
  targetFiles?: TargetFiles | undefined;
}

export type SignResult = { signed: ReturnType<typeof signatureView>[]; detail: CeremonyDetail };


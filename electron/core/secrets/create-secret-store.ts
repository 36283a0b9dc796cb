/**
 * Picks the SecretStore for this process: keytar when it loads, otherwise an UnavailableSecretStore
 * that says why. Whether a keychain actually answers (D-Bus session, Secret Service) is decided
 * per call by `isAvailable()`, since a session bus can appear or vanish after startup.
 */
import type { SecretStore } from '../../../shared/secrets/secret-store';
import { loadKeytar, type KeytarApi } from './keytar-api';
import { errorMessage } from './keytar-errors';
import { KeytarSecretStore, type KeytarSecretStoreOptions } from './keytar-secret-store';
import { UnavailableSecretStore } from './unavailable-secret-store';

export interface CreateSecretStoreOptions extends KeytarSecretStoreOptions {
  /** Injected in tests; default loads the native keytar module. */
  load?: () => Promise<KeytarApi>;
}

export async function createSecretStore(options: CreateSecretStoreOptions = {}): Promise<SecretStore> {
  const { load = loadKeytar, ...storeOptions } = options;
  let keytar: KeytarApi;
  try {
    keytar = await load();
  } catch (error) {
    // A missing libsecret or an unbuilt addon disables "remember", it does not stop the app.
    return new UnavailableSecretStore('keytar-load-failed', `keytar failed to load: ${errorMessage(error)}`);
  }
  return new KeytarSecretStore(keytar, storeOptions);
}

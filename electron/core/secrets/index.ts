export { createSecretStore, type CreateSecretStoreOptions } from './create-secret-store';
export { loadKeytar, type KeytarApi } from './keytar-api';
export { KeytarSecretStore, type KeytarSecretStoreOptions } from './keytar-secret-store';
export { UnavailableSecretStore } from './unavailable-secret-store';
export { isDelegationRole, passphraseKindForRoles, type PassphraseKindDecision } from './key-passphrase-policy';

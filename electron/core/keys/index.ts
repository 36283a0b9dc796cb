/** Key custody: software key files (Keyrite and Notary/Docker formats) and the key store. */
export * from './errors';
export { decryptKeyFile, encryptKeyFile, readKeyFileHeader, KDF_MINIMUM, type KeyFileEnvelope, type KeyFileIdentity, type DecryptedKey } from './keyrite-key-file';
export { exportNotaryKeyFile, readNotaryKeyFile, readNotaryKeyBundle, inspectNotaryKeyFile, type NotaryKeyFile, type NotaryExportOptions } from './notary-key-file';
export { importNotaryTrustDir, type ImportedNotaryKey, type PassphraseSource } from './notary-import';
export { dockerTrustDir, notaryTrustDir, notaryKeyPath, writeKeyToTrustDir } from './notary-trust-dir';
export { KeyStore, type StoredKey, type VerifiedCopy } from './key-store';
export { passphraseEnvNames, passphraseFromEnv, NOTARY_PASSPHRASE_ENV, DOCKER_PASSPHRASE_ENV, MIN_PASSPHRASE_LENGTH } from './passphrase';
export { generateSoftwareKey, notaryKeyId, tufKeyId, tufKeyObject, algorithmOf, type KeyAlgorithm, type SoftwareKeyPair } from './software-keys';
export { signWithSoftwareKey, SignatureSelfCheckError, type SoftwareSignature } from './software-signer';

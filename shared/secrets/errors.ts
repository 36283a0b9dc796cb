/**
 * Named secret-store errors. They extend KeyriteError and are registered, so a refusal made in
 * the main process reaches the renderer as the same class (only name + message cross IPC).
 * `detail` carries the secret kind, the operation or the unavailability reason — never a secret.
 */
import { KeyriteError, registerErrorClass } from '../errors';

// Base of every secret-store error.
export class SecretStoreError extends KeyriteError {}

// A root key passphrase or a PIN was offered to the OS keychain: policy says these are never
// remembered (reference/security.md: offline root secrets never leave the ceremony).
export class SecretNotRememberableError extends SecretStoreError {
  get kind(): string {
    return typeof this.detail['kind'] === 'string' ? this.detail['kind'] : '';
  }
}

// No usable OS keychain (no D-Bus session, no Secret Service, keytar missing): `detail.reason`.
export class SecretStoreUnavailableError extends SecretStoreError {
  /** Message `unavailable: <why>`; `detail.why` keeps the sentence alone for Availability. */
  static because(reason: string, why: string, operation: string): SecretStoreUnavailableError {
    return new SecretStoreUnavailableError(`unavailable: ${why}`, { reason, why, operation });
  }
  get reason(): string {
    return typeof this.detail['reason'] === 'string' ? this.detail['reason'] : '';
  }
  get why(): string {
    return typeof this.detail['why'] === 'string' ? this.detail['why'] : this.message;
  }
}

// The keychain is there but refused or failed one operation (locked collection, prompt failed).
export class SecretStoreOperationError extends SecretStoreError {}

// The keychain did not answer in time (a hung prompter or Secret Service).
export class SecretStoreTimeoutError extends SecretStoreError {}

// A key id or a secret that cannot be stored (not hex, empty, too long).
export class InvalidSecretRefError extends SecretStoreError {}

for (const cls of [
  SecretStoreError,
  SecretNotRememberableError,
  SecretStoreUnavailableError,
  SecretStoreOperationError,
  SecretStoreTimeoutError,
  InvalidSecretRefError,
]) {
  registerErrorClass(cls);
}

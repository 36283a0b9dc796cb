/**
 * The SecretStore used where no keychain can be: every read or write rejects with a named
 * SecretStoreUnavailableError that says why, so the UI offers "type the passphrase" instead of
 * "remember it", and nothing crashes. Policy refusals still come first: asking to remember a
 * root PIN is a SecretNotRememberableError here too, so callers see one behaviour everywhere.
 */
import { SecretStoreUnavailableError } from '../../../shared/secrets/errors';
import {
  assertRememberable,
  assertStorableSecret,
  secretAccount,
  type Availability,
  type SecretEntry,
  type SecretRef,
  type SecretStore,
  type UnavailableReason,
} from '../../../shared/secrets/secret-store';

export class UnavailableSecretStore implements SecretStore {
  constructor(
    readonly reason: UnavailableReason,
    readonly detail: string,
  ) {}

  isAvailable(): Promise<Availability> {
    return Promise.resolve({ available: false, reason: this.reason, detail: this.detail });
  }

  get(ref: SecretRef): Promise<string | null> {
    return this.refuse('get', () => {
      assertRememberable(ref);
      secretAccount(ref);
    });
  }

  set(ref: SecretRef, secret: string): Promise<void> {
    return this.refuse('set', () => {
      assertRememberable(ref);
      assertStorableSecret(secret);
      secretAccount(ref);
    });
  }

  delete(ref: SecretRef): Promise<boolean> {
    return this.refuse('delete', () => secretAccount(ref));
  }

  list(): Promise<SecretEntry[]> {
    return this.refuse('list', () => undefined);
  }

  /** Rejects with the check's own error (policy, bad ref) first, else with "unavailable". */
  private refuse<T>(operation: string, check: () => unknown): Promise<T> {
    try {
      check();
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
    return Promise.reject(this.error(operation));
  }

  private error(operation: string): SecretStoreUnavailableError {
    return SecretStoreUnavailableError.because(this.reason, this.detail, operation);
  }
}

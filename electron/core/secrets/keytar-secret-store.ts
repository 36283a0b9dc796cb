/**
 * SecretStore over keytar: macOS Keychain, Windows Credential Manager, and the freedesktop Secret
 * Service (gnome-keyring, KWallet) on Linux. Every entry is filed under service "Keyrite" with
 * account `key:<keyid>`. Policy (what may be remembered) is checked before keytar is touched,
 * and every call is bounded in time: a Secret Service waiting on a prompter that cannot open
 * must not hang a ceremony.
 */
import {
  SecretStoreError,
  SecretStoreOperationError,
  SecretStoreTimeoutError,
  SecretStoreUnavailableError,
} from '../../../shared/secrets/errors';
import {
  assertRememberable,
  assertStorableSecret,
  keyIdOfAccount,
  SECRET_SERVICE,
  secretAccount,
  type Availability,
  type SecretEntry,
  type SecretRef,
  type SecretStore,
  type UnavailableReason,
} from '../../../shared/secrets/secret-store';
import type { KeytarApi } from './keytar-api';
import { classifyKeytarError, errorMessage } from './keytar-errors';

export interface KeytarSecretStoreOptions {
  /** Upper bound for one keychain call (default 10 s). */
  timeoutMs?: number;
  /** Service name; tests may isolate themselves with their own. Default `Keyrite`. */
  service?: string;
  /** Backend name reported by isAvailable (default from the platform). */
  backend?: string;
}

const DEFAULT_TIMEOUT_MS = 10_000;

export class KeytarSecretStore implements SecretStore {
  private readonly timeoutMs: number;
  private readonly service: string;
  private readonly backend: string;

  constructor(
    private readonly keytar: KeytarApi,
    options: KeytarSecretStoreOptions = {},
  ) {
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.service = options.service ?? SECRET_SERVICE;
    this.backend = options.backend ?? defaultBackend(process.platform);
  }

  async isAvailable(): Promise<Availability> {
    try {
      // A read-only search: probing must never write to, or prompt for, the user's keychain.
      await this.call('probe', () => this.keytar.findCredentials(this.service));
      return { available: true, backend: this.backend };
    } catch (error) {
      if (error instanceof SecretStoreUnavailableError) return { available: false, reason: toReason(error.reason), detail: error.why };
      if (error instanceof SecretStoreTimeoutError) return { available: false, reason: 'timeout', detail: error.message };
      return { available: false, reason: 'keyring-error', detail: errorMessage(error) };
    }
  }

  async get(ref: SecretRef): Promise<string | null> {
    assertRememberable(ref);
    const account = secretAccount(ref);
    return this.call('get', () => this.keytar.getPassword(this.service, account));
  }

  async set(ref: SecretRef, secret: string): Promise<void> {
    assertRememberable(ref);
    assertStorableSecret(secret);
    const account = secretAccount(ref);
    await this.call('set', () => this.keytar.setPassword(this.service, account, secret));
  }

  async delete(ref: SecretRef): Promise<boolean> {
    const account = secretAccount(ref);
    return this.call('delete', () => this.keytar.deletePassword(this.service, account));
  }

  async list(): Promise<SecretEntry[]> {
    const credentials = await this.call('list', () => this.keytar.findCredentials(this.service));
    const entries: SecretEntry[] = [];
    // Passwords are dropped here: listing answers "what is remembered", never "what is it".
    for (const { account } of credentials) {
      const keyId = keyIdOfAccount(account);
      if (keyId !== null) entries.push({ account, keyId });
    }
    return entries.sort((a, b) => a.account.localeCompare(b.account));
  }

  /** Runs one keytar call with a deadline and maps its failure to a named error. */
  private async call<T>(operation: string, run: () => Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const pending = Promise.resolve().then(run);
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new SecretStoreTimeoutError(`the keychain did not answer within ${this.timeoutMs} ms`, { operation })), this.timeoutMs);
      // The deadline alone must not keep a CLI process alive.
      timer.unref();
    });
    // A late rejection after the deadline won must not become an unhandled rejection.
    pending.catch(() => undefined);
    try {
      return await Promise.race([pending, deadline]);
    } catch (error) {
      if (error instanceof SecretStoreError) throw error;
      const unavailable = classifyKeytarError(error);
      if (unavailable) throw SecretStoreUnavailableError.because(unavailable.reason, unavailable.detail, operation);
      throw new SecretStoreOperationError(`keychain ${operation} failed: ${errorMessage(error)}`, { operation });
    } finally {
      clearTimeout(timer);
    }
  }
}

function toReason(reason: string): UnavailableReason {
  return reason === 'no-dbus-session' || reason === 'no-keyring' || reason === 'keytar-load-failed' || reason === 'timeout' ? reason : 'keyring-error';
}

function defaultBackend(platform: NodeJS.Platform): string {
  if (platform === 'darwin') return 'macOS Keychain';
  if (platform === 'win32') return 'Windows Credential Manager';
  return 'Secret Service (libsecret)';
}

/**
 * What Keyrite may remember in the OS keychain, and the interface every backend implements.
 *
 * Policy: only passphrases of online or delegation key files. A root key passphrase or any PIN
 * (token user PIN, root PIN) is refused with SecretNotRememberableError, whatever the caller
 * asks: an offline root key's protection must stay "something the holder knows", never a file
 * on a networked workstation's login keyring.
 */
import { InvalidSecretRefError, SecretNotRememberableError } from './errors';

/** Service name under which every Keyrite secret is filed in the OS keychain. */
export const SECRET_SERVICE = 'Keyrite';

/** Secrets a user may choose to remember. */
export const REMEMBERABLE_KINDS = ['online-key-passphrase', 'delegation-key-passphrase'] as const;
/** Secrets that are never remembered, named so a caller can tag them honestly and be refused. */
export const FORBIDDEN_KINDS = ['root-key-passphrase', 'root-pin', 'token-pin'] as const;

export type RememberableKind = (typeof REMEMBERABLE_KINDS)[number];
export type SecretKind = RememberableKind | (typeof FORBIDDEN_KINDS)[number];

/** Which secret: the key it unlocks and what kind of secret it is. */
export interface SecretRef {
  kind: SecretKind;
  /** Hex key id (TUF or Notary dialect) of the key file the passphrase opens. */
  keyId: string;
}

/** Why no keychain can be used; `detail` is a human sentence for the UI and CLI. */
export type UnavailableReason = 'no-dbus-session' | 'no-keyring' | 'keytar-load-failed' | 'timeout' | 'keyring-error';

export type Availability =
  | { available: true; backend: string }
  | { available: false; reason: UnavailableReason; detail: string };

/** A remembered entry as listed: never the secret itself. */
export interface SecretEntry {
  account: string;
  keyId: string;
}

export interface SecretStore {
  /** Probes the keychain; never throws and never rejects. */
  isAvailable(): Promise<Availability>;
  /** The remembered secret, or null. Rejects for forbidden kinds and when unavailable. */
  get(ref: SecretRef): Promise<string | null>;
  /** Remembers a secret (replacing any earlier one). Rejects for forbidden kinds. */
  set(ref: SecretRef, secret: string): Promise<void>;
  /** Forgets a secret; true when one was there. Allowed for any kind (forgetting never leaks). */
  delete(ref: SecretRef): Promise<boolean>;
  /** Every Keyrite entry in the keychain, without secrets. */
  list(): Promise<SecretEntry[]>;
}

const KEY_ID = /^[0-9a-f]{8,128}$/;
const ACCOUNT_PREFIX = 'key:';
/** Passphrases longer than this are a paste accident, not a passphrase. */
export const MAX_SECRET_LENGTH = 1024;

export function isRememberable(kind: SecretKind): kind is RememberableKind {
  return (REMEMBERABLE_KINDS as readonly string[]).includes(kind);
}

/** Throws SecretNotRememberableError unless the kind may be stored. */
export function assertRememberable(ref: SecretRef): void {
  if (!isRememberable(ref.kind)) {
    throw new SecretNotRememberableError(`a ${ref.kind} is never stored in the OS keychain; only online and delegation key passphrases may be remembered`, {
      kind: ref.kind,
    });
  }
}

/** The keychain account for a key: `key:<lowercase hex key id>`. */
export function secretAccount(ref: SecretRef): string {
  const keyId = ref.keyId.toLowerCase();
  if (!KEY_ID.test(keyId)) throw new InvalidSecretRefError('a key id must be 8 to 128 hex digits', { keyId: ref.keyId.slice(0, 130) });
  return `${ACCOUNT_PREFIX}${keyId}`;
}

/** The key id of a Keyrite account, or null for an account this version did not write. */
export function keyIdOfAccount(account: string): string | null {
  if (!account.startsWith(ACCOUNT_PREFIX)) return null;
  const keyId = account.slice(ACCOUNT_PREFIX.length);
  return KEY_ID.test(keyId) ? keyId : null;
}

export function assertStorableSecret(secret: string): void {
  if (secret.length === 0) throw new InvalidSecretRefError('an empty passphrase cannot be remembered');
  if (secret.length > MAX_SECRET_LENGTH) throw new InvalidSecretRefError(`a passphrase longer than ${MAX_SECRET_LENGTH} characters cannot be remembered`);
}

/** The one line the UI and CLI show for a state. */
export function describeAvailability(availability: Availability): string {
  return availability.available ? `available: ${availability.backend}` : `unavailable: ${availability.detail}`;
}

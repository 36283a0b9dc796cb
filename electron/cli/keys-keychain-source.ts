/**
 * The OS keychain as a passphrase source for key files. A lookup never stops a command: an
 * unavailable or slow keychain is skipped silently (the user then types the passphrase as before),
 * and a keychain error other than "unavailable" is one warning line, never a crash.
 */
import { SecretStoreTimeoutError, SecretStoreUnavailableError } from '../../shared/secrets/errors';
import { isRememberable, type SecretKind, type SecretStore } from '../../shared/secrets/secret-store';
import { createSecretStore, passphraseKindForRoles } from '../core/secrets';
import type { KeysIo } from './keys-passphrase';

/** Bound for one keychain call from the CLI: a hung Secret Service must not hang a signing. */
export const KEYCHAIN_TIMEOUT_MS = 3000;

/** Where a remembered passphrase came from, in messages (never the value). */
export const KEYCHAIN_SOURCE = 'the OS keychain';

export interface KeychainLookup {
  /** The key's canonical (Notary) id: the account the passphrase is filed under. */
  keyId: string;
  kind: SecretKind;
  /** Proves a remembered value before resolvePassphrase returns it (openWithPassphrase needs none). */
  verify?: (value: string) => Promise<boolean>;
}

let processStore: Promise<SecretStore> | null = null;

/** The keychain for this CLI run (one keytar load per process); null when the caller turned it off. */
export function keychainStore(io: KeysIo): Promise<SecretStore> | null {
  if (io.keychain === null) return null;
  if (io.keychain !== undefined) return io.keychain();
  processStore ??= createSecretStore({ timeoutMs: KEYCHAIN_TIMEOUT_MS });
  return processStore;
}

/** A lookup for a key serving `roles`, or undefined when its passphrase may never be remembered. */
export function keychainLookupFor(keyId: string, roles: ReadonlyArray<string | null | undefined>): KeychainLookup | undefined {
  const decision = passphraseKindForRoles(roles.filter((role): role is string => typeof role === 'string'));
  return decision.rememberable ? { keyId, kind: decision.kind } : undefined;
}

/** The remembered passphrase, or null (nothing remembered, kind not rememberable, keychain unusable). */
export async function rememberedPassphrase(lookup: KeychainLookup, io: KeysIo): Promise<string | null> {
  if (!isRememberable(lookup.kind)) return null;
  const pending = keychainStore(io);
  if (pending === null) return null;
  try {
    return await (await pending).get({ kind: lookup.kind, keyId: lookup.keyId });
  } catch (error) {
    // No keychain here (headless, no D-Bus, keytar missing) or it did not answer: the prompt takes over.
    if (error instanceof SecretStoreUnavailableError || error instanceof SecretStoreTimeoutError) return null;
    io.stderr(`keyrite: warning: the OS keychain could not be read (${error instanceof Error ? error.message : String(error)}); asking instead\n`);
    return null;
  }
}

export function staleRememberedMessage(keyId: string): string {
  return `the remembered passphrase for ${keyId} no longer opens it: run keyrite keys forget ${keyId}`;
}

export function warnStaleRemembered(keyId: string, io: KeysIo): void {
  io.stderr(`keyrite: warning: ${staleRememberedMessage(keyId)}\n`);
}

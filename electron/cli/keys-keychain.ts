/**
 * `keyrite keys remember | forget | keychain`: the OS keychain for key-file passphrases. Only
 * online (snapshot, timestamp) and delegation keys qualify; a root or top-level targets key is
 * refused before any passphrase is asked. A passphrase is stored only after it has opened the key
 * file, so the keychain never holds a wrong one.
 */
import { describeAvailability, type SecretStore } from '../../shared/secrets/secret-store';
import { passphraseKindForRoles } from '../core/secrets';
import { CliUsageError, EXIT } from './cli-io';
import { findStoredKey, keysContext } from './keys-context';
import { KEYCHAIN_TIMEOUT_MS, keychainStore } from './keys-keychain-source';
import { openWith, resolvePassphrase, type KeysIo } from './keys-passphrase';

export interface KeysRememberFlags {
  passphraseFile?: string;
  workspace?: string;
}

export interface KeysKeychainFlags {
  json?: boolean;
  workspace?: string;
}

/** The keychain, or a usage error naming why it cannot be used (remember/forget need one). */
async function usableKeychain(io: KeysIo, action: string): Promise<{ store: SecretStore; backend: string }> {
  const pending = keychainStore(io);
  if (pending === null) throw new CliUsageError(`cannot ${action}: the OS keychain is turned off`);
  const store = await pending;
  const availability = await store.isAvailable();
  if (!availability.available) throw new CliUsageError(`cannot ${action}: the OS keychain is ${describeAvailability(availability)}`);
  return { store, backend: availability.backend };
}

export async function runKeysRemember(id: string, flags: KeysRememberFlags, io: KeysIo): Promise<number> {
  const ctx = keysContext(flags.workspace, io);
  const stored = await findStoredKey(ctx.store, id);
  const identity = stored.envelope.key;
  const record = await ctx.inventory.get(identity.id);
  const roles = [...new Set([...(record?.roles ?? []), ...(identity.role ? [identity.role] : [])])];
  const decision = passphraseKindForRoles(roles);
  if (!decision.rememberable) {
    io.stderr(`keyrite: error: the passphrase of key ${identity.id} (${roles.join(', ') || 'no role'}) is never remembered: ${decision.why}\n`);
    return EXIT.findings;
  }
  // Asked before the passphrase: a user must not type it for a keychain that cannot take it.
  const { store, backend } = await usableKeychain(io, 'remember a passphrase');
  const passphrase = await resolvePassphrase({ purpose: `the passphrase of key ${identity.id.slice(0, 12)}`, file: flags.passphraseFile, envNames: ['KEYRITE_PASSPHRASE'], role: identity.role, confirm: false }, io);
  // Proven first: the key file must open with it, else nothing is stored.
  await openWith(passphrase, (value) => ctx.store.load(stored.filePath, value));
  await store.set({ kind: decision.kind, keyId: identity.id }, passphrase.value);
  io.stdout(`Remembered the passphrase of ${roles.join(', ')} key ${identity.id} in ${backend} (verified against ${stored.filePath})\n  forget it with: keyrite keys forget ${identity.id}\n`);
  return EXIT.ok;
}

export async function runKeysForget(id: string, flags: KeysRememberFlags, io: KeysIo): Promise<number> {
  const wanted = id.toLowerCase();
  if (!/^[0-9a-f]{7,128}$/.test(wanted)) throw new CliUsageError(`key ID must be 7 to 128 hex characters, got "${id}"`);
  const { store } = await usableKeychain(io, 'forget a passphrase');
  // A key may be forgotten after its file is gone: match the remembered entries, then the key store.
  const remembered = (await store.list()).filter((entry) => entry.keyId.startsWith(wanted));
  let keyId: string;
  if (remembered.length > 1) throw new CliUsageError(`key ID prefix ${id} is ambiguous: ${remembered.map((e) => e.keyId).join(', ')}`);
  if (remembered[0]) keyId = remembered[0].keyId;
  else {
    const ctx = keysContext(flags.workspace, io);
    keyId = await findStoredKey(ctx.store, id).then(
      (stored) => stored.envelope.key.id,
      () => wanted,
    );
  }
  // delete is allowed for every kind; the kind only files the ref.
  const removed = keyId.length >= 8 ? await store.delete({ kind: 'delegation-key-passphrase', keyId }) : false;
  io.stdout(removed ? `Forgot the remembered passphrase of key ${keyId}\n` : `No passphrase was remembered for key ${keyId}\n`);
  return EXIT.ok;
}

export async function runKeysKeychain(flags: KeysKeychainFlags, io: KeysIo): Promise<number> {
  const pending = keychainStore(io);
  const availability = pending === null ? ({ available: false, reason: 'keytar-load-failed', detail: 'the OS keychain is turned off' } as const) : await (await pending).isAvailable();
  if (!availability.available || pending === null) {
    if (flags.json) io.stdout(`${JSON.stringify({ available: false, reason: availability.available ? 'keyring-error' : availability.reason, detail: availability.available ? '' : availability.detail, entries: [] }, null, 2)}\n`);
    else io.stdout(`OS keychain: ${describeAvailability(availability)}\nPassphrases are asked for (or read from --passphrase-file / the environment) as usual.\n`);
    return EXIT.ok;
  }
  const ctx = keysContext(flags.workspace, io);
  const entries = await Promise.all(
    (await (await pending).list()).map(async ({ keyId }) => {
      const record = await ctx.inventory.get(keyId);
      return { keyId, label: record?.label ?? null, roles: record?.roles ?? [], inInventory: record !== null };
    }),
  );
  if (flags.json) {
    io.stdout(`${JSON.stringify({ available: true, backend: availability.backend, timeoutMs: KEYCHAIN_TIMEOUT_MS, entries }, null, 2)}\n`);
    return EXIT.ok;
  }
  io.stdout(`OS keychain: ${describeAvailability(availability)}\n`);
  if (entries.length === 0) io.stdout('No passphrases remembered.\n');
  for (const entry of entries) {
    io.stdout(`  ${entry.keyId}  ${entry.roles.join(',') || '(not in this workspace inventory)'}  ${entry.label ?? ''}\n`.replace(/ +\n$/, '\n'));
  }
  return EXIT.ok;
}

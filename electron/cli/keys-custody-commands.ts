/** `keyrite keys export | passwd | remove`: moving, re-keying and retiring workspace key files. */
import path from 'node:path';

import { readFileCapped } from '../core/fs/atomic-write';
import { exportNotaryKeyFile } from '../core/keys';
import { writeFileExclusive } from '../core/keys/exclusive-write';
import { CliUsageError, EXIT } from './cli-io';
import { findStoredKey, keysContext } from './keys-context';
import { KEYCHAIN_SOURCE, keychainLookupFor, keychainStore, rememberedPassphrase } from './keys-keychain-source';
import { openWith, openWithPassphrase, resolvePassphrase, type KeysIo } from './keys-passphrase';

export interface KeysExportFlags {
  format: string;
  output?: string;
  passphraseFile?: string;
  workspace?: string;
}

/** Writes a copy of a key; the destination must not exist (a key file is never overwritten). */
export async function runKeysExport(id: string, flags: KeysExportFlags, io: KeysIo): Promise<number> {
  if (flags.format !== 'notary' && flags.format !== 'keyrite') throw new CliUsageError(`--format must be notary or keyrite, got "${flags.format}"`);
  if (!flags.output) throw new CliUsageError('give the destination with -o FILE');
  const destination = path.resolve(io.cwd, flags.output);
  const ctx = keysContext(flags.workspace, io);
  const stored = await findStoredKey(ctx.store, id);
  const identity = stored.envelope.key;
  let text: string;
  if (flags.format === 'keyrite') {
    // The encrypted file itself: no passphrase needed, and the copy is byte-identical.
    const bytes = await readFileCapped(stored.filePath, 64 * 1024);
    if (bytes === null) throw new CliUsageError(`${stored.filePath} vanished`);
    text = Buffer.from(bytes).toString('utf8');
  } else {
    const role = identity.role ?? 'root';
    const roles = [...((await ctx.inventory.get(identity.id))?.roles ?? []), identity.role];
    const request = { purpose: `the passphrase of key ${identity.id.slice(0, 12)}`, file: flags.passphraseFile, envNames: ['KEYRITE_PASSPHRASE'], role, confirm: false, keychain: keychainLookupFor(identity.id, roles) };
    const { result: key, passphrase } = await openWithPassphrase(request, io, (value) => ctx.store.load(stored.filePath, value));
    // Same passphrase in both files, as `notary key export` does.
    text = exportNotaryKeyFile(key.privateKey, { role, gun: identity.gun, passphrase: passphrase.value });
  }
  await writeFileExclusive(destination, text);
  io.stdout(`Exported key ${identity.id} (${flags.format} format) to ${destination}\n`);
  return EXIT.ok;
}

export interface KeysPasswdFlags {
  passphraseFile?: string;
  newPassphraseFile?: string;
  workspace?: string;
}

export async function runKeysPasswd(id: string, flags: KeysPasswdFlags, io: KeysIo): Promise<number> {
  const ctx = keysContext(flags.workspace, io);
  const stored = await findStoredKey(ctx.store, id);
  const identity = stored.envelope.key;
  const short = identity.id.slice(0, 12);
  const oldPassphrase = await resolvePassphrase({ purpose: `the current passphrase of key ${short}`, file: flags.passphraseFile, envNames: ['KEYRITE_PASSPHRASE'], role: identity.role, confirm: false }, io);
  // Deliberately no role variables here: the new passphrase must be chosen, not inherited.
  const newPassphrase = await resolvePassphrase({ purpose: `the new passphrase of key ${short}`, file: flags.newPassphraseFile, envNames: ['KEYRITE_NEW_PASSPHRASE'], confirm: true }, io);
  const next = await openWith(oldPassphrase, (value) => ctx.store.changePassphrase(stored.filePath, value, newPassphrase.value));
  const record = await ctx.inventory.get(identity.id);
  if (record) await ctx.inventory.update(identity.id, { location: { kind: 'file', fileName: path.basename(next.filePath) } });
  io.stdout(`Changed the passphrase of key ${identity.id}\n  new file: ${next.filePath}\n  old file moved to ${path.join(ctx.keysDir, 'quarantine')}\n`);
  const roles = [...new Set([...(record?.roles ?? []), ...(identity.role ? [identity.role] : [])])];
  await followInKeychain(identity.id, roles, oldPassphrase.value, newPassphrase.value, io);
  return EXIT.ok;
}

/**
 * A passphrase remembered in the OS keychain follows a change: it is replaced only when it was the
 * old passphrase (so it opened the key until now); a remembered value that did not is left alone
 * and reported. The change itself has already succeeded: a keychain failure is a warning.
 */
async function followInKeychain(keyId: string, roles: readonly string[], oldValue: string, newValue: string, io: KeysIo): Promise<void> {
  const lookup = keychainLookupFor(keyId, roles);
  if (lookup === undefined) return;
  const remembered = await rememberedPassphrase(lookup, io);
  if (remembered === null) return;
  if (remembered !== oldValue) {
    io.stderr(`keyrite: warning: the passphrase remembered in ${KEYCHAIN_SOURCE} for ${keyId} did not open this key before the change either; left as it is: run keyrite keys forget ${keyId}\n`);
    return;
  }
  try {
    const store = await keychainStore(io);
    await store?.set({ kind: lookup.kind, keyId }, newValue);
    io.stdout(`  the passphrase remembered in ${KEYCHAIN_SOURCE} is now the new one\n`);
  } catch (error) {
    io.stderr(`keyrite: warning: ${KEYCHAIN_SOURCE} still holds the old passphrase of ${keyId} (${error instanceof Error ? error.message : String(error)}): run keyrite keys forget ${keyId}\n`);
  }
}

export interface KeysRemoveFlags {
  backup?: string;
  backupFormat?: string;
  passphraseFile?: string;
  backupPassphraseFile?: string;
  workspace?: string;
}

/** Retires a key file, only once a verified backup (decrypting to the same key) exists; quarantine, never unlink. */
export async function runKeysRemove(id: string, flags: KeysRemoveFlags, io: KeysIo): Promise<number> {
  if (!flags.backup) throw new CliUsageError('removal needs a verified copy: give --backup FILE (make one with "keyrite keys export")');
  const format = flags.backupFormat ?? 'keyrite';
  if (format !== 'notary' && format !== 'keyrite') throw new CliUsageError(`--backup-format must be notary or keyrite, got "${format}"`);
  const ctx = keysContext(flags.workspace, io);
  const stored = await findStoredKey(ctx.store, id);
  const identity = stored.envelope.key;
  const passphrase = await resolvePassphrase({ purpose: `the passphrase of key ${identity.id.slice(0, 12)}`, file: flags.passphraseFile, envNames: ['KEYRITE_PASSPHRASE'], role: identity.role, confirm: false }, io);
  const backupPassphrase = flags.backupPassphraseFile
    ? await resolvePassphrase({ purpose: 'the passphrase of the backup', file: flags.backupPassphraseFile, envNames: [], confirm: false }, io)
    : passphrase;
  const backupPath = path.resolve(io.cwd, flags.backup);
  const quarantined = await openWith(passphrase, (value) => ctx.store.remove(stored.filePath, value, { filePath: backupPath, passphrase: backupPassphrase.value, format }));
  if (await ctx.inventory.get(identity.id)) {
    await ctx.inventory.update(identity.id, { status: 'quarantined', location: { kind: 'file', fileName: path.basename(quarantined) } });
  }
  io.stdout(`Removed key ${identity.id} from the key store after verifying the backup ${backupPath}\n  moved to ${quarantined} (not deleted)\n`);
  return EXIT.ok;
}

/**
 * `keyrite keys import`: Notary/Docker key files (PKCS#8 and the legacy notary 0.1–0.3 formats),
 * whole trust dirs (`~/.docker/trust`, `~/.notary`: every key under private/), and Keyrite's own
 * key files (a `keys export --format keyrite` copy). Keys are re-encrypted in Keyrite's format with
 * the passphrase that opened them.
 */
import type { KeyObject } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import path from 'node:path';

import { readFileCapped } from '../core/fs/atomic-write';
import { decryptKeyFile, importNotaryTrustDir, inspectNotaryKeyFile, readNotaryKeyFile } from '../core/keys';
import { CliUsageError, EXIT } from './cli-io';
import { fileRecord, keysContext, storedKeys, type KeysContext } from './keys-context';
import { openWith, resolvePassphrase, type KeysIo, type ResolvedPassphrase } from './keys-passphrase';

export interface KeysImportFlags {
  gun?: string;
  role?: string;
  holder?: string;
  passphraseFile?: string;
  json?: boolean;
  workspace?: string;
}

interface ImportResult {
  file: string;
  id: string;
  role: string;
  gun: string | null;
  status: 'imported' | 'already-present';
}

const MAX_IMPORT_BYTES = 256 * 1024;

export async function runKeysImport(files: readonly string[], flags: KeysImportFlags, io: KeysIo): Promise<number> {
  const ctx = keysContext(flags.workspace, io);
  const results: ImportResult[] = [];
  for (const file of files) {
    const filePath = path.resolve(io.cwd, file);
    const stat = await fsp.stat(filePath).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') throw new CliUsageError(`${filePath} does not exist`);
      throw error;
    });
    if (stat.isDirectory()) results.push(...(await importTrustDir(ctx, filePath, flags, io)));
    else results.push(await importFile(ctx, filePath, flags, io));
  }
  if (flags.json) io.stdout(`${JSON.stringify({ keys: results }, null, 2)}\n`);
  else if (results.length === 0) io.stdout('No private keys found.\n');
  else for (const r of results) io.stdout(`${r.status === 'imported' ? 'Imported' : 'Already present'} ${r.role} key ${r.id}${r.gun ? ` (${r.gun})` : ''} from ${r.file}\n`);
  return EXIT.ok;
}

function askFor(role: string, filePath: string, encrypted: boolean, flags: KeysImportFlags, io: KeysIo): Promise<ResolvedPassphrase> {
  const base = { file: flags.passphraseFile, envNames: ['KEYRITE_PASSPHRASE'], role };
  return encrypted
    ? resolvePassphrase({ ...base, purpose: `the passphrase of ${role} key file ${path.basename(filePath)}`, confirm: false }, io)
    : resolvePassphrase({ ...base, purpose: `a new passphrase for the ${role} key`, confirm: true }, io);
}

async function importFile(ctx: KeysContext, filePath: string, flags: KeysImportFlags, io: KeysIo): Promise<ImportResult> {
  const bytes = await readFileCapped(filePath, MAX_IMPORT_BYTES);
  if (bytes === null) throw new CliUsageError(`${filePath} does not exist`);
  const text = Buffer.from(bytes).toString('utf8');
  if (text.trimStart().startsWith('{')) {
    // Keyrite's own format: identity (role, gun) is in the authenticated header.
    const passphrase = await resolvePassphrase({ purpose: `the passphrase of key file ${path.basename(filePath)}`, file: flags.passphraseFile, envNames: ['KEYRITE_PASSPHRASE'], role: flags.role ?? null, confirm: false }, io);
    const key = await openWith(passphrase, (value) => decryptKeyFile(bytes, value, filePath));
    const role = key.identity.role ?? flags.role;
    if (!role) throw new CliUsageError(`${filePath} does not say which role its key serves: give --role ROLE`);
    return store(ctx, { filePath, privateKey: key.privateKey, id: key.identity.id, role, gun: key.identity.gun ?? flags.gun ?? null, passphrase }, flags);
  }
  const info = inspectNotaryKeyFile(text, filePath);
  const layout = legacyLayout(filePath);
  const role = info.role ?? flags.role ?? layout.role;
  if (!role) throw new CliUsageError(`${filePath} does not say which role its key serves: give --role ROLE`);
  const passphrase = await askFor(role, filePath, info.encrypted, flags, io);
  const key = await openWith(passphrase, (value) => readNotaryKeyFile(text, value, filePath));
  return store(ctx, { filePath, privateKey: key.privateKey, id: key.id, role, gun: info.gun ?? flags.gun ?? layout.gun, passphrase }, flags);
}

async function importTrustDir(ctx: KeysContext, dir: string, flags: KeysImportFlags, io: KeysIo): Promise<ImportResult[]> {
  const used = new Map<string, ResolvedPassphrase>();
  const keys = await importNotaryTrustDir(dir, async (role, filePath) => {
    const passphrase = await askFor(role, filePath, true, flags, io);
    used.set(filePath, passphrase);
    return passphrase.value;
  });
  const results: ImportResult[] = [];
  for (const key of keys) {
    const role = key.role ?? flags.role;
    if (!role) throw new CliUsageError(`${key.sourcePath} does not say which role its key serves: give --role ROLE`);
    const passphrase = used.get(key.sourcePath) ?? (await askFor(role, key.sourcePath, false, flags, io));
    results.push(await store(ctx, { filePath: key.sourcePath, privateKey: key.privateKey, id: key.id, role, gun: key.gun ?? flags.gun ?? null, passphrase }, flags));
  }
  return results;
}

async function store(
  ctx: KeysContext,
  key: { filePath: string; privateKey: KeyObject; id: string; role: string; gun: string | null; passphrase: ResolvedPassphrase },
  flags: KeysImportFlags,
): Promise<ImportResult> {
  const existing = (await storedKeys(ctx.store)).find((stored) => stored.envelope.key.id === key.id);
  // The same key twice in the store would make ID prefixes ambiguous; record the role instead.
  const stored = existing ?? (await ctx.store.add(key.privateKey, key.passphrase.value, { role: key.role, gun: key.gun }));
  await ctx.inventory.upsert(fileRecord(stored, { roles: [key.role], holder: flags.holder ?? null, origin: 'imported' }));
  return { file: key.filePath, id: key.id, role: key.role, gun: key.gun, status: existing ? 'already-present' : 'imported' };
}

/** notary 0.1 wrote no headers: `private/root_keys/<id>_root.key`, `private/tuf_keys/<gun>/<id>_<role>.key`. */
function legacyLayout(filePath: string): { role: string | null; gun: string | null } {
  const role = /^[0-9a-f]{64}_([a-z]+)\.key$/.exec(path.basename(filePath))?.[1] ?? null;
  const parts = filePath.split(path.sep);
  const at = parts.lastIndexOf('tuf_keys');
  const gunParts = at >= 0 ? parts.slice(at + 1, -1) : [];
  return { role, gun: gunParts.length > 0 ? gunParts.join('/') : null };
}

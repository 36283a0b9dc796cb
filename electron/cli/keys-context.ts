/** Shared plumbing of `keyrite keys ...`: the workspace key store, the inventory, key lookup by ID. */
import { createPublicKey, type KeyObject } from 'node:crypto';
import path from 'node:path';

import { InventoryStore, type InventoryRecord } from '../core/inventory';
import { KeyStore, notaryKeyId, tufKeyId, type StoredKey } from '../core/keys';
import { CliUsageError, resolveWorkspaceDir, type CliIo } from './cli-io';

export interface KeysContext {
  workspaceDir: string;
  keysDir: string;
  store: KeyStore;
  inventory: InventoryStore;
}

export function keysContext(workspaceFlag: string | undefined, io: CliIo): KeysContext {
  const workspaceDir = resolveWorkspaceDir(workspaceFlag, io);
  const keysDir = path.join(workspaceDir, 'keys');
  return { workspaceDir, keysDir, store: new KeyStore(keysDir), inventory: new InventoryStore(keysDir) };
}

/** Readable key files of the store (unreadable ones are reported by `keys list`, not here). */
export async function storedKeys(store: KeyStore): Promise<StoredKey[]> {
  return (await store.list()).filter((item): item is StoredKey => 'envelope' in item);
}

/** Shortest ID prefix accepted on the command line (Notary prints 7-character short IDs). */
const MIN_PREFIX = 7;

/** The stored key whose Notary or TUF key ID is `id` or starts with it; ambiguity is a usage error. */
export async function findStoredKey(store: KeyStore, id: string): Promise<StoredKey> {
  const wanted = id.toLowerCase();
  if (!/^[0-9a-f]+$/.test(wanted) || wanted.length < MIN_PREFIX) throw new CliUsageError(`key ID must be at least ${MIN_PREFIX} hex characters, got "${id}"`);
  const matches = (await storedKeys(store)).filter((key) => {
    const ids = [key.envelope.key.id, tufKeyId(publicKeyOf(key))];
    return ids.some((candidate) => candidate.startsWith(wanted));
  });
  const first = matches[0];
  if (!first) throw new CliUsageError(`no key ${id} in the key store ${store.dir} (see "keyrite keys list")`);
  if (matches.length > 1) throw new CliUsageError(`key ID prefix ${id} is ambiguous: ${matches.map((m) => m.envelope.key.id).join(', ')}`);
  return first;
}

export function publicKeyOf(key: StoredKey): KeyObject {
  return createPublicKey({ key: Buffer.from(key.envelope.key.publicKey, 'base64'), format: 'der', type: 'spki' });
}

/** The inventory record of a key file in the workspace key store. */
export function fileRecord(stored: StoredKey, extra: { roles: string[]; holder: string | null; origin: InventoryRecord['origin'] }): InventoryRecord {
  const key = stored.envelope.key;
  const publicKey = publicKeyOf(stored);
  return {
    id: key.id,
    keyIds: { notary: notaryKeyId(publicKey), tuf: tufKeyId(publicKey) },
    algorithm: key.algorithm,
    publicKey: key.publicKey,
    roles: extra.roles,
    gun: key.gun,
    label: key.label,
    holder: extra.holder,
    location: { kind: 'file', fileName: path.basename(stored.filePath) },
    origin: extra.origin,
    status: 'active',
  };
}

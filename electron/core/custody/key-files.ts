/**
 * Key files for the GUI: import (Notary/Docker PKCS#8 and legacy PEM, or Keyrite's own file),
 * export (Notary PEM re-encrypted with the same passphrase, or a byte-identical Keyrite copy) and
 * software key generation. Everything lands in the workspace key store (encrypted at rest) and the
 * inventory; a destination file is never overwritten.
 */
import { createPublicKey, type KeyObject } from 'node:crypto';
import path from 'node:path';

import type { SoftwareAlgorithm } from '../../../shared/ipc/custody';
import { readFileCapped } from '../fs/atomic-write';
import type { InventoryEntry, InventoryRecord, InventoryStore } from '../inventory';
import {
  decryptKeyFile,
  exportNotaryKeyFile,
  generateSoftwareKey,
  inspectNotaryKeyFile,
  notaryKeyId,
  readNotaryKeyFile,
  tufKeyId,
  type KeyStore,
  type StoredKey,
} from '../keys';
import { writeFileExclusive } from '../keys/exclusive-write';
import { CustodyKeyNotFoundError, KeyRoleMissingError, PassphraseRequiredError } from './errors';

const MAX_IMPORT_BYTES = 256 * 1024;

export interface KeyDutyInput {
  role?: string | undefined;
  gun?: string | undefined;
  label?: string | undefined;
  holder?: string | undefined;
}

export class KeyFileCustody {
  constructor(
    private readonly store: KeyStore,
    private readonly inventory: InventoryStore,
  ) {}

  /**
   * Imports one key file. An unencrypted Notary file gets `passphrase` as its new passphrase (the
   * store enforces the minimum length); an encrypted one is opened with it and re-encrypted with it.
   */
  async importFile(filePath: string, passphrase: string, duty: KeyDutyInput): Promise<InventoryEntry> {
    const bytes = await readFileCapped(filePath, MAX_IMPORT_BYTES);
    if (bytes === null) throw new CustodyKeyNotFoundError(`${filePath} does not exist any more. Choose the file again.`);
    const text = Buffer.from(bytes).toString('utf8');
    let privateKey: KeyObject;
    let role: string | null;
    let gun: string | null;
    if (text.trimStart().startsWith('{')) {
      const key = await decryptKeyFile(bytes, passphrase, filePath);
      privateKey = key.privateKey;
      role = key.identity.role;
      gun = key.identity.gun;
    } else {
      const info = inspectNotaryKeyFile(text, filePath);
      const key = readNotaryKeyFile(text, info.encrypted ? passphrase : null, filePath);
      privateKey = key.privateKey;
      role = info.role;
      gun = info.gun;
    }
    const finalRole = role ?? duty.role ?? null;
    if (finalRole === null) throw new KeyRoleMissingError(`${path.basename(filePath)} does not say which role its key serves. Choose the role and import again.`);
    const id = notaryKeyId(privateKey);
    const existing = (await this.storedKeys()).find((stored) => stored.envelope.key.id === id);
    // The same key twice in the store would make ID prefixes ambiguous: record the duty instead.
    const stored = existing ?? (await this.store.add(privateKey, passphrase, { role: finalRole, gun: gun ?? duty.gun ?? null, label: duty.label ?? null }));
    return this.inventory.upsert(fileRecord(stored, { roles: [finalRole], holder: duty.holder ?? null, label: duty.label ?? null, origin: 'imported' }));
  }

  /** Writes a copy of a stored key to `destination` (which must not exist). */
  async exportFile(keyId: string, destination: string, format: 'notary' | 'keyrite', passphrase: string | undefined): Promise<void> {
    const stored = (await this.storedKeys()).find((candidate) => candidate.envelope.key.id === keyId);
    if (!stored) throw new CustodyKeyNotFoundError(`Key ${keyId.slice(0, 12)} is not a key file in this workspace (token and server keys cannot be exported).`);
    const identity = stored.envelope.key;
    if (format === 'keyrite') {
      const bytes = await readFileCapped(stored.filePath, 64 * 1024);
      if (bytes === null) throw new CustodyKeyNotFoundError(`${stored.filePath} vanished from the key store.`);
      await writeFileExclusive(destination, bytes);
      return;
    }
    if (passphrase === undefined) throw new PassphraseRequiredError('The Notary format re-encrypts the key: enter the key file passphrase.');
    const key = await this.store.load(stored.filePath, passphrase);
    // Same passphrase in both files, as `notary key export` does.
    await writeFileExclusive(destination, exportNotaryKeyFile(key.privateKey, { role: identity.role ?? 'root', gun: identity.gun, passphrase }));
  }

  async generate(algorithm: SoftwareAlgorithm, passphrase: string, duty: KeyDutyInput & { role: string }): Promise<InventoryEntry> {
    const pair =
      algorithm === 'rsa-3072' || algorithm === 'rsa-4096'
        ? await generateSoftwareKey('rsa', { rsaBits: algorithm === 'rsa-3072' ? 3072 : 4096 })
        : await generateSoftwareKey(algorithm);
    const stored = await this.store.add(pair.privateKey, passphrase, { role: duty.role, gun: duty.gun ?? null, label: duty.label ?? null });
    return this.inventory.upsert(fileRecord(stored, { roles: [duty.role], holder: duty.holder ?? null, label: duty.label ?? null, origin: 'generated' }));
  }

  private async storedKeys(): Promise<StoredKey[]> {
    return (await this.store.list()).filter((item): item is StoredKey => 'envelope' in item);
  }
}

function fileRecord(stored: StoredKey, extra: { roles: string[]; holder: string | null; label: string | null; origin: InventoryRecord['origin'] }): InventoryRecord {
  const key = stored.envelope.key;
  const publicKey = createPublicKey({ key: Buffer.from(key.publicKey, 'base64'), format: 'der', type: 'spki' });
  return {
    id: key.id,
    keyIds: { notary: notaryKeyId(publicKey), tuf: tufKeyId(publicKey) },
    algorithm: key.algorithm,
    publicKey: key.publicKey,
    roles: extra.roles,
    gun: key.gun,
    label: extra.label ?? key.label,
    holder: extra.holder,
    location: { kind: 'file', fileName: path.basename(stored.filePath) },
    origin: extra.origin,
    status: 'active',
  };
}

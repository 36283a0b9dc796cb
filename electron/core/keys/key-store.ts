import { createHash, type KeyObject } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import path from 'node:path';

import { readFileCapped } from '../fs/atomic-write';
import { KeyFileMalformedError, KeyMismatchError } from './errors';
import { decryptKeyFile, encryptKeyFile, readKeyFileHeader, type DecryptedKey, type EncryptOptions, type KeyFileEnvelope } from './keyrite-key-file';
import { readNotaryKeyFile } from './notary-key-file';
import { moveFileExclusive, writeFileExclusive } from './exclusive-write';
import { notaryKeyId } from './software-keys';

export const KEY_FILE_EXTENSION = '.krkey';
const MAX_KEY_FILE_BYTES = 64 * 1024;
const QUARANTINE_DIR = 'quarantine';

export interface StoredKey {
  filePath: string;
  envelope: KeyFileEnvelope;
}

/** A verified second copy of a key, required before the store lets a key file go. */
export interface VerifiedCopy {
  filePath: string;
  passphrase: string | null;
  format: 'keyrite' | 'notary';
}

/**
 * Keyrite's software key store: one directory of encrypted key files named
 * `<notary key id>-<sha256 of the file, 16 hex>.krkey` — content-addressed, so a new file never
 * needs the name of an old one. Files are created exclusively and durably and are never
 * overwritten or deleted: "removal" and passphrase changes move the old file to `quarantine/`,
 * and only after a verified copy of the key exists.
 */
export class KeyStore {
  constructor(
    readonly dir: string,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  /**
   * Encrypts and stores a key. encryptKeyFile has already reopened the sealed bytes with the same
   * derived key; here the file is read back from disk and must equal those bytes exactly, so the
   * stored file provably decrypts to this key without paying for a second scrypt run.
   */
  async add(privateKey: KeyObject, passphrase: string, options: EncryptOptions = {}): Promise<StoredKey> {
    const text = await encryptKeyFile(privateKey, passphrase, options);
    const envelope = readKeyFileHeader(text);
    if (envelope.key.id !== notaryKeyId(privateKey)) throw new KeyMismatchError('sealed file names a different key');
    const filePath = path.join(this.dir, `${envelope.key.id}-${sha256Hex(text).slice(0, 16)}${KEY_FILE_EXTENSION}`);
    await writeFileExclusive(filePath, text);
    const back = await this.readBytes(filePath);
    if (sha256Hex(Buffer.from(back)) !== sha256Hex(text)) throw new KeyMismatchError('the file read back differs from the bytes written', filePath);
    return { filePath, envelope };
  }

  /** Headers of every key file (no passphrase needed). Unreadable files are reported, not skipped. */
  async list(): Promise<Array<StoredKey | { filePath: string; error: Error }>> {
    let names: string[];
    try {
      names = await fsp.readdir(this.dir);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    const out: Array<StoredKey | { filePath: string; error: Error }> = [];
    for (const name of names.filter((n) => n.endsWith(KEY_FILE_EXTENSION)).sort()) {
      const filePath = path.join(this.dir, name);
      try {
        out.push({ filePath, envelope: readKeyFileHeader(await this.readBytes(filePath), filePath) });
      } catch (error) {
        out.push({ filePath, error: error instanceof Error ? error : new Error(String(error)) });
      }
    }
    return out;
  }

  async load(filePath: string, passphrase: string): Promise<DecryptedKey> {
    return decryptKeyFile(await this.readBytes(filePath), passphrase, filePath);
  }

  /**
   * New passphrase: write a new file, prove it decrypts (from disk) to the same private key, and
   * only then quarantine the old file. Returns the new file.
   */
  async changePassphrase(filePath: string, oldPassphrase: string, newPassphrase: string, options: Pick<EncryptOptions, 'kdf' | 'cipher'> = {}): Promise<StoredKey> {
    const old = await this.load(filePath, oldPassphrase);
    const { role, gun, label } = old.identity;
    const stored = await this.add(old.privateKey, newPassphrase, { ...options, role, gun, label });
    // Decrypt the new file from disk with the new passphrase before letting the old one go.
    const reopened = await this.load(stored.filePath, newPassphrase);
    if (!samePrivateKey(reopened.privateKey, old.privateKey)) throw new KeyMismatchError('the new file decrypts to a different key', stored.filePath);
    await this.quarantine(filePath);
    return stored;
  }

  /**
   * "Delete": only with a verified copy (its key must decrypt and equal this one), and even then
   * the file is moved to quarantine, not unlinked. Returns the quarantine path.
   */
  async remove(filePath: string, passphrase: string, copy: VerifiedCopy): Promise<string> {
    if (path.resolve(copy.filePath) === path.resolve(filePath)) throw new KeyMismatchError('the copy must be a different file', filePath);
    const ours = await this.load(filePath, passphrase);
    const bytes = await this.readBytes(copy.filePath);
    const theirs =
      copy.format === 'keyrite'
        ? (await decryptKeyFile(bytes, copy.passphrase ?? '', copy.filePath)).privateKey
        : readNotaryKeyFile(Buffer.from(bytes).toString('utf8'), copy.passphrase, copy.filePath).privateKey;
    if (!samePrivateKey(ours.privateKey, theirs)) throw new KeyMismatchError('the copy holds a different key', copy.filePath);
    return this.quarantine(filePath);
  }

  private async quarantine(filePath: string): Promise<string> {
    const stamp = this.clock().toISOString().replace(/[:.]/g, '-');
    const destination = path.join(this.dir, QUARANTINE_DIR, `${path.basename(filePath)}.${stamp}`);
    await moveFileExclusive(filePath, destination);
    return destination;
  }

  private async readBytes(filePath: string): Promise<Uint8Array> {
    const bytes = await readFileCapped(filePath, MAX_KEY_FILE_BYTES);
    if (bytes === null) throw new KeyFileMalformedError('file does not exist', filePath);
    return bytes;
  }
}

function samePrivateKey(a: KeyObject, b: KeyObject): boolean {
  const da = a.export({ type: 'pkcs8', format: 'der' });
  const db = b.export({ type: 'pkcs8', format: 'der' });
  try {
    return da.equals(db);
  } finally {
    da.fill(0);
    db.fill(0);
  }
}

function sha256Hex(text: string | Buffer): string {
  return createHash('sha256').update(text).digest('hex');
}

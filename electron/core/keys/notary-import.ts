import { promises as fsp } from 'node:fs';

import { listPrivateKeys } from '../sources/private-keys';
import { KeyMismatchError } from './errors';
import { readNotaryKeyFile, type NotaryKeyFile } from './notary-key-file';

export interface ImportedNotaryKey extends NotaryKeyFile {
  sourcePath: string;
  /** The ID the file is named by; equal to `id` (checked). */
  fileId: string;
}

/** Supplies the passphrase for a key of `role` (from a prompt, the env names, or a file). */
export type PassphraseSource = (role: string, filePath: string) => string | null | Promise<string | null>;

/**
 * Imports every private key of a Notary/Docker trust dir, in both the current flat layout and the
 * legacy `root_keys/` / `tuf_keys/<gun>/` layouts: role and gun come from the headers, else from the
 * legacy path. The computed canonical key ID must equal the ID in the file name — a renamed or
 * swapped key file is refused rather than filed under the wrong identity.
 */
export async function importNotaryTrustDir(trustDir: string, passphraseFor: PassphraseSource): Promise<ImportedNotaryKey[]> {
  const out: ImportedNotaryKey[] = [];
  for (const entry of await listPrivateKeys(trustDir)) {
    const text = await fsp.readFile(entry.path, 'utf8');
    const passphrase = entry.encrypted ? await passphraseFor(entry.role, entry.path) : null;
    const key = readNotaryKeyFile(text, passphrase, entry.path);
    if (key.id !== entry.id) throw new KeyMismatchError(`file is named ${entry.id} but holds key ${key.id}`, entry.path);
    out.push({ ...key, role: key.role ?? entry.role, gun: key.gun ?? entry.gun, sourcePath: entry.path, fileId: entry.id });
  }
  return out;
}

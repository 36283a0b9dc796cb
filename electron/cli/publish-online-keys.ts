import type { KeyObject } from 'node:crypto';
import path from 'node:path';

import { readFileCapped } from '../core/fs/atomic-write';
import { decryptKeyFile, inspectNotaryKeyFile, readKeyFileHeader, readNotaryKeyFile } from '../core/keys';
import { CliUsageError } from './cli-io';
import { keychainLookupFor } from './keys-keychain-source';
import { openWithPassphrase, type KeysIo } from './keys-passphrase';

const MAX_KEY_FILE_BYTES = 1024 * 1024;

/**
 * Loads the online snapshot/timestamp keys given with `--online-key FILE`: a Keyrite key file
 * (always encrypted) or a PEM private key (PKCS#8, encrypted or not; Notary/Docker files too).
 * Encrypted files take their passphrase from --passphrase-file, KEYRITE_ONLINE_KEY_PASSPHRASE,
 * KEYRITE_PASSPHRASE, the OS keychain (Keyrite key files whose passphrase was remembered with
 * `keyrite keys remember`), or a prompt.
 */
export async function loadOnlineKeys(files: readonly string[], passphraseFile: string | undefined, io: KeysIo): Promise<KeyObject[]> {
  const keys: KeyObject[] = [];
  for (const file of files) {
    const filePath = path.resolve(io.cwd, file);
    const bytes = await readFileCapped(filePath, MAX_KEY_FILE_BYTES);
    if (!bytes) throw new CliUsageError(`--online-key ${filePath} does not exist`);
    const text = Buffer.from(bytes).toString('utf8');
    const keyrite = text.trimStart().startsWith('{');
    const encrypted = keyrite || inspectNotaryKeyFile(text, filePath).encrypted;
    if (!encrypted) {
      keys.push(readNotaryKeyFile(text, null, filePath).privateKey);
      continue;
    }
    // Only a Keyrite key file names its key id (and role) before it is opened.
    const header = keyrite ? readKeyFileHeader(text, filePath).key : null;
    const { result } = await openWithPassphrase(
      {
        purpose: `the passphrase of online key ${path.basename(filePath)}`,
        file: passphraseFile,
        envNames: ['KEYRITE_ONLINE_KEY_PASSPHRASE', 'KEYRITE_PASSPHRASE'],
        confirm: false,
        keychain: header ? keychainLookupFor(header.id, [header.role]) : undefined,
      },
      io,
      async (value) => (keyrite ? (await decryptKeyFile(bytes, value, filePath)).privateKey : readNotaryKeyFile(text, value, filePath).privateKey),
    );
    keys.push(result);
  }
  return keys;
}

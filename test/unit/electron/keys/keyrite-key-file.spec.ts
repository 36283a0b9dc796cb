import { createPublicKey, sign, verify } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';

import {
  KeyFileMalformedError,
  KeyFileTamperedError,
  KeyFileTruncatedError,
  UnsupportedCipherError,
  UnsupportedKeyFileVersionError,
  WeakKdfParametersError,
  WeakPassphraseError,
  WrongPassphraseError,
} from '../../../../electron/core/keys/errors';
import { decryptKeyFile, encryptKeyFile, readKeyFileHeader } from '../../../../electron/core/keys/keyrite-key-file';
import { generateSoftwareKey, notaryKeyId, type SoftwareKeyPair } from '../../../../electron/core/keys/software-keys';

const PASS = 'correct horse battery';

/** The envelope as a test may vandalise it. */
interface EditableEnvelope {
  version: unknown;
  kdf: Record<string, unknown> & { salt: string };
  cipher: { name: string };
  key: { role: string | null };
  ciphertext: string;
  tag: string;
}

describe('Keyrite encrypted key file', () => {
  let pair: SoftwareKeyPair;
  let file: string;

  beforeAll(async () => {
    pair = await generateSoftwareKey('ecdsa-p256');
    file = await encryptKeyFile(pair.privateKey, PASS, { role: 'root', label: 'offline root A' });
  });

  /** Re-serialises the envelope after an edit. */
  const edit = (mutate: (json: EditableEnvelope) => void): string => {
    const json = JSON.parse(file) as EditableEnvelope;
    mutate(json);
    return JSON.stringify(json);
  };

  it('round-trips and records an authenticated identity header with scrypt N=2^17, r=8, p=1', async () => {
    const header = readKeyFileHeader(file);
    expect(header.version).toBe(1);
    expect(header.kdf).toMatchObject({ name: 'scrypt', logN: 17, r: 8, p: 1 });
    expect(Buffer.from(header.kdf.salt, 'base64')).toHaveLength(16);
    expect(header.cipher.name).toBe('aes-256-gcm');
    expect(header.key).toMatchObject({ id: notaryKeyId(pair.privateKey), role: 'root', gun: null, algorithm: 'ecdsa-p256', label: 'offline root A' });
    expect(file).not.toContain(pair.privateKey.export({ type: 'pkcs8', format: 'der' }).toString('base64'));

    const { privateKey, identity } = await decryptKeyFile(file, PASS);
    expect(identity.id).toBe(header.key.id);
    const message = Buffer.from('payload');
    expect(verify('sha256', message, createPublicKey(privateKey), sign('sha256', message, pair.privateKey))).toBe(true);
    expect(privateKey.export({ type: 'pkcs8', format: 'der' }).equals(pair.privateKey.export({ type: 'pkcs8', format: 'der' }))).toBe(true);
  });

  it('rejects a wrong passphrase as WrongPassphraseError', async () => {
    await expect(decryptKeyFile(file, 'correct horse battery!')).rejects.toBeInstanceOf(WrongPassphraseError);
  });

  it('rejects a truncated file as KeyFileTruncatedError', async () => {
    await expect(decryptKeyFile(file.slice(0, Math.floor(file.length / 2)), PASS)).rejects.toBeInstanceOf(KeyFileTruncatedError);
    const shortTag = edit((j) => (j.tag = Buffer.from(j.tag, 'base64').subarray(0, 8).toString('base64')));
    await expect(decryptKeyFile(shortTag, PASS)).rejects.toBeInstanceOf(KeyFileTruncatedError);
  });

  it('rejects a bit flip in the ciphertext, and an edited header field, as KeyFileTamperedError', async () => {
    const flipped = edit((j) => {
      const ct = Buffer.from(j.ciphertext, 'base64');
      ct[10] = (ct[10] as number) ^ 0x01;
      j.ciphertext = ct.toString('base64');
    });
    await expect(decryptKeyFile(flipped, PASS)).rejects.toBeInstanceOf(KeyFileTamperedError);
    // The role is associated data: promoting a delegation key to "root" by editing the header fails.
    const relabelled = edit((j) => (j.key.role = 'targets'));
    await expect(decryptKeyFile(relabelled, PASS)).rejects.toBeInstanceOf(KeyFileTamperedError);
  });

  it('refuses weak or foreign KDF parameters before running the KDF', async () => {
    for (const kdf of [{ logN: 1 }, { logN: 16 }, { r: 1 }, { p: 0 }]) {
      const weak = edit((j) => Object.assign(j.kdf, kdf));
      await expect(decryptKeyFile(weak, PASS)).rejects.toBeInstanceOf(WeakKdfParametersError);
    }
    const pbkdf2 = edit((j) => (j.kdf = { name: 'pbkdf2', iterations: 1, salt: j.kdf.salt }));
    await expect(decryptKeyFile(pbkdf2, PASS)).rejects.toBeInstanceOf(WeakKdfParametersError);
    const huge = edit((j) => (j.kdf.logN = 30));
    await expect(decryptKeyFile(huge, PASS)).rejects.toBeInstanceOf(WeakKdfParametersError);
    await expect(encryptKeyFile(pair.privateKey, PASS, { kdf: { logN: 10 } })).rejects.toBeInstanceOf(WeakKdfParametersError);
  });

  it('refuses unknown ciphers, versions and non-envelopes with named errors', async () => {
    await expect(decryptKeyFile(edit((j) => (j.cipher.name = 'aes-256-cbc')), PASS)).rejects.toBeInstanceOf(UnsupportedCipherError);
    await expect(decryptKeyFile(edit((j) => (j.cipher.name = 'rot13')), PASS)).rejects.toBeInstanceOf(UnsupportedCipherError);
    await expect(decryptKeyFile(edit((j) => (j.version = 2)), PASS)).rejects.toBeInstanceOf(UnsupportedKeyFileVersionError);
    await expect(decryptKeyFile('-----BEGIN PRIVATE KEY-----\n', PASS)).rejects.toBeInstanceOf(KeyFileMalformedError);
    await expect(decryptKeyFile(edit((j) => (j.ciphertext = '%%%')), PASS)).rejects.toBeInstanceOf(KeyFileMalformedError);
  });

  it('refuses new passphrases shorter than 8 characters', async () => {
    await expect(encryptKeyFile(pair.privateKey, 'short')).rejects.toBeInstanceOf(WeakPassphraseError);
  });

  it('round-trips ed25519 under ChaCha20-Poly1305', async () => {
    const ed = await generateSoftwareKey('ed25519');
    const edFile = await encryptKeyFile(ed.privateKey, PASS, { cipher: 'chacha20-poly1305', role: 'targets/releases' });
    expect(readKeyFileHeader(edFile).cipher.name).toBe('chacha20-poly1305');
    expect((await decryptKeyFile(edFile, PASS)).identity).toMatchObject({ algorithm: 'ed25519', role: 'targets/releases', id: notaryKeyId(ed.privateKey) });
  });
});

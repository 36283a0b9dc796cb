import { createDecipheriv, createHash, createPrivateKey, type KeyObject } from 'node:crypto';

import { KeyFileMalformedError, KeyFileTruncatedError, UnsupportedCipherError, UnsupportedKeyAlgorithmError, WrongPassphraseError } from './errors';
import { decryptNotaryPkcs8, encryptNotaryPkcs8, fromNotaryPkcs8, toNotaryPkcs8 } from './notary-pkcs8';
import { assertNewPassphrase, passphraseBytes } from './passphrase';
import { encodePem, parsePem, parsePemBundle } from './pem';
import { notaryKeyId } from './software-keys';

/** Roles whose key files carry a `gun:` header (notary.md §3: targets and snapshot). */
const GUN_ROLES = new Set(['targets', 'snapshot', 'timestamp']);

export type NotaryKeyFormat = 'pkcs8-encrypted' | 'pkcs8' | 'legacy-encrypted' | 'legacy';

export interface NotaryKeyFile {
  privateKey: KeyObject;
  /** Canonical key ID computed from the key (never trusted from the file name). */
  id: string;
  role: string | null;
  gun: string | null;
  /** The `path:` header notary's export adds (the key ID it was stored under), if present. */
  pathHeader: string | null;
  format: NotaryKeyFormat;
}

/** What a notary key file says about itself before decryption. */
export interface NotaryKeyFileInfo {
  type: string;
  role: string | null;
  gun: string | null;
  encrypted: boolean;
}

export function inspectNotaryKeyFile(text: string, filePath: string | null = null): NotaryKeyFileInfo {
  const block = parsePem(text, filePath);
  return {
    type: block.type,
    role: block.headers.get('role') ?? null,
    gun: block.headers.get('gun') ?? null,
    encrypted: block.type === 'ENCRYPTED PRIVATE KEY' || (block.headers.get('proc-type') ?? '').includes('ENCRYPTED'),
  };
}

/**
 * Reads a Notary/Docker private key file: `ENCRYPTED PRIVATE KEY` (PBES2) or `PRIVATE KEY` with
 * `role:`/`gun:` headers, and the legacy `EC/RSA/ED25519 PRIVATE KEY` with DEK-Info (notary 0.1–0.3).
 */
export function readNotaryKeyFile(text: string, passphrase: string | null, filePath: string | null = null): NotaryKeyFile {
  const block = parsePem(text, filePath);
  const role = block.headers.get('role') ?? null;
  const gun = block.headers.get('gun') ?? null;
  const pathHeader = block.headers.get('path') ?? null;
  let privateKey: KeyObject;
  let format: NotaryKeyFormat;
  if (block.type === 'ENCRYPTED PRIVATE KEY') {
    if (passphrase === null) throw new WrongPassphraseError(filePath);
    privateKey = fromNotaryPkcs8(decryptNotaryPkcs8(block.der, passphrase, filePath), filePath);
    format = 'pkcs8-encrypted';
  } else if (block.type === 'PRIVATE KEY') {
    privateKey = fromNotaryPkcs8(block.der, filePath);
    format = 'pkcs8';
  } else if (block.type === 'EC PRIVATE KEY' || block.type === 'RSA PRIVATE KEY' || block.type === 'ED25519 PRIVATE KEY') {
    const encrypted = (block.headers.get('proc-type') ?? '').includes('ENCRYPTED');
    let der = block.der;
    if (encrypted) {
      if (passphrase === null) throw new WrongPassphraseError(filePath);
      der = decryptLegacy(der, block.headers.get('dek-info') ?? '', passphrase, filePath);
    }
    privateKey = legacyKey(block.type, der, encrypted, filePath);
    format = encrypted ? 'legacy-encrypted' : 'legacy';
  } else {
    throw new KeyFileMalformedError(`unsupported PEM type "${block.type}"`, filePath);
  }
  return { privateKey, id: notaryKeyId(privateKey), role, gun, pathHeader, format };
}

/**
 * Reads every key of a multi-key file such as `notary key export` output (blocks carry `role:`,
 * `gun:` and `path:` headers). The passphrase is asked per block's role.
 */
export function readNotaryKeyBundle(text: string, passphraseFor: (role: string | null) => string | null, filePath: string | null = null): NotaryKeyFile[] {
  return parsePemBundle(text, filePath).map((block) => {
    const body = encodePem(block.type, block.der, Object.fromEntries([...block.headers].map(([k, v]) => [headerName(k), v])));
    return readNotaryKeyFile(body, passphraseFor(block.headers.get('role') ?? null), filePath);
  });
}

/** Restores the canonical spelling of the RFC 1421 headers we lower-cased while parsing. */
function headerName(lower: string): string {
  return lower === 'proc-type' ? 'Proc-Type' : lower === 'dek-info' ? 'DEK-Info' : lower;
}

export interface NotaryExportOptions {
  role: string;
  gun?: string | null;
  /** null writes an unencrypted `PRIVATE KEY` (notary does so for an empty passphrase). */
  passphrase: string | null;
  /** Adds `path: <keyid>` as `notary key export` does; `notary key import` needs it for encrypted input. */
  includePath?: boolean;
}

/** Writes a key file byte-compatible with what notary 0.7 writes and `notary key import` reads. */
export function exportNotaryKeyFile(privateKey: KeyObject, options: NotaryExportOptions): string {
  const headers: Record<string, string> = { role: options.role };
  if (GUN_ROLES.has(options.role)) {
    if (!options.gun) throw new KeyFileMalformedError(`a ${options.role} key file needs a gun`);
    headers.gun = options.gun;
  }
  if (options.includePath ?? true) headers.path = notaryKeyId(privateKey);
  const plain = toNotaryPkcs8(privateKey);
  try {
    if (options.passphrase === null) return encodePem('PRIVATE KEY', plain, headers);
    assertNewPassphrase(options.passphrase);
    return encodePem('ENCRYPTED PRIVATE KEY', encryptNotaryPkcs8(plain, options.passphrase), headers);
  } finally {
    plain.fill(0);
  }
}

const LEGACY_CIPHERS: Record<string, { name: string; keyLength: number }> = {
  'AES-128-CBC': { name: 'aes-128-cbc', keyLength: 16 },
  'AES-192-CBC': { name: 'aes-192-cbc', keyLength: 24 },
  'AES-256-CBC': { name: 'aes-256-cbc', keyLength: 32 },
};

/** RFC 1421 / OpenSSL "traditional" encryption: EVP_BytesToKey(MD5, 1 round), salt = IV[0..8]. */
function decryptLegacy(der: Buffer, dekInfo: string, passphrase: string, filePath: string | null): Buffer {
  const [cipherName = '', ivHex = ''] = dekInfo.split(',').map((s) => s.trim());
  const cipher = LEGACY_CIPHERS[cipherName.toUpperCase()];
  if (!cipher) throw new UnsupportedCipherError(cipherName || 'missing DEK-Info', filePath);
  if (!/^[0-9a-fA-F]{32}$/.test(ivHex)) throw new KeyFileMalformedError('DEK-Info IV must be 16 hex bytes', filePath);
  if (der.length === 0 || der.length % 16 !== 0) throw new KeyFileTruncatedError('encrypted body is not a whole number of AES blocks', filePath);
  const iv = Buffer.from(ivHex, 'hex');
  const password = passphraseBytes(passphrase);
  const key = evpBytesToKey(password, iv.subarray(0, 8), cipher.keyLength);
  password.fill(0);
  try {
    const decipher = createDecipheriv(cipher.name, key, iv);
    return Buffer.concat([decipher.update(der), decipher.final()]);
  } catch {
    throw new WrongPassphraseError(filePath);
  } finally {
    key.fill(0);
  }
}

function evpBytesToKey(password: Buffer, salt: Buffer, keyLength: number): Buffer {
  const blocks: Buffer[] = [];
  let previous = Buffer.alloc(0);
  let total = 0;
  while (total < keyLength) {
    previous = createHash('md5').update(Buffer.concat([previous, password, salt])).digest();
    blocks.push(previous);
    total += previous.length;
  }
  return Buffer.concat(blocks).subarray(0, keyLength);
}

function legacyKey(type: string, der: Buffer, encrypted: boolean, filePath: string | null): KeyObject {
  try {
    if (type === 'EC PRIVATE KEY') return createPrivateKey({ key: der, format: 'der', type: 'sec1' });
    if (type === 'RSA PRIVATE KEY') return createPrivateKey({ key: der, format: 'der', type: 'pkcs1' });
  } catch (error) {
    // Legacy CBC has no integrity check: a wrong passphrase that passes the padding check yields garbage.
    if (encrypted) throw new WrongPassphraseError(filePath);
    throw new KeyFileMalformedError(`${type} does not parse`, filePath, { cause: error });
  }
  if (der.length !== 96) {
    if (encrypted) throw new WrongPassphraseError(filePath);
    throw new UnsupportedKeyAlgorithmError(`ED25519 PRIVATE KEY of ${der.length} bytes`, filePath);
  }
  const seed = der.subarray(32, 64);
  return createPrivateKey({ key: Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), seed]), format: 'der', type: 'pkcs8' });
}

import { createHash, type KeyObject } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import path from 'node:path';

import { readNotaryKeyFile } from '../../../../electron/core/keys/notary-key-file';
import { notarySerialization } from '../../../../electron/core/remote/notary-publish';
import { signWithSoftwareKey } from '../../../../electron/core/keys/software-signer';
import { canonicalize } from '../../../../shared/tuf/canonical-json';
import type { JsonObject } from '../../../../shared/tuf/model';
import { PASSPHRASES } from '../../../support/notary';

export function parseEnvelope(bytes: Uint8Array): { signed: JsonObject; signatures: JsonObject[] } {
  return JSON.parse(Buffer.from(bytes).toString('utf8')) as { signed: JsonObject; signatures: JsonObject[] };
}

/** Notary FileMeta: length and base64 sha256/sha512 of the exact bytes (notary.md §2). */
export function notaryFileMeta(bytes: Uint8Array): JsonObject {
  return {
    length: bytes.byteLength,
    hashes: {
      sha256: createHash('sha256').update(bytes).digest('base64'),
      sha512: createHash('sha512').update(bytes).digest('base64'),
    },
  };
}

/** A Notary envelope signed with one software key (raw r‖s ECDSA), laid out as notary's Go code writes it. */
export function signNotary(signed: JsonObject, keyid: string, key: KeyObject): Uint8Array {
  const { method, signature } = signWithSoftwareKey(key, canonicalize(signed), 'notary-v1');
  const loose = Buffer.from(JSON.stringify({ signed, signatures: [{ keyid, method, sig: Buffer.from(signature).toString('base64') }] }));
  return notarySerialization('envelope', loose);
}

const ROLE_PASSPHRASE: Record<string, string> = {
  root: PASSPHRASES.NOTARY_ROOT_PASSPHRASE,
  targets: PASSPHRASES.NOTARY_TARGETS_PASSPHRASE,
  snapshot: PASSPHRASES.NOTARY_SNAPSHOT_PASSPHRASE,
};

/** The private key the notary client holds for `keyid` (its trust dir's private/<id>.key), decrypted. */
export async function clientKey(trustDir: string, keyid: string, role: string): Promise<KeyObject> {
  const file = path.join(trustDir, 'private', `${keyid}.key`);
  const text = await fsp.readFile(file, 'utf8');
  return readNotaryKeyFile(text, ROLE_PASSPHRASE[role] ?? PASSPHRASES.NOTARY_DELEGATION_PASSPHRASE, file).privateKey;
}

export function roleKeyIds(rootSigned: JsonObject, role: string): string[] {
  return ((rootSigned['roles'] as Record<string, { keyids: string[] }>)[role]?.keyids ?? []).slice();
}

/** A UTC Notary expiry some days out. */
export function expiresInDays(days: number): string {
  return new Date(Date.now() + days * 86_400_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

import { createHash, generateKeyPairSync, sign } from 'node:crypto';

import { canonicalize } from '../../../../../shared/tuf/canonical-json';
import { parseMetadata } from '../../../../../shared/tuf/metadata';
import type { JsonObject, Key } from '../../../../../shared/tuf/model';

/** Canonical TUF targets files signed by one ed25519 test key (the scanner specs' inputs). */
const pair = generateKeyPairSync('ed25519');
const publicHex = (pair.publicKey.export({ format: 'der', type: 'spki' }) as Buffer).subarray(12).toString('hex');
export const keyJson: JsonObject = { keytype: 'ed25519', scheme: 'ed25519', keyval: { public: publicHex } };
export const keyid = createHash('sha256').update(canonicalize(keyJson)).digest('hex');

export function signedFile(signed: JsonObject, signer: string, sigs = 1): Uint8Array {
  const bytes = canonicalize(signed);
  const sig = sign(null, bytes, pair.privateKey).toString('hex');
  const signatures = Array.from({ length: sigs }, () => ({ keyid: signer, sig }));
  return canonicalize({ signatures, signed });
}

export function targetsSigned(count: number, rand: () => number, extra: JsonObject = {}): JsonObject {
  const targets: JsonObject = {};
  for (let i = 0; i < count; i++) {
    const p = `packages/${Math.floor(rand() * 1e9).toString(36)}/pkg_${i}-1.0-py3-none-any.whl`;
    const h = createHash('sha256').update(p).digest('hex');
    targets[p] = { hashes: { sha256: h, sha512: createHash('sha512').update(p).digest('hex') }, length: Math.floor(rand() * 1e7) };
  }
  return { _type: 'targets', expires: '2030-01-01T00:00:00Z', spec_version: '1.0.31', targets, version: 1 + Math.floor(rand() * 100), ...extra };
}

/** The test key as the model parses it (from a root that lists it). */
export function testKey(): Key {
  const root = parseMetadata(
    canonicalize({
      signatures: [],
      signed: {
        _type: 'root',
        consistent_snapshot: true,
        expires: '2030-01-01T00:00:00Z',
        keys: { [keyid]: keyJson },
        roles: Object.fromEntries(['root', 'snapshot', 'targets', 'timestamp'].map((r) => [r, { keyids: [keyid], threshold: 1 }])),
        spec_version: '1.0.31',
        version: 1,
      },
    }),
  );
  const k = (root.signed as { keys: ReadonlyMap<string, Key> }).keys.get(keyid);
  if (k === undefined) throw new Error('test key missing');
  return k;
}

/** One single-byte mutation (replace 60 %, delete 20 %, insert 20 %) from a JSON-ish alphabet. */
export function mutate(bytes: Uint8Array, rand: () => number): Uint8Array {
  const alphabet = new TextEncoder().encode('{}[]",:0123456789abcdefABCDEF-_ \\.z');
  const m = bytes.slice();
  const at = Math.floor(rand() * m.length);
  const op = rand();
  const letter = alphabet[Math.floor(rand() * alphabet.length)]!;
  if (op < 0.6) {
    m[at] = letter;
    return m;
  }
  if (op < 0.8) return new Uint8Array([...m.subarray(0, at), ...m.subarray(at + 1)]);
  return new Uint8Array([...m.subarray(0, at), letter, ...m.subarray(at)]);
}

// Deterministic signing keys for the bench datasets, derived from the seed.
import { createHash, createPrivateKey, createPublicKey, sign } from 'node:crypto';

import { canonical } from './canonical.mjs';
import { seedBytes } from './prng.mjs';

const ED25519_PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');
// SEC1 ECPrivateKey without the public key: OpenSSL derives it from the scalar.
const P256_SEC1_PREFIX = Buffer.from('30310201010420', 'hex');
const P256_SEC1_SUFFIX = Buffer.from('a00a06082a8648ce3d030107', 'hex');

export const sha256hex = (data) => createHash('sha256').update(data).digest('hex');

/** A TUF 1.0 ed25519 key: `{keytype, keyval:{public:hex}, scheme}`, keyid = sha256(canonical(key)). */
export function ed25519Key(seed, label) {
  const privateKey = createPrivateKey({ key: Buffer.concat([ED25519_PKCS8_PREFIX, seedBytes(seed, label)]), format: 'der', type: 'pkcs8' });
  const spki = createPublicKey(privateKey).export({ format: 'der', type: 'spki' });
  const json = { keytype: 'ed25519', keyval: { public: spki.subarray(-32).toString('hex') }, scheme: 'ed25519' };
  return { privateKey, json, keyid: sha256hex(canonical(json)), sign: (bytes) => sign(null, bytes, privateKey).toString('hex') };
}

/** A P-256 key with Notary's raw r||s signatures (`method: "ecdsa"`, base64). */
export function p256Key(seed, label) {
  const d = seedBytes(seed, label);
  d[0] &= 0x7f; // keeps the scalar below the group order
  const privateKey = createPrivateKey({ key: Buffer.concat([P256_SEC1_PREFIX, d, P256_SEC1_SUFFIX]), format: 'der', type: 'sec1' });
  const spki = createPublicKey(privateKey).export({ format: 'der', type: 'spki' });
  return {
    privateKey,
    spki,
    sign: (bytes) => sign('sha256', bytes, { key: privateKey, dsaEncoding: 'ieee-p1363' }).toString('base64'),
  };
}

/** Notary's key ID: sha256 of the canonical key object. */
export function notaryKey(keytype, publicBytes) {
  const json = { keytype, keyval: { private: null, public: Buffer.from(publicBytes).toString('base64') } };
  return { json, keyid: sha256hex(canonical(json)) };
}

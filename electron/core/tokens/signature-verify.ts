/**
 * SKR-VERIFY: every token signature is verified in software with the public key read from the
 * token before it is returned (security.md §6 #37), so a faulty or malicious token is caught.
 */
import { createHash, createPublicKey, verify } from 'node:crypto';

import { TokenSignatureInvalidError } from '../../../shared/token/errors';
import type { TokenKey } from '../../../shared/token/types';

export function verifyTokenSignature(key: TokenKey, message: Uint8Array, rawSignature: Uint8Array): void {
  const spki = Buffer.from(key.spkiDer, 'hex');
  // The ref must be self-consistent: the hash is what identifies the key on the token.
  if (createHash('sha256').update(spki).digest('hex') !== key.spkiSha256) {
    throw new TokenSignatureInvalidError(`Key ${key.keyIdentity}: public key does not match its recorded hash.`, { keyIdentity: key.keyIdentity });
  }
  const publicKey = createPublicKey({ key: spki, format: 'der', type: 'spki' });
  const hash = key.curve === 'P-384' ? 'sha384' : 'sha256';
  const ok = verify(hash, message, { key: publicKey, dsaEncoding: 'ieee-p1363' }, rawSignature);
  if (!ok) {
    throw new TokenSignatureInvalidError(
      `Token ${key.tokenSerial} returned a signature that does not verify with key ${key.ckaId}; it was discarded.`,
      { keyIdentity: key.keyIdentity },
    );
  }
}

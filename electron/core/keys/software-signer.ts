import { constants, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';

import type { Dialect } from '../../../shared/tuf/model';
import { KeyFileError } from './errors';
import { algorithmOf } from './software-keys';

export interface SoftwareSignature {
  /** Notary: the signature `method` (`ecdsa`, `eddsa`, `rsapss`). TUF: the key's `scheme`. */
  method: string;
  signature: Uint8Array;
}

/** The signature just made does not verify: a broken crypto backend must not produce metadata. */
export class SignatureSelfCheckError extends KeyFileError {
  override readonly name = 'SignatureSelfCheckError';
  constructor() {
    super('the signature failed its own verification; nothing was signed');
  }
}

const PSS = { padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 } as const;

/**
 * Signs `bytes` with a software key in the dialect's encoding: Notary takes raw r‖s ECDSA and
 * RSA-PSS with salt = hash length; TUF takes DER ECDSA and RSASSA-PSS-SHA256. Every signature is
 * verified with the public key before it is returned.
 */
export function signWithSoftwareKey(privateKey: KeyObject, bytes: Uint8Array, dialect: Dialect): SoftwareSignature {
  const algorithm = algorithmOf(privateKey);
  const publicKey = createPublicKey(privateKey);
  const notary = dialect === 'notary-v1';
  let result: SoftwareSignature;
  let ok: boolean;
  switch (algorithm) {
    case 'ed25519': {
      const signature = sign(null, bytes, privateKey);
      ok = verify(null, bytes, publicKey, signature);
      result = { method: notary ? 'eddsa' : 'ed25519', signature };
      break;
    }
    case 'ecdsa-p256': {
      const dsaEncoding = notary ? 'ieee-p1363' : 'der';
      const signature = sign('sha256', bytes, { key: privateKey, dsaEncoding });
      ok = verify('sha256', bytes, { key: publicKey, dsaEncoding }, signature);
      result = { method: notary ? 'ecdsa' : 'ecdsa-sha2-nistp256', signature };
      break;
    }
    case 'rsa': {
      const signature = sign('sha256', bytes, { key: privateKey, ...PSS });
      ok = verify('sha256', bytes, { key: publicKey, ...PSS }, signature);
      result = { method: notary ? 'rsapss' : 'rsassa-pss-sha256', signature };
      break;
    }
  }
  if (!ok) throw new SignatureSelfCheckError();
  return { method: result.method, signature: new Uint8Array(result.signature) };
}

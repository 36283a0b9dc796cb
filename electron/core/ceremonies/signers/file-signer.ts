/** A software key file from the workspace key store as a ceremony signer. */
import { createHash, createPublicKey, sign, type KeyObject } from 'node:crypto';

import type { Dialect } from '../../../../shared/tuf/model';
import { algorithmOf, signWithSoftwareKey } from '../../keys';
import type { CeremonySigner, SignerOutput } from './ceremony-signer';

export class FileCeremonySigner implements CeremonySigner {
  readonly ref: { kind: 'file'; keyId: string };
  readonly label: string;
  readonly spkiDer: Uint8Array;
  readonly spkiSha256: string;
  readonly algorithm: CeremonySigner['algorithm'];
  private key: KeyObject | null;

  /** `keyId`: the key store's (Notary canonical) key ID. */
  constructor(privateKey: KeyObject, options: { keyId: string; holder?: string | null }) {
    this.key = privateKey;
    this.ref = { kind: 'file', keyId: options.keyId };
    this.label = `key file ${options.keyId.slice(0, 12)}…${options.holder ? ` (${options.holder})` : ''}`;
    this.spkiDer = new Uint8Array(createPublicKey(privateKey).export({ type: 'spki', format: 'der' }));
    this.spkiSha256 = createHash('sha256').update(this.spkiDer).digest('hex');
    this.algorithm = algorithmOf(privateKey);
  }

  sign(message: Uint8Array, dialect: Dialect): Promise<SignerOutput> {
    const out = signWithSoftwareKey(this.privateKey(), message, dialect);
    return Promise.resolve({ signature: out.signature, method: out.method });
  }

  signEcdsaRaw(message: Uint8Array): Promise<Uint8Array> {
    const signature = sign('sha256', message, { key: this.privateKey(), dsaEncoding: 'ieee-p1363' });
    return Promise.resolve(new Uint8Array(signature));
  }

  close(): Promise<void> {
    this.key = null;
    return Promise.resolve();
  }

  private privateKey(): KeyObject {
    if (!this.key) throw new Error(`${this.label} was closed`);
    return this.key;
  }
}

/** A key on a PKCS#11 token as a ceremony signer; the TokenClient already re-verifies each signature in software. */
import type { Dialect } from '../../../../shared/tuf/model';
import type { TokenKey } from '../../../../shared/token/types';
import type { TokenClient } from '../../tokens/token-client';
import type { CeremonySigner, SignerOutput } from './ceremony-signer';

export class TokenCeremonySigner implements CeremonySigner {
  readonly ref: { kind: 'token'; tokenSerial: string; ckaId: string; spkiSha256: string };
  readonly label: string;
  readonly spkiDer: Uint8Array;
  readonly spkiSha256: string;
  readonly algorithm: CeremonySigner['algorithm'];

  /**
   * `client` must already be logged in to the token (the caller owns the PIN and the login).
   * `pin` only for CKA_ALWAYS_AUTHENTICATE keys; it is copied per signature because the client wipes it.
   */
  constructor(
    private readonly client: TokenClient,
    private readonly key: TokenKey,
    options: { holder?: string | null; pin?: Uint8Array | null; onClose?: () => Promise<void> } = {},
  ) {
    this.ref = { kind: 'token', tokenSerial: key.tokenSerial, ckaId: key.ckaId, spkiSha256: key.spkiSha256 };
    this.label = `token ${key.tokenSerial} key ${key.ckaId}${options.holder ? ` (${options.holder})` : ''}`;
    this.spkiDer = new Uint8Array(Buffer.from(key.spkiDer, 'hex'));
    this.spkiSha256 = key.spkiSha256;
    this.algorithm = key.curve === 'P-384' ? 'ecdsa-p384' : 'ecdsa-p256';
    this.pin = options.pin ?? null;
    this.onClose = options.onClose ?? null;
  }

  private pin: Uint8Array | null;
  private readonly onClose: (() => Promise<void>) | null;

  async sign(message: Uint8Array, dialect: Dialect): Promise<SignerOutput> {
    const result = await this.client.sign(this.key, message, dialect, this.pin ? Uint8Array.from(this.pin) : undefined);
    return { signature: result.signature, method: 'ecdsa' };
  }

  async signEcdsaRaw(message: Uint8Array): Promise<Uint8Array> {
    // notary-v1 encoding is raw r‖s (what X.509 signing via WebCrypto semantics expects).
    return (await this.client.sign(this.key, message, 'notary-v1', this.pin ? Uint8Array.from(this.pin) : undefined)).signature;
  }

  async close(): Promise<void> {
    this.pin?.fill(0);
    this.pin = null;
    if (this.onClose) await this.onClose();
  }
}

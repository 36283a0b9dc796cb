/**
 * One interface for every private key a ceremony signs with: a key on a PKCS#11 token or a
 * software key file. A session asks each signer in turn (m-of-n, one after another) and verifies
 * every signature on arrival, whatever the signer claims (SKR-VERIFY, security.md §3).
 */
import type { SignerRef } from '../../../../shared/ceremony/types';
import type { Dialect } from '../../../../shared/tuf/model';

export interface SignerOutput {
  /** The dialect's encoding: TUF DER ECDSA, Notary raw r‖s; Ed25519/RSA as is. */
  signature: Uint8Array;
  /** Notary `method` (`ecdsa`, `eddsa`, `rsapss`). */
  method: string;
}

export interface CeremonySigner {
  readonly ref: SignerRef;
  /** What a person reads: "token 1a2b3c (Alice)", "key file 3f2a1b… (Bob)". */
  readonly label: string;
  /** sha256 hex of the public key's SPKI DER: matched against the proposal's keys. */
  readonly spkiSha256: string;
  readonly spkiDer: Uint8Array;
  /** ECDSA P-256/P-384, ed25519 or RSA. */
  readonly algorithm: 'ed25519' | 'ecdsa-p256' | 'ecdsa-p384' | 'rsa';
  sign(message: Uint8Array, dialect: Dialect): Promise<SignerOutput>;
  /**
   * Raw r‖s ECDSA-SHA256 over `message` (X.509 TBS signing for Notary root certificates); only
   * ECDSA signers have it.
   */
  signEcdsaRaw?(message: Uint8Array): Promise<Uint8Array>;
  /** Releases what the signer holds (a decrypted key is dropped; a token session logs out). */
  close(): Promise<void>;
}

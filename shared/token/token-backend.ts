/**
 * The token backend interface (style.md #18, modelled on Ledger's `Transport`). The token host
 * implements it over PKCS#11; tests may implement it with a replay fake. Byte arguments that carry
 * a PIN are wiped by the implementation once used.
 */
import type { AttestationCertificates, EcCurve, LoginUser, PinState, TokenInfo, TokenKey, TokenKeyRef } from './types';

export interface GenerateKeyRequest {
  tokenSerial: string;
  /** Caller-chosen CKA_ID as hex (PIV: 02 = slot 9c, hardware.md §1). */
  ckaId: string;
  curve: EcCurve;
  label: string;
  /** Ask for the PIN on every signature (CKA_ALWAYS_AUTHENTICATE); PIV modules decide this per slot. */
  alwaysAuthenticate?: boolean | undefined;
}

export interface SignRequest {
  key: TokenKeyRef;
  data: Uint8Array;
  pin?: Uint8Array;
}

export interface TokenBackend {
  /** Tokens present now, with PIN state read from the token flags. */
  listTokens(): Promise<TokenInfo[]>;
  /** EC keys on one token (public objects; private-key flags once logged in). */
  listKeys(tokenSerial: string): Promise<TokenKey[]>;
  /** Logs in once per token; the PIN buffer is zeroed after C_Login whatever the outcome. */
  login(tokenSerial: string, user: LoginUser, pin: Uint8Array): Promise<{ pinState: PinState }>;
  logout(tokenSerial: string): Promise<void>;
  /** Generates a non-extractable key pair on the token. */
  generateKey(request: GenerateKeyRequest): Promise<TokenKey>;
  /** Hashes `data` and signs with CKM_ECDSA; returns raw r‖s. */
  sign(request: SignRequest): Promise<{ signature: Uint8Array; curve: EcCurve }>;
  /** The key's attestation certificates where the module exposes them (ykcs11); nulls otherwise. */
  readAttestation(tokenSerial: string, ckaId: string): Promise<AttestationCertificates>;
  /** Closes sessions and finalizes the module. */
  close(): Promise<void>;
}

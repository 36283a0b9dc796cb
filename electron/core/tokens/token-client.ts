/**
 * Core-side token client: the only way the rest of Keyrite reaches a PKCS#11 token. All calls go
 * through one HostConnection (one queue, one host process); every signature is verified in
 * software before it is returned (SKR-VERIFY).
 */
import { encodeEcdsaSignature } from '../../../shared/token/ecdsa-signature';
import { TokenSignatureInvalidError } from '../../../shared/token/errors';
import type { GenerateKeyRequest } from '../../../shared/token/token-backend';
import type { AttestationCertificates, LoginUser, PinState, SignatureDialect, TokenInfo, TokenKey } from '../../../shared/token/types';
import type { TokenHostMessageType } from '../../../shared/token/messages';
import { HostConnection, type HostConnectionOptions } from './host-connection';
import { verifyTokenSignature } from './signature-verify';

export type TokenClientOptions = HostConnectionOptions;

export interface TokenSignature {
  /** In the dialect's encoding: raw r‖s for notary-v1, DER for tuf-1.0. */
  signature: Uint8Array;
  dialect: SignatureDialect;
  keyIdentity: string;
}

/**
 * The life of one signature, for progress UIs ("touch your YubiKey"): `started` when sign() is
 * called, `sent` when the host starts C_Sign (the module may now block on a touch), `settled`
 * with the error (null on success) when sign() resolves or rejects.
 */
export type TokenSignEvent =
  | { phase: 'started'; tokenSerial: string }
  | { phase: 'sent'; tokenSerial: string }
  | { phase: 'settled'; tokenSerial: string; error: Error | null };

export class TokenClient {
  private readonly connection: HostConnection;
  private readonly requestListeners = new Set<(type: TokenHostMessageType, hostPid: number) => void>();
  private readonly signListeners = new Set<(event: TokenSignEvent) => void>();
  /** Signatures called but not yet sent, in queue order (the host runs one request at a time, FIFO). */
  private readonly unsent: Array<{ tokenSerial: string }> = [];
  /** One host per app: custody and ceremonies share this client; the host stops when the last holder closes. */
  private holders = 1;

  constructor(options: TokenClientOptions) {
    this.connection = new HostConnection({
      ...options,
      onRequestSent: (type, hostPid) => {
        options.onRequestSent?.(type, hostPid);
        if (type === 'sign') {
          const next = this.unsent.shift();
          if (next) this.emitSign({ phase: 'sent', tokenSerial: next.tokenSerial });
        }
        for (const listener of this.requestListeners) listener(type, hostPid);
      },
    });
  }

  /** Another holder of this client (its own close() releases it). Returns this client. */
  retain(): this {
    this.holders += 1;
    return this;
  }

  /** Adds a listener for requests handed to the host; returns the unsubscribe function. */
  onRequestSent(listener: (type: TokenHostMessageType, hostPid: number) => void): () => void {
    this.requestListeners.add(listener);
    return () => this.requestListeners.delete(listener);
  }

  /** Adds a listener for every signature's progress (all holders' signatures); returns the unsubscribe function. */
  observeSignatures(listener: (event: TokenSignEvent) => void): () => void {
    this.signListeners.add(listener);
    return () => this.signListeners.delete(listener);
  }

  /** PID of the current token-host process, or null when none runs. */
  get hostPid(): number | null {
    return this.connection.hostPid;
  }

  /** Tokens present now, with their PIN state. */
  listTokens(): Promise<TokenInfo[]> {
    return this.connection.request('listTokens', {});
  }

  /** EC keys on one token. */
  listKeys(tokenSerial: string): Promise<TokenKey[]> {
    return this.connection.request('listKeys', { tokenSerial });
  }

  /**
   * Logs in to a token. `pin` is wiped as soon as it has been handed to the host; the host wipes
   * its copy after C_Login. Never call this with a guessed or default PIN (security.md #35).
   */
  login(tokenSerial: string, pin: Uint8Array, user: LoginUser = 'user'): Promise<{ pinState: PinState }> {
    return this.connection.request('login', { tokenSerial, user, pin }, [pin]);
  }

  logout(tokenSerial: string): Promise<void> {
    return this.connection.request('logout', { tokenSerial }).then(() => undefined);
  }

  /** Generates a non-extractable EC key on the token under the caller's CKA_ID. */
  generateKey(request: GenerateKeyRequest): Promise<TokenKey> {
    return this.connection.request('generateKey', request);
  }

  /**
   * Signs `message` with a token key and returns the dialect's encoding. The raw signature is
   * verified against the key's public key first; a bad one throws TokenSignatureInvalidError.
   * `pin` is needed only for CKA_ALWAYS_AUTHENTICATE keys and is wiped after sending.
   */
  async sign(key: TokenKey, message: Uint8Array, dialect: SignatureDialect, pin?: Uint8Array): Promise<TokenSignature> {
    const entry = { tokenSerial: key.tokenSerial };
    this.unsent.push(entry);
    this.emitSign({ phase: 'started', tokenSerial: key.tokenSerial });
    try {
      const signature = await this.signVerified(key, message, dialect, pin);
      this.settleSign(entry, null);
      return signature;
    } catch (error) {
      this.settleSign(entry, error instanceof Error ? error : new Error(String(error)));
      throw error;
    }
  }

  private async signVerified(key: TokenKey, message: Uint8Array, dialect: SignatureDialect, pin?: Uint8Array): Promise<TokenSignature> {
    const ref = { tokenSerial: key.tokenSerial, ckaId: key.ckaId, spkiSha256: key.spkiSha256 };
    const data = Uint8Array.from(message);
    const result = await this.connection.request('sign', pin ? { key: ref, data, pin } : { key: ref, data }, pin ? [pin] : []);
    if (result.curve !== key.curve) {
      throw new TokenSignatureInvalidError(`Token ${key.tokenSerial} signed with ${result.curve}, expected ${key.curve}.`, { keyIdentity: key.keyIdentity });
    }
    verifyTokenSignature(key, message, result.signature);
    return { signature: encodeEcdsaSignature(result.signature, key.curve, dialect), dialect, keyIdentity: key.keyIdentity };
  }

  /**
   * The key's attestation certificates (DER hex): the slot certificate and the F9 device
   * certificate, as ykcs11 exposes them; nulls on modules without attestation. Not verified here.
   */
  readAttestation(tokenSerial: string, ckaId: string): Promise<AttestationCertificates> {
    return this.connection.request('readAttestation', { tokenSerial, ckaId });
  }

  /** Cancels the in-flight token operation (the UI's "cancel" while waiting for a touch). */
  cancel(): boolean {
    return this.connection.cancelInFlight();
  }

  /** Releases this holder; the last one finalizes the module and stops the host process. */
  close(): Promise<void> {
    this.holders = Math.max(0, this.holders - 1);
    if (this.holders > 0) return Promise.resolve();
    return this.connection.close();
  }

  private settleSign(entry: { tokenSerial: string }, error: Error | null): void {
    // A request refused before it reached the host never gets its `sent`.
    const index = this.unsent.indexOf(entry);
    if (index >= 0) this.unsent.splice(index, 1);
    this.emitSign({ phase: 'settled', tokenSerial: entry.tokenSerial, error });
  }

  private emitSign(event: TokenSignEvent): void {
    for (const listener of this.signListeners) {
      // A progress listener's failure must never change a signature's outcome.
      try {
        listener(event);
      } catch {
        continue;
      }
    }
  }
}

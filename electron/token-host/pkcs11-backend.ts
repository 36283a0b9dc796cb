/**
 * TokenBackend over one PKCS#11 module, loaded with pkcs11js. Runs only inside the token host
 * process, so a crashing or hanging module cannot take the app or a ceremony down.
 */
import { createHash } from 'node:crypto';

import pkcs11js from 'pkcs11js';
import type { Handle, PKCS11 } from 'pkcs11js';

import { EC_PARAMS_DER } from '../../shared/token/ec-public-key';
import { CURVE_FIELD_BYTES } from '../../shared/token/ecdsa-signature';
import {
  DeviceRemovedError,
  KeyNotFoundError,
  NotLoggedInError,
  PinRequiredError,
  TokenError,
  TokenModuleLoadError,
  TokenNotPresentError,
  TokenRequestError,
} from '../../shared/token/errors';
import { pinStateFromFlags } from '../../shared/token/pin-state';
import type { GenerateKeyRequest, SignRequest, TokenBackend } from '../../shared/token/token-backend';
import { PIV_ATTESTATION_CKA_ID } from '../../shared/token/piv-slots';
import type { AttestationCertificates, EcCurve, LoginUser, PinState, TokenInfo, TokenKey } from '../../shared/token/types';
import { readPivAttestation } from './attestation-objects';
import { CKR, ckrOf, mapCkrError, TOKEN_GONE_CODES } from './ckr-errors';
import { ecPublicKeysTemplate, findObjects, privateKeysTemplate, readBoolAttr, readEcPublicKey } from './pkcs11-objects';
import { quirksFor, triesLeft, type ModuleQuirks } from './module-quirks';
import { withPin } from './pin-buffer';
import { type ScannedToken, scanTokens, trimPadded, version } from './token-scan';

// CK_STATE values (pkcs11js exports no CKS_* constants).
const CKS_RO_USER_FUNCTIONS = 1;
const CKS_RW_USER_FUNCTIONS = 3;


interface OpenToken {
  slot: Handle;
  session: Handle;
}

export class Pkcs11Backend implements TokenBackend {
  private readonly open = new Map<string, OpenToken>();

  private constructor(
    private readonly p11: PKCS11,
    readonly library: string,
    private readonly quirks: ModuleQuirks,
  ) {}

  /** Loads and initialises the module; one C_Initialize per process (hardware.md §7). */
  static load(modulePath: string): Pkcs11Backend {
    const p11 = new pkcs11js.PKCS11();
    try {
      p11.load(modulePath);
      p11.C_Initialize();
    } catch (error) {
      throw new TokenModuleLoadError(`Cannot load PKCS#11 module ${modulePath}: ${(error as Error).message}`, { modulePath });
    }
    const info = p11.C_GetInfo();
    return new Pkcs11Backend(
      p11,
      `${trimPadded(info.manufacturerID)} ${trimPadded(info.libraryDescription)} ${version(info.libraryVersion)}`,
      quirksFor(info.manufacturerID),
    );
  }

  listTokens(): Promise<TokenInfo[]> {
    return Promise.resolve(this.scan().map(({ info }) => info));
  }

  listKeys(tokenSerial: string): Promise<TokenKey[]> {
    return this.guard(tokenSerial, 'list keys', ({ session }) => {
      const keys: TokenKey[] = [];
      for (const handle of findObjects(this.p11, session, ecPublicKeysTemplate())) {
        const key = readEcPublicKey(this.p11, session, handle, tokenSerial);
        if (!key) continue; // unsupported curve or incomplete object: not a Keyrite key
        if (this.quirks.piv && key.ckaId === PIV_ATTESTATION_CKA_ID) continue; // the F9 attestation key signs nothing of ours
        const [priv] = findObjects(this.p11, session, privateKeysTemplate(Buffer.from(key.ckaId, 'hex')));
        const alwaysAuthenticate = priv ? readBoolAttr(this.p11, session, priv, pkcs11js.CKA_ALWAYS_AUTHENTICATE) : null;
        keys.push({ ...key, alwaysAuthenticate });
      }
      return keys;
    });
  }

  login(tokenSerial: string, user: LoginUser, pin: Uint8Array): Promise<{ pinState: PinState }> {
    return this.guard(tokenSerial, 'log in', ({ session, slot }) => {
      withPin(pin, (text) => {
        try {
          this.p11.C_Login(session, user === 'so' ? pkcs11js.CKU_SO : pkcs11js.CKU_USER, text);
        } catch (error) {
          // Already logged in (by an earlier call in this process) is success, not a failure.
          if (ckrOf(error) !== CKR.USER_ALREADY_LOGGED_IN) throw error;
        }
      });
      return { pinState: pinStateFromFlags(this.p11.C_GetTokenInfo(slot).flags) };
    });
  }

  logout(tokenSerial: string): Promise<void> {
    return this.guard(tokenSerial, 'log out', ({ session }) => {
      try {
        this.p11.C_Logout(session);
      } catch (error) {
        if (ckrOf(error) !== CKR.USER_NOT_LOGGED_IN) throw error;
      }
    });
  }

  generateKey(request: GenerateKeyRequest): Promise<TokenKey> {
    const { tokenSerial, curve, label } = request;
    const id = Buffer.from(request.ckaId, 'hex');
    return this.guard(tokenSerial, 'generate a key', ({ session }) => {
      // Never replace a key: a root key on a token may be the only copy (security.md §5).
      if (findObjects(this.p11, session, [{ type: pkcs11js.CKA_ID, value: id }]).length > 0) {
        throw new TokenRequestError(`Token ${tokenSerial} already holds objects with CKA_ID ${request.ckaId}; refusing to overwrite them.`, {
          tokenSerial,
          ckaId: request.ckaId,
        });
      }
      const labelBytes = Buffer.from(label, 'utf8');
      const { publicKey } = this.p11.C_GenerateKeyPair(
        session,
        { mechanism: pkcs11js.CKM_EC_KEY_PAIR_GEN },
        [
          { type: pkcs11js.CKA_TOKEN, value: true },
          { type: pkcs11js.CKA_ID, value: id },
          { type: pkcs11js.CKA_LABEL, value: labelBytes },
          { type: pkcs11js.CKA_VERIFY, value: true },
          { type: pkcs11js.CKA_EC_PARAMS, value: Buffer.from(EC_PARAMS_DER[curve], 'hex') },
        ],
        [
          { type: pkcs11js.CKA_TOKEN, value: true },
          { type: pkcs11js.CKA_ID, value: id },
          { type: pkcs11js.CKA_LABEL, value: labelBytes },
          { type: pkcs11js.CKA_SIGN, value: true },
          { type: pkcs11js.CKA_PRIVATE, value: true },
          { type: pkcs11js.CKA_SENSITIVE, value: true },
          // ykcs11 refuses both attributes: PIV keys never leave the card, and the slot decides the PIN policy.
          ...(this.quirks.piv ? [] : [{ type: pkcs11js.CKA_EXTRACTABLE, value: false }]),
          ...(request.alwaysAuthenticate && !this.quirks.piv ? [{ type: pkcs11js.CKA_ALWAYS_AUTHENTICATE, value: true }] : []),
        ],
      );
      const key = readEcPublicKey(this.p11, session, publicKey, tokenSerial);
      if (!key) throw new TokenRequestError(`Token ${tokenSerial} generated a key whose public part cannot be read.`, { tokenSerial });
      const [priv] = findObjects(this.p11, session, privateKeysTemplate(id));
      return { ...key, alwaysAuthenticate: priv ? readBoolAttr(this.p11, session, priv, pkcs11js.CKA_ALWAYS_AUTHENTICATE) : null };
    });
  }

  sign(request: SignRequest): Promise<{ signature: Uint8Array; curve: EcCurve }> {
    const { key, data, pin } = request;
    const id = Buffer.from(key.ckaId, 'hex');
    return this.guard(key.tokenSerial, 'sign', async ({ session }) => {
      try {
        const publicKeys = findObjects(this.p11, session, ecPublicKeysTemplate(id))
          .map((h) => readEcPublicKey(this.p11, session, h, key.tokenSerial))
          .filter((k) => k !== null);
        const publicKey = publicKeys.find((k) => k.spkiSha256 === key.spkiSha256);
        if (!publicKey) {
          throw new KeyNotFoundError(
            publicKeys.length === 0
              ? `Token ${key.tokenSerial} has no EC key with CKA_ID ${key.ckaId}.`
              : `The key with CKA_ID ${key.ckaId} on token ${key.tokenSerial} is not the expected key (public-key hash differs).`,
            { tokenSerial: key.tokenSerial, ckaId: key.ckaId },
          );
        }
        const privateKeys = findObjects(this.p11, session, privateKeysTemplate(id));
        const [privateKey] = privateKeys;
        if (!privateKey) {
          if (!this.loggedIn(session)) throw new NotLoggedInError(`Log in to token ${key.tokenSerial} before signing.`, { tokenSerial: key.tokenSerial });
          throw new KeyNotFoundError(`Token ${key.tokenSerial} has no private key with CKA_ID ${key.ckaId}.`, { tokenSerial: key.tokenSerial, ckaId: key.ckaId });
        }
        if (privateKeys.length > 1) throw new TokenRequestError(`Token ${key.tokenSerial} has several private keys with CKA_ID ${key.ckaId}.`, { tokenSerial: key.tokenSerial });
        const alwaysAuthenticate = readBoolAttr(this.p11, session, privateKey, pkcs11js.CKA_ALWAYS_AUTHENTICATE);
        if (alwaysAuthenticate && !pin) {
          throw new PinRequiredError(`The key ${key.ckaId} on token ${key.tokenSerial} needs the PIN for every signature.`, { tokenSerial: key.tokenSerial });
        }
        const curve = publicKey.curve;
        // SoftHSM has no CKM_ECDSA_SHA256 (hardware.md §3): hash here, sign the digest with CKM_ECDSA.
        const digest = createHash(curve === 'P-384' ? 'sha384' : 'sha256').update(data).digest();
        this.p11.C_SignInit(session, { mechanism: pkcs11js.CKM_ECDSA }, privateKey);
        let signature: Buffer;
        try {
          if (alwaysAuthenticate && pin) {
            withPin(pin, (text) => this.p11.C_Login(session, pkcs11js.CKU_CONTEXT_SPECIFIC, text));
          }
          signature = await this.p11.C_SignAsync(session, digest, Buffer.alloc(2 * CURVE_FIELD_BYTES[curve]));
        } catch (error) {
          this.abortSign(session);
          throw error;
        }
        return { signature: new Uint8Array(signature), curve };
      } finally {
        pin?.fill(0);
      }
    });
  }

  readAttestation(tokenSerial: string, ckaId: string): Promise<AttestationCertificates> {
    return this.guard(tokenSerial, 'read the attestation', ({ session }) =>
      // Only ykcs11 exposes attestation objects; elsewhere "none" is the answer, not an error.
      this.quirks.piv ? readPivAttestation(this.p11, session, ckaId) : { slotCertificate: null, deviceCertificate: null },
    );
  }

  close(): Promise<void> {
    for (const [serial, { session }] of this.open) {
      this.closeSession(serial, session);
    }
    this.p11.C_Finalize();
    return Promise.resolve();
  }

  /**
   * A failed context login leaves the sign operation active (the next C_SignInit would get
   * CKR_OPERATION_ACTIVE). PKCS#11 2.40 has no cancel, but a C_Sign that fails ends the operation;
   * without the context login it cannot produce a signature, and any output is discarded.
   */
  private abortSign(session: Handle): void {
    try {
      this.p11.C_Sign(session, Buffer.alloc(32), Buffer.alloc(256));
    } catch (error) {
      if (ckrOf(error) === null) throw error;
    }
  }

  private loggedIn(session: Handle): boolean {
    const { state } = this.p11.C_GetSessionInfo(session);
    return state === CKS_RO_USER_FUNCTIONS || state === CKS_RW_USER_FUNCTIONS;
  }

  private scan(): ScannedToken[] {
    return scanTokens(this.p11, this.quirks);
  }

  /** Checks the token is (still) present and returns a session on it, opening one if needed. */
  private token(serial: string): OpenToken {
    const known = this.open.get(serial);
    const found = this.scan().find(({ info }) => info.serial === serial);
    if (!found || (known && !found.slot.equals(known.slot))) {
      if (known) this.closeSession(serial, known.session);
      throw new TokenNotPresentError(`Token ${serial} is not present (reconnect it and try again).`, { tokenSerial: serial });
    }
    if (known) return known;
    const session = this.p11.C_OpenSession(found.slot, pkcs11js.CKF_SERIAL_SESSION | pkcs11js.CKF_RW_SESSION);
    const opened = { slot: found.slot, session };
    this.open.set(serial, opened);
    return opened;
  }

  private closeSession(serial: string, session: Handle): void {
    this.open.delete(serial);
    try {
      this.p11.C_CloseSession(session);
    } catch (error) {
      // The session usually died with the token; anything else is a real fault.
      if (ckrOf(error) === null) throw error;
    }
  }

  /** Runs `fn` on the token and turns every failure into a named TokenError. */
  private async guard<T>(serial: string, operation: string, fn: (t: OpenToken) => T | Promise<T>): Promise<T> {
    try {
      return await fn(this.token(serial));
    } catch (error) {
      if (error instanceof TokenError) throw error;
      const code = ckrOf(error);
      if (code === null) throw error;
      const present = this.scan().find(({ info }) => info.serial === serial);
      if (!present || TOKEN_GONE_CODES.has(code)) {
        const known = this.open.get(serial);
        if (known) this.closeSession(serial, known.session);
        if (!present) {
          throw new DeviceRemovedError(`Token ${serial} disappeared during ${operation}; nothing was produced.`, {
            tokenSerial: serial,
            operation,
            ckr: `0x${code.toString(16)}`,
          });
        }
      }
      if (code === CKR.USER_TYPE_INVALID && this.quirks.piv && operation === 'generate a key') {
        throw new TokenRequestError(
          `Generating a key on YubiKey ${serial} needs the PIV management key: log in as the security officer (so) with it first.`,
          { tokenSerial: serial, ckr: '0x103' },
        );
      }
      const pinState = present?.info.pinState ?? 'ok';
      throw mapCkrError(error, { tokenSerial: serial, operation, pinState, triesLeft: triesLeft(this.quirks, pinState) }) ?? error;
    }
  }
}

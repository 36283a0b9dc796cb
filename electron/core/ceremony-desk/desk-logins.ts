/**
 * The KeyAccess the GUI's start and resume use: it logs in to tokens with PINs the wizard collected
 * up front (`logins`), because some acts happen before the signing step (a key generated on a
 * token, a Notary root certificate signed by the root key). Every PIN is owned here as a copy,
 * handed to the token client as a fresh copy per login (the client wipes what it sends), and wiped
 * in `close()`, which also logs out of every token it logged in to.
 */
import type { SignerRef } from '../../../shared/ceremony/types';
import { PinIncorrectError, PinLockedError } from '../../../shared/token/errors';
import type { PinState } from '../../../shared/token/types';
import { findKeyFile, FileCeremonySigner, TokenCeremonySigner, type CeremonySigner, type KeyAccess } from '../ceremonies';
import { FinalTryNotConfirmedError, TokensUnavailableError } from '../custody/errors';
import { findTokenEntry, type InventoryStore } from '../inventory';
import type { KeyStore } from '../keys';
import type { TokenClient } from '../tokens/token-client';
import { DefaultPinRefusedError, PassphraseNeededError, PinNeededError } from './errors';

/** A token PIN given with start/resume (bytes owned by the desk from here on). */
export interface DeskLogin {
  tokenSerial: string;
  pin: Uint8Array;
  confirmFinalTry?: boolean | undefined;
}

/** A key-file passphrase given with start/resume (Notary root certificate from a key file). */
export interface DeskUnlock {
  keyId: string;
  passphrase: string;
}

export interface LoginAccessDeps {
  tokens: () => TokenClient;
  keyStore: KeyStore;
  inventory: InventoryStore;
  /** Progress: a login is about to be attempted (never carries the PIN). */
  onLogin?: (tokenSerial: string) => void;
}

export class LoginKeyAccess implements KeyAccess {
  private readonly pins = new Map<string, { pin: Uint8Array; confirmFinalTry: boolean }>();
  private readonly unlocks: DeskUnlock[];
  private readonly loggedIn = new Set<string>();

  /** Copies the PINs (the caller wipes its own) and keeps passphrases only until close(). */
  constructor(
    private readonly deps: LoginAccessDeps,
    logins: readonly DeskLogin[] = [],
    unlocks: readonly DeskUnlock[] = [],
  ) {
    for (const login of logins) {
      this.pins.get(login.tokenSerial)?.pin.fill(0);
      this.pins.set(login.tokenSerial, { pin: Uint8Array.from(login.pin), confirmFinalTry: login.confirmFinalTry === true });
    }
    this.unlocks = unlocks.map((u) => ({ ...u }));
  }

  /**
   * Before anything is journalled: every key file needing a passphrase has one, and every token is
   * logged in to now, so a missing or wrong PIN leaves no half-started ceremony behind.
   */
  async prepare(acts: { tokens: readonly string[]; files: readonly string[] }): Promise<void> {
    for (const keyId of acts.files) {
      if (!this.unlocks.some((u) => keyId.startsWith(u.keyId) || u.keyId.startsWith(keyId))) {
        throw new PassphraseNeededError(
          `the Notary root certificate of key file ${keyId.slice(0, 12)}… must be signed with that key before signing, and the GUI takes key-file passphrases only when signing: put the root key on a token, or run this step with "keyrite ceremony"`,
        );
      }
    }
    for (const serial of acts.tokens) await this.ensureTokenLogin(serial);
  }

  ensureTokenLogin = async (serial: string): Promise<void> => {
    if (this.loggedIn.has(serial)) return;
    const given = this.pins.get(serial);
    if (!given) throw new PinNeededError(serial, 'before signing (to generate a key on it, or to sign a Notary root certificate)');
    const client = this.deps.tokens();
    const info = (await client.listTokens()).find((t) => t.serial === serial);
    if (!info) throw new TokensUnavailableError(`token ${serial} is not attached: insert it and try again`);
    if (info.pinState === 'locked') throw new PinLockedError(`The PIN of token ${serial} is locked; unblock it with the PUK or SO PIN. Keyrite never tries a default PIN.`, { tokenSerial: serial });
    if (info.pinState === 'final-try' && !given.confirmFinalTry) {
      throw new FinalTryNotConfirmedError(`Token ${serial} has ONE PIN try left: a wrong PIN locks it. Confirm that you want to use the final try.`);
    }
    this.deps.onLogin?.(serial);
    await loginWithPin(client, serial, given.pin);
    this.loggedIn.add(serial);
  };

  openSigner = async (ref: SignerRef, hint: { label: string; role?: string }): Promise<CeremonySigner> => {
    if (ref.kind === 'token') {
      await this.ensureTokenLogin(ref.tokenSerial);
      const client = this.deps.tokens();
      const key = (await client.listKeys(ref.tokenSerial)).find((k) => k.ckaId === ref.ckaId && k.spkiSha256 === ref.spkiSha256);
      if (!key) throw new TokensUnavailableError(`token ${ref.tokenSerial} does not hold key ${ref.ckaId} any more (${hint.label})`);
      const holder = findTokenEntry(await this.deps.inventory.list(), key)?.holder ?? null;
      // PIV slot 9c keys want the PIN again for every signature (CKA_ALWAYS_AUTHENTICATE).
      const pin = key.alwaysAuthenticate === true ? (this.pins.get(ref.tokenSerial)?.pin ?? null) : null;
      return new TokenCeremonySigner(client, key, { holder, pin: pin ? Uint8Array.from(pin) : null });
    }
    if (ref.kind === 'file') {
      const stored = await findKeyFile(this.deps.keyStore, ref.keyId);
      const unlock = this.unlocks.find((u) => stored.envelope.key.id.startsWith(u.keyId) || u.keyId.startsWith(stored.envelope.key.id));
      if (!unlock) throw new PassphraseNeededError(`the passphrase of key file ${ref.keyId.slice(0, 12)}… is needed before signing (${hint.label}); enter it and try again`);
      const decrypted = await this.deps.keyStore.load(stored.filePath, unlock.passphrase);
      const holder = (await this.deps.inventory.get(stored.envelope.key.id))?.holder ?? null;
      return new FileCeremonySigner(decrypted.privateKey, { keyId: ref.keyId, holder });
    }
    throw new PassphraseNeededError(`${hint.label} is held elsewhere: it signs at another sitting`);
  };

  /** Logs out of every token this access logged in to and wipes every PIN (idempotent). */
  async close(): Promise<void> {
    for (const { pin } of this.pins.values()) pin.fill(0);
    this.pins.clear();
    this.unlocks.splice(0);
    const serials = [...this.loggedIn];
    this.loggedIn.clear();
    for (const serial of serials) {
      // Logging out is best effort: a token pulled out meanwhile is logged out already.
      await this.deps
        .tokens()
        .logout(serial)
        .catch(() => undefined);
    }
  }
}

const FACTORY_PINS: ReadonlySet<string> = new Set(['123456', '12345678']);

/** Logs in with a copy of `pin`; a wrong PIN is reported with what the token now says about its tries. */
export async function loginWithPin(client: TokenClient, serial: string, pin: Uint8Array): Promise<void> {
  // security.md §3/§6 #39: a ceremony never runs on a token that still has its factory PIN (and the try is not spent).
  const text = new TextDecoder().decode(pin);
  if (FACTORY_PINS.has(text)) {
    throw new DefaultPinRefusedError(`Token ${serial} still has its factory-default PIN: change it (Keys screen, or "ykman piv access change-pin") before a ceremony.`);
  }
  try {
    await client.login(serial, Uint8Array.from(pin));
  } catch (error) {
    if (!(error instanceof Error && error.name === 'PinIncorrectError')) throw error;
    const state = (await client.listTokens().catch(() => [])).find((t) => t.serial === serial)?.pinState;
    const left = state === undefined ? 'the token no longer answers; check it before trying again' : triesLeft(state);
    throw new PinIncorrectError(`Wrong PIN for token ${serial}: ${left}.`, { tokenSerial: serial, pinState: state ?? null });
  }
}

/** What the token reports after a wrong PIN (many tokens, SoftHSM among them, report no counter until it is low). */
function triesLeft(state: PinState): string {
  switch (state) {
    case 'ok':
    case 'not-initialized':
      return 'the token does not report a low retry counter yet; check the PIN before trying again';
    case 'count-low':
      return 'the token reports few PIN tries left';
    case 'final-try':
      return 'ONE PIN try left: the next wrong PIN locks the token';
    case 'locked':
      return 'the PIN is now locked; unblock it with the PUK or SO PIN';
  }
}

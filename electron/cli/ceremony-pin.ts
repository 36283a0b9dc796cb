/**
 * Token logins of a ceremony sitting (review F18, F15a; security.md §6 #35, #39). Ceremonies use
 * root tokens, whose keys cannot be backed up: a locked token is a lost root key. So, as in
 * `keyrite keys`/`token` (token-pin.ts), the PIN state is read first — locked stops before anything
 * is sent, with the unblock path; the final try needs an explicit "yes" (or --final-try); the
 * tries left are shown — and further:
 * - one PIN per token: KEYRITE_PIN_<SERIAL>, else KEYRITE_PIN / --pin-file for ONE token of the run
 *   only (a shared PIN never hits several tokens blindly), else a prompt per token;
 * - the factory-default PIV PIN/PUK (123456 / 12345678) is refused for ceremonies;
 * - a token refused once in this run is not tried again (no second wrong try from the same source).
 */
import path from 'node:path';

import type { TokenInfo } from '../../shared/token/types';
import { CeremonyError } from '../core/ceremonies';
import { readFileCapped } from '../core/fs/atomic-write';
import { CliUsageError } from './cli-io';
import { ttyPrompter, type KeysIo } from './keys-passphrase';
import { describeTries, loginWithResolvedPin, PIN_UNBLOCK_PATH, TokenRefusedError, type LoginClient, type RefusalCode } from './token-pin';

/** Factory defaults (YubiKey PIV PIN and PUK); a ceremony token must have had them changed. */
export const FACTORY_DEFAULT_PINS: readonly string[] = ['123456', '12345678'];

export type CeremonyPinCode = RefusalCode | 'factory-default-pin' | 'token-absent' | 'shared-pin' | 'refused-earlier';

/** A ceremony token login was refused (exit 1); nothing more was sent to that token. */
export class CeremonyTokenRefusedError extends CeremonyError {
  override readonly name = 'CeremonyTokenRefusedError';
  constructor(
    message: string,
    readonly code: CeremonyPinCode,
    readonly tokenSerial: string,
    options?: { cause: unknown },
  ) {
    super(message, options);
  }
}

export interface CeremonyPinFlags {
  pinFile?: string;
  /** Use a token's last PIN try without asking (the operator decided beforehand). */
  finalTry?: boolean;
}

export type CeremonyPinIo = KeysIo & { confirm?: ((question: string) => Promise<string>) | null };

/** Per-run memory: which token used the shared PIN source, which tokens were refused. */
export class CeremonyPinGuard {
  private sharedUsedBy: string | null = null;
  private readonly refused = new Map<string, string>();
  private readonly loggedIn = new Set<string>();

  constructor(
    private readonly client: () => LoginClient,
    private readonly flags: CeremonyPinFlags,
    private readonly io: CeremonyPinIo,
  ) {}

  /** Logs in to `serial` once per run, through every guard above. */
  async login(serial: string): Promise<void> {
    if (this.loggedIn.has(serial)) return;
    const earlier = this.refused.get(serial);
    if (earlier !== undefined) throw new CeremonyTokenRefusedError(`token ${serial} was refused earlier in this run (${earlier}); nothing more was sent to it`, 'refused-earlier', serial);
    try {
      await this.loginOnce(serial);
      this.loggedIn.add(serial);
    } catch (error) {
      if (error instanceof CeremonyTokenRefusedError) this.refused.set(serial, error.message);
      throw error;
    }
  }

  /** The PIN again for one signature (PIV slot 9c, CKA_ALWAYS_AUTHENTICATE): same sources and default refusal. */
  async pinFor(serial: string): Promise<Uint8Array> {
    return (await this.resolvePin(serial, `token ${serial}`)).bytes;
  }

  private async loginOnce(serial: string): Promise<void> {
    const client = this.client();
    const token = (await client.listTokens()).find((t) => t.serial === serial);
    if (!token) throw new CeremonyTokenRefusedError(`token ${serial} is not connected; insert it (exactly one token with that serial) and resume`, 'token-absent', serial);
    const who = `token ${token.serial} (${token.label})`;
    if (token.pinState === 'locked') throw new CeremonyTokenRefusedError(`The PIN of ${who} is locked; nothing was sent to it. ${PIN_UNBLOCK_PATH}`, 'pin-locked', serial);
    if (token.pinState === 'not-initialized') throw new CeremonyTokenRefusedError(`${who} has no user PIN set; initialise it (not with a factory default) before the ceremony.`, 'pin-not-initialized', serial);
    if (token.pinState === 'final-try') await this.confirmFinalTry(who, serial);
    if (token.pinState !== 'ok') this.io.stderr(`Warning: ${who}: ${describeTries(token)}.\n`);
    const secret = await this.resolvePin(serial, who, token);
    try {
      await loginWithResolvedPin(client, token, secret);
    } catch (error) {
      if (error instanceof TokenRefusedError) throw new CeremonyTokenRefusedError(`${error.message} Nothing was signed.`, error.code, serial, { cause: error });
      throw error;
    }
  }

  private async confirmFinalTry(who: string, serial: string): Promise<void> {
    if (this.flags.finalTry) return;
    const refusal = `${who} has ONE PIN try left: a wrong PIN locks it (a locked root token is a lost root key). Nothing was sent to it. Give --final-try to use it, or answer "yes" at the prompt.`;
    const confirm = this.io.confirm;
    if (!confirm) throw new CeremonyTokenRefusedError(refusal, 'final-try-not-confirmed', serial);
    const answer = (await confirm(`${who} has ONE PIN try left; a wrong PIN locks it. Use the final try? Type "yes": `)).trim().toLowerCase();
    if (answer !== 'yes') throw new CeremonyTokenRefusedError(`Not confirmed: ${refusal}`, 'final-try-not-confirmed', serial);
  }

  private async resolvePin(serial: string, who: string, token?: TokenInfo): Promise<{ bytes: Uint8Array; source: string }> {
    const own = this.io.env[`KEYRITE_PIN_${serial}`];
    let pin: string;
    let source: string;
    if (own !== undefined && own !== '') {
      pin = own;
      source = `$KEYRITE_PIN_${serial}`;
    } else {
      const shared = await this.sharedPin();
      if (shared !== null && (this.sharedUsedBy === null || this.sharedUsedBy === serial)) {
        this.sharedUsedBy = serial;
        ({ pin, source } = shared);
      } else {
        const prompt = this.io.prompt === undefined ? ttyPrompter() : this.io.prompt;
        const why = shared !== null ? `${shared.source} was already used for token ${this.sharedUsedBy}; one PIN is never tried on several tokens` : 'no PIN was given for it';
        if (prompt === null) throw new CeremonyTokenRefusedError(`the PIN of ${who} is needed (${why}) and there is no terminal to ask on: set KEYRITE_PIN_${serial}; nothing was sent to the token`, 'shared-pin', serial);
        const tries = token ? ` [${describeTries(token)}]` : '';
        pin = await prompt(`PIN of ${who}${tries}: `);
        if (pin === '') throw new CliUsageError(`empty PIN for ${who}; nothing was sent to the token`);
        source = 'the prompt';
      }
    }
    if (FACTORY_DEFAULT_PINS.includes(pin)) {
      throw new CeremonyTokenRefusedError(
        `${who} still has a factory-default PIN (${pin}, from ${source}); ceremonies refuse it (security.md §6 #39). Change it first (\`ykman piv access change-pin\`, or \`keyrite token\`), then resume; nothing was sent to the token.`,
        'factory-default-pin',
        serial,
      );
    }
    return { bytes: new TextEncoder().encode(pin), source };
  }

  /** --pin-file, else $KEYRITE_PIN: the one shared PIN source of the run (null: none given). */
  private async sharedPin(): Promise<{ pin: string; source: string } | null> {
    if (this.flags.pinFile) {
      const file = path.resolve(this.io.cwd, this.flags.pinFile);
      const bytes = await readFileCapped(file, 256);
      if (bytes === null) throw new CliUsageError(`PIN file ${this.flags.pinFile} does not exist`);
      const pin = Buffer.from(bytes).toString('utf8').replace(/\r?\n$/, '');
      bytes.fill(0);
      if (pin === '') throw new CliUsageError(`PIN file ${this.flags.pinFile} is empty`);
      return { pin, source: file };
    }
    const env = this.io.env['KEYRITE_PIN'];
    return env !== undefined && env !== '' ? { pin: env, source: '$KEYRITE_PIN' } : null;
  }
}

/**
 * Logging in to a token from the CLI (issue 3 "PIN", security.md #33–#35). The PIN comes from
 * `--pin-file`, else $KEYRITE_PIN, else a hidden prompt; there is no default and none is ever
 * tried. The token's PIN state is read first: a locked PIN stops with the unblock path, the final
 * try needs `--final-try` or a typed "yes", a low count is shown. A wrong PIN ends the command
 * (exit 1) with the state the token reports afterwards; it is never retried automatically.
 */
import { createInterface } from 'node:readline/promises';
import path from 'node:path';

import { PinIncorrectError, PinLockedError } from '../../shared/token/errors';
import type { LoginUser, PinState, TokenInfo } from '../../shared/token/types';
import { readFileCapped } from '../core/fs/atomic-write';
import { CliUsageError } from './cli-io';
import { ttyPrompter, type KeysIo } from './keys-passphrase';

/** Asks a visible yes/no question; null when there is no terminal. */
export type Confirmer = (question: string) => Promise<boolean>;

/** CliIo plus injectable hidden prompt and confirmation (tests; defaults use the TTY). */
export type TokenIo = KeysIo & { confirm?: Confirmer | null };

export interface PinFlags {
  pinFile?: string;
  finalTry?: boolean;
  managementKeyFile?: string;
}

export const PIN_UNBLOCK_PATH =
  'Unblock it with the PUK: `ykman piv access unblock-pin` (or `yubico-piv-tool -a unblock-pin`); on other tokens the security officer resets the user PIN with the SO PIN. Keyrite never uses the PUK or a default PIN.';

export type RefusalCode = 'pin-incorrect' | 'management-key-incorrect' | 'pin-locked' | 'pin-not-initialized' | 'final-try-not-confirmed' | 'slot-occupied' | 'token-refused';

/** The token refused (wrong or locked PIN, final try not confirmed, occupied slot): exit 1. */
export class TokenRefusedError extends Error {
  override readonly name = 'TokenRefusedError';
  constructor(
    message: string,
    readonly code: RefusalCode,
    /** The token's state after the refusal, when it could be read. */
    readonly token: TokenInfo | null,
    options?: { cause: unknown },
  ) {
    super(message, options);
  }
}

const TRIES: Record<PinState, string> = {
  ok: 'not reduced',
  'count-low': 'few left (the token flags CKF_USER_PIN_COUNT_LOW; a YubiKey then has 2)',
  'final-try': 'ONE left: the next wrong PIN locks the token (CKF_USER_PIN_FINAL_TRY)',
  locked: 'none: the PIN is locked (CKF_USER_PIN_LOCKED)',
  'not-initialized': 'the user PIN is not set (CKF_USER_PIN_INITIALIZED missing)',
};

export function describeTries(token: Pick<TokenInfo, 'pinState' | 'flags'>): string {
  return `PIN tries: ${TRIES[token.pinState]} [token flags 0x${token.flags.toString(16)}]`;
}

/** What login needs of a TokenClient. */
export interface LoginClient {
  listTokens(): Promise<TokenInfo[]>;
  login(tokenSerial: string, pin: Uint8Array, user?: LoginUser): Promise<{ pinState: PinState }>;
}

/**
 * Logs in to `token` with the user PIN after checking its PIN state. Returns the PIN state after
 * login. Throws TokenRefusedError (exit 1) or CliUsageError (exit 2: no PIN source).
 */
export async function loginWithPin(client: LoginClient, token: TokenInfo, flags: PinFlags, io: TokenIo): Promise<PinState> {
  const who = `token ${token.serial} (${token.label})`;
  if (token.pinState === 'locked') throw new TokenRefusedError(`The PIN of ${who} is locked. ${PIN_UNBLOCK_PATH}`, 'pin-locked', token);
  if (token.pinState === 'not-initialized') throw new TokenRefusedError(`${who} has no user PIN set; initialise it before use.`, 'pin-not-initialized', token);
  if (token.pinState === 'final-try' && !flags.finalTry) await confirmFinalTry(who, io, token);
  if (token.pinState === 'count-low') io.stderr(`Warning: ${who}: ${describeTries(token)}.\n`);
  const pin = await resolveSecret({ purpose: `the PIN of ${who}`, file: flags.pinFile, envName: 'KEYRITE_PIN', fileFlag: '--pin-file' }, io);
  return login(client, token, pin, 'user');
}

/**
 * Logs in as the security officer (PIV: the management key as hex, or the PIN where the management
 * key is PIN-protected): ykcs11 generates keys only as SO. Never a default management key.
 */
export async function loginWithManagementKey(client: LoginClient, token: TokenInfo, flags: PinFlags, io: TokenIo): Promise<PinState> {
  const who = `token ${token.serial} (${token.label})`;
  const key = await resolveSecret(
    { purpose: `the PIV management key of ${who} (hex)`, file: flags.managementKeyFile, envName: 'KEYRITE_MANAGEMENT_KEY', fileFlag: '--management-key-file' },
    io,
  );
  return login(client, token, key, 'so');
}

/**
 * User login with a PIN the caller already resolved (ceremonies resolve it per token serial), with
 * the same refusal mapping as loginWithPin; the caller has checked the PIN state first.
 */
export function loginWithResolvedPin(client: LoginClient, token: TokenInfo, secret: { bytes: Uint8Array; source: string }): Promise<PinState> {
  return login(client, token, secret, 'user');
}

async function login(client: LoginClient, token: TokenInfo, secret: { bytes: Uint8Array; source: string }, user: LoginUser): Promise<PinState> {
  const what = user === 'so' ? 'management key' : 'PIN';
  try {
    // login() wipes the bytes once they are handed to the token host.
    return (await client.login(token.serial, secret.bytes, user)).pinState;
  } catch (error) {
    if (error instanceof PinLockedError) {
      const after = await stateAfter(client, token.serial);
      const hint = error.message.toLowerCase().includes('unblock') ? '' : ` ${PIN_UNBLOCK_PATH}`;
      throw new TokenRefusedError(`${error.message}${hint}`, 'pin-locked', after, { cause: error });
    }
    if (error instanceof PinIncorrectError && user === 'so') {
      // A PIV management key has no retry counter: there are no tries left to report.
      throw new TokenRefusedError(`Wrong ${what} for token ${token.serial} (it came from ${secret.source}); nothing was generated.`, 'management-key-incorrect', await stateAfter(client, token.serial), { cause: error });
    }
    if (error instanceof PinIncorrectError) {
      const after = await stateAfter(client, token.serial);
      // ykcs11 knows the exact count (the piv host puts it in detail.triesLeft); other modules only flags.
      const left = error.detail['triesLeft'];
      const exact = typeof left === 'number' ? ` ${left} ${left === 1 ? 'try' : 'tries'} left.` : '';
      const tries = `${exact}${after ? ` ${describeTries(after)}.` : ''}`;
      const locked = after?.pinState === 'locked' ? ` ${PIN_UNBLOCK_PATH}` : '';
      throw new TokenRefusedError(`Wrong ${what} for token ${token.serial} (it came from ${secret.source}).${tries}${locked}`, after?.pinState === 'locked' ? 'pin-locked' : 'pin-incorrect', after, { cause: error });
    }
    throw error;
  } finally {
    secret.bytes.fill(0);
  }
}

/** The token's state right after a failed login (null when it cannot be read: removed, host gone). */
async function stateAfter(client: LoginClient, serial: string): Promise<TokenInfo | null> {
  try {
    return (await client.listTokens()).find((t) => t.serial === serial) ?? null;
  } catch {
    // The refusal is the news; an unreadable state only means we cannot add the tries left.
    return null;
  }
}

async function confirmFinalTry(who: string, io: TokenIo, token: TokenInfo): Promise<void> {
  const confirm = io.confirm === undefined ? ttyConfirmer() : io.confirm;
  const refusal = `${who} has ONE PIN try left: a wrong PIN locks it. Give --final-try to use it (or answer "yes" at the prompt).`;
  if (!confirm) throw new TokenRefusedError(refusal, 'final-try-not-confirmed', token);
  const yes = await confirm(`${who} has ONE PIN try left; a wrong PIN locks it (${PIN_UNBLOCK_PATH.split(':')[0]}). Use the final try? Type "yes": `);
  if (!yes) throw new TokenRefusedError(`Not confirmed: ${refusal}`, 'final-try-not-confirmed', token);
}

const MAX_SECRET_FILE_BYTES = 1024;

interface SecretRequest {
  purpose: string;
  file: string | undefined;
  envName: string;
  fileFlag: string;
}

/** `--pin-file`, then the variable, then a hidden prompt; no TTY and no source is a usage error. */
async function resolveSecret(request: SecretRequest, io: TokenIo): Promise<{ bytes: Uint8Array; source: string }> {
  const encode = (text: string): Uint8Array => new TextEncoder().encode(text);
  if (request.file !== undefined) {
    const filePath = path.resolve(io.cwd, request.file);
    let bytes: Uint8Array | null;
    try {
      bytes = await readFileCapped(filePath, MAX_SECRET_FILE_BYTES);
    } catch (error) {
      throw new CliUsageError(`cannot read ${filePath}: ${error instanceof Error ? error.message : String(error)}`);
    }
    if (bytes === null) throw new CliUsageError(`${request.fileFlag} ${filePath} does not exist`);
    // One trailing newline is the editor's, not the PIN's.
    const text = Buffer.from(bytes).toString('utf8').replace(/\r?\n$/, '');
    bytes.fill(0);
    if (text === '') throw new CliUsageError(`${request.fileFlag} ${filePath} is empty`);
    return { bytes: encode(text), source: filePath };
  }
  const fromEnv = io.env[request.envName];
  if (fromEnv !== undefined && fromEnv !== '') return { bytes: encode(fromEnv), source: `$${request.envName}` };
  const prompt = io.prompt === undefined ? ttyPrompter() : io.prompt;
  if (prompt === null) throw new CliUsageError(`${request.purpose} is needed and there is no terminal to ask on: give ${request.fileFlag} FILE or set ${request.envName}`);
  const typed = await prompt(`Enter ${request.purpose}: `);
  if (typed === '') throw new CliUsageError(`${request.purpose} is empty; nothing was sent to the token`);
  return { bytes: encode(typed), source: 'the prompt' };
}

/** A visible yes/no question on the TTY; null when stdin is not a terminal. */
function ttyConfirmer(): Confirmer | null {
  if (!process.stdin.isTTY) return null;
  return async (question) => {
    const rl = createInterface({ input: process.stdin, output: process.stderr });
    try {
      return (await rl.question(question)).trim().toLowerCase() === 'yes';
    } finally {
      rl.close();
    }
  };
}

/** Prints a refusal: the message on stderr; with --json also `{ ok: false, error, token }` on stdout. */
export function printRefusal(error: TokenRefusedError, json: boolean | undefined, io: Pick<TokenIo, 'stdout' | 'stderr'>): void {
  io.stderr(`keyrite: refused: ${error.message}\n`);
  if (!json) return;
  const token = error.token ? { serial: error.token.serial, label: error.token.label, pinState: error.token.pinState, flags: error.token.flags } : null;
  io.stdout(`${JSON.stringify({ ok: false, error: { name: error.cause instanceof Error ? error.cause.name : error.name, code: error.code, message: error.message }, token }, null, 2)}\n`);
}

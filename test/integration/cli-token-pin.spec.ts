/**
 * The CLI's PIN rules with a scripted token (SoftHSM never reaches "final try" or "locked"; the
 * ykcs11 emulator tests cover the real counters): a locked PIN stops before any PIN is read, the
 * final try needs --final-try or a typed "yes", a wrong PIN reports the state the token shows
 * afterwards, and the PIN bytes handed over are wiped.
 */
import { describe, expect, it } from 'vitest';

import { PinIncorrectError, PinLockedError } from '../../shared/token/errors';
import type { LoginUser, PinState, TokenInfo } from '../../shared/token/types';
import { CliUsageError } from '../../electron/cli/cli-io';
import { loginWithManagementKey, loginWithPin, PIN_UNBLOCK_PATH, printRefusal, TokenRefusedError, type LoginClient, type TokenIo } from '../../electron/cli/token-pin';

const FLAGS: Record<PinState, number> = { ok: 0x40d, 'count-low': 0x1040d, 'final-try': 0x2040d, locked: 0x4040d, 'not-initialized': 0x405 };

const tokenIn = (pinState: PinState): TokenInfo => ({
  serial: '12345678',
  label: 'YubiKey PIV #12345678',
  model: 'YubiKey YK5',
  manufacturer: 'Yubico (www.yubico.com)',
  firmware: '5.7',
  hardware: '1.0',
  flags: FLAGS[pinState],
  pinState,
  loginRequired: true,
  protectedAuthPath: false,
});

/** A token whose login outcome and later state the test scripts; records what it was sent. */
function scriptedToken(options: { after?: PinState; fail?: Error } = {}): LoginClient & { logins: Array<{ pin: string; user: LoginUser | undefined; bytes: Uint8Array }> } {
  const logins: Array<{ pin: string; user: LoginUser | undefined; bytes: Uint8Array }> = [];
  return {
    logins,
    listTokens: () => Promise.resolve([tokenIn(options.after ?? 'ok')]),
    login: (_serial, pin, user) => {
      logins.push({ pin: new TextDecoder().decode(pin), user, bytes: pin });
      return options.fail ? Promise.reject(options.fail) : Promise.resolve({ pinState: 'ok' });
    },
  };
}

function io(extra: Partial<TokenIo> = {}): TokenIo & { err: string[]; out: string[] } {
  const err: string[] = [];
  const out: string[] = [];
  return { stdout: (t) => out.push(t), stderr: (t) => err.push(t), env: {}, cwd: process.cwd(), homedir: '/nonexistent', prompt: null, confirm: null, err, out, ...extra };
}

async function refusal(promise: Promise<unknown>): Promise<TokenRefusedError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TokenRefusedError);
  return error as TokenRefusedError;
}

describe('CLI PIN rules', () => {
  it('a locked PIN stops at once with the unblock path; no PIN is read or sent', async () => {
    const client = scriptedToken();
    let prompted = false;
    const error = await refusal(
      loginWithPin(client, tokenIn('locked'), {}, io({ env: { KEYRITE_PIN: '123456' }, prompt: () => ((prompted = true), Promise.resolve('x')) })),
    );
    expect(error.code).toBe('pin-locked');
    expect(error.message).toContain('ykman piv access unblock-pin');
    expect(client.logins).toEqual([]);
    expect(prompted).toBe(false);
  });

  it('the final try needs --final-try or a typed "yes"', async () => {
    const noTty = scriptedToken();
    const refused = await refusal(loginWithPin(noTty, tokenIn('final-try'), {}, io({ env: { KEYRITE_PIN: '123456' } })));
    expect(refused.code).toBe('final-try-not-confirmed');
    expect(refused.message).toMatch(/ONE PIN try left.*--final-try/);
    expect(noTty.logins).toEqual([]);

    const declined = scriptedToken();
    const questions: string[] = [];
    const no = await refusal(loginWithPin(declined, tokenIn('final-try'), {}, io({ env: { KEYRITE_PIN: '123456' }, confirm: (q) => (questions.push(q), Promise.resolve(false)) })));
    expect(no.message).toMatch(/^Not confirmed/);
    expect(questions[0]).toMatch(/ONE PIN try left.*Type "yes"/);
    expect(declined.logins).toEqual([]);

    const confirmed = scriptedToken();
    await loginWithPin(confirmed, tokenIn('final-try'), {}, io({ env: { KEYRITE_PIN: '123456' }, confirm: () => Promise.resolve(true) }));
    expect(confirmed.logins.map((l) => l.pin)).toEqual(['123456']);

    const flagged = scriptedToken();
    await loginWithPin(flagged, tokenIn('final-try'), { finalTry: true }, io({ env: { KEYRITE_PIN: '123456' } }));
    expect(flagged.logins).toHaveLength(1);
  });

  it('a low count is shown before the PIN is used', async () => {
    const client = scriptedToken();
    const out = io({ env: { KEYRITE_PIN: '123456' } });
    await loginWithPin(client, tokenIn('count-low'), {}, out);
    expect(out.err.join('')).toMatch(/Warning: token 12345678 .*PIN tries: few left/);
  });

  it('a wrong PIN reports the exact tries left when the module knows them, and the state and flags the token shows afterwards', async () => {
    const client = scriptedToken({ after: 'final-try', fail: new PinIncorrectError('Wrong PIN for token 12345678.', { ckr: '0xa0', triesLeft: 1 }) });
    const error = await refusal(loginWithPin(client, tokenIn('count-low'), {}, io({ env: { KEYRITE_PIN: '654321' } })));
    expect(error.code).toBe('pin-incorrect');
    expect(error.message).toBe('Wrong PIN for token 12345678 (it came from $KEYRITE_PIN). 1 try left. PIN tries: ONE left: the next wrong PIN locks the token (CKF_USER_PIN_FINAL_TRY) [token flags 0x2040d].');
    expect(error.token?.pinState).toBe('final-try');
  });

  it('the PIN that locks the token: refusal names the unblock path; --json carries name, code and token state', async () => {
    const client = scriptedToken({ after: 'locked', fail: new PinLockedError('The PIN of token 12345678 is locked.', { ckr: '0xa4' }) });
    const out = io({ env: { KEYRITE_PIN: '654321' } });
    const error = await refusal(loginWithPin(client, tokenIn('final-try'), { finalTry: true }, out));
    expect(error.code).toBe('pin-locked');
    expect(error.message).toBe(`The PIN of token 12345678 is locked. ${PIN_UNBLOCK_PATH}`);
    printRefusal(error, true, out);
    expect(out.err.join('')).toContain('keyrite: refused: The PIN of token 12345678 is locked.');
    expect(JSON.parse(out.out.join(''))).toEqual({
      ok: false,
      error: { name: 'PinLockedError', code: 'pin-locked', message: error.message },
      token: { serial: '12345678', label: 'YubiKey PIV #12345678', pinState: 'locked', flags: 0x4040d },
    });
  });

  it('prompts (hidden) only when neither --pin-file nor KEYRITE_PIN is given; the bytes handed over are wiped', async () => {
    const client = scriptedToken();
    const questions: string[] = [];
    await loginWithPin(client, tokenIn('ok'), {}, io({ prompt: (q) => (questions.push(q), Promise.resolve('246810')) }));
    expect(questions).toEqual(['Enter the PIN of token 12345678 (YubiKey PIV #12345678): ']);
    expect(client.logins[0]?.pin).toBe('246810');
    expect([...(client.logins[0]?.bytes ?? [])].every((b) => b === 0)).toBe(true);
    await expect(loginWithPin(scriptedToken(), tokenIn('ok'), {}, io({ prompt: () => Promise.resolve('') }))).rejects.toBeInstanceOf(CliUsageError);
  });

  it('logs in as SO with the management key from $KEYRITE_MANAGEMENT_KEY (YubiKey generation); a wrong one is refused', async () => {
    const client = scriptedToken();
    await loginWithManagementKey(client, tokenIn('ok'), {}, io({ env: { KEYRITE_MANAGEMENT_KEY: 'a1'.repeat(24) } }));
    expect(client.logins.map((l) => [l.user, l.pin])).toEqual([['so', 'a1'.repeat(24)]]);
    const wrong = scriptedToken({ fail: new PinIncorrectError('wrong', { ckr: '0xa0' }) });
    const error = await refusal(loginWithManagementKey(wrong, tokenIn('ok'), {}, io({ env: { KEYRITE_MANAGEMENT_KEY: 'b2'.repeat(24) } })));
    expect(error.message).toMatch(/^Wrong management key for token 12345678 \(it came from \$KEYRITE_MANAGEMENT_KEY\)/);
    expect(error.code).toBe('management-key-incorrect');
    await expect(loginWithManagementKey(scriptedToken(), tokenIn('ok'), {}, io())).rejects.toThrow(/--management-key-file FILE or set KEYRITE_MANAGEMENT_KEY/);
  });
});

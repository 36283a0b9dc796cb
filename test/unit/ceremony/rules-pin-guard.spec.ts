import { describe, expect, it } from 'vitest';

import { CeremonyPinGuard, CeremonyTokenRefusedError, type CeremonyPinIo } from '../../../electron/cli/ceremony-pin';
import type { LoginClient } from '../../../electron/cli/token-pin';
import { PinIncorrectError } from '../../../shared/token/errors';
import type { PinState, TokenInfo } from '../../../shared/token/types';

/** review F18 / F15a: ceremony token logins go through the PIN guard. */

function token(serial: string, pinState: PinState): TokenInfo {
  return { serial, label: `root-${serial}`, model: 'SoftHSM', manufacturer: 'test', firmware: '1.0', hardware: '1.0', flags: 0x400, pinState, loginRequired: true, protectedAuthPath: false };
}

class FakeClient implements LoginClient {
  readonly logins: { serial: string; pin: string }[] = [];
  constructor(
    private readonly tokens: TokenInfo[],
    private readonly goodPin = '246810',
  ) {}
  listTokens(): Promise<TokenInfo[]> {
    return Promise.resolve(this.tokens);
  }
  login(serial: string, pin: Uint8Array): Promise<{ pinState: PinState }> {
    const text = new TextDecoder().decode(pin);
    this.logins.push({ serial, pin: text });
    if (text !== this.goodPin) {
      const t = this.tokens.find((x) => x.serial === serial)!;
      t.pinState = 'count-low';
      return Promise.reject(new PinIncorrectError('CKR_PIN_INCORRECT', { triesLeft: 2 }));
    }
    return Promise.resolve({ pinState: 'ok' });
  }
}

function io(env: Record<string, string>, extra: Partial<CeremonyPinIo> = {}): CeremonyPinIo & { err: string[]; prompts: string[] } {
  const err: string[] = [];
  const prompts: string[] = [];
  return { stdout: () => undefined, stderr: (t: string) => void err.push(t), env, cwd: '/', homedir: '/', prompt: null, confirm: null, keychain: null, err, prompts, ...extra };
}

async function refusal(p: Promise<unknown>): Promise<CeremonyTokenRefusedError> {
  try {
    await p;
  } catch (error) {
    if (error instanceof CeremonyTokenRefusedError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('ceremony PIN guard', () => {
  it('a locked token is refused before anything is sent, with the unblock path', async () => {
    const client = new FakeClient([token('1001', 'locked')]);
    const e = await refusal(new CeremonyPinGuard(() => client, {}, io({ KEYRITE_PIN: '246810' })).login('1001'));
    expect(e.code).toBe('pin-locked');
    expect(e.message).toMatch(/locked; nothing was sent.*unblock-pin/);
    expect(client.logins).toEqual([]);
  });

  it('the final try needs an explicit "yes" (or --final-try); without it nothing is sent', async () => {
    const noTty = new FakeClient([token('1001', 'final-try')]);
    const e = await refusal(new CeremonyPinGuard(() => noTty, {}, io({ KEYRITE_PIN_1001: '246810' })).login('1001'));
    expect(e.code).toBe('final-try-not-confirmed');
    expect(e.message).toMatch(/ONE PIN try left.*--final-try/);
    expect(noTty.logins).toEqual([]);

    const questions: string[] = [];
    const declined = new FakeClient([token('1001', 'final-try')]);
    await refusal(new CeremonyPinGuard(() => declined, {}, io({ KEYRITE_PIN_1001: '246810' }, { confirm: (q) => (questions.push(q), Promise.resolve('no')) })).login('1001'));
    expect(questions[0]).toMatch(/ONE PIN try left/);
    expect(declined.logins).toEqual([]);

    const yes = new FakeClient([token('1001', 'final-try')]);
    const out = io({ KEYRITE_PIN_1001: '246810' }, { confirm: () => Promise.resolve('yes') });
    await new CeremonyPinGuard(() => yes, {}, out).login('1001');
    expect(yes.logins).toEqual([{ serial: '1001', pin: '246810' }]);
    expect(out.err.join('')).toMatch(/PIN tries: ONE left/);

    const flagged = new FakeClient([token('1001', 'final-try')]);
    await new CeremonyPinGuard(() => flagged, { finalTry: true }, io({ KEYRITE_PIN_1001: '246810' })).login('1001');
    expect(flagged.logins).toHaveLength(1);
  });

  it('a wrong PIN reports the tries left, and the token is not tried again in the same run', async () => {
    const client = new FakeClient([token('1001', 'ok')]);
    const guard = new CeremonyPinGuard(() => client, {}, io({ KEYRITE_PIN_1001: '000000' }));
    const e = await refusal(guard.login('1001'));
    expect(e.code).toBe('pin-incorrect');
    expect(e.message).toMatch(/Wrong PIN for token 1001 \(it came from \$KEYRITE_PIN_1001\)\. 2 tries left\. PIN tries: few left/);
    const again = await refusal(guard.login('1001'));
    expect(again.code).toBe('refused-earlier');
    expect(client.logins).toHaveLength(1);
  });

  it('KEYRITE_PIN serves one token only; another token needs KEYRITE_PIN_<SERIAL> or its own prompt', async () => {
    const client = new FakeClient([token('1001', 'ok'), token('1002', 'ok'), token('1003', 'ok')]);
    const guard = new CeremonyPinGuard(() => client, {}, io({ KEYRITE_PIN: '246810', KEYRITE_PIN_1003: '246810' }));
    await guard.login('1001');
    const e = await refusal(guard.login('1002'));
    expect(e.code).toBe('shared-pin');
    expect(e.message).toMatch(/\$KEYRITE_PIN was already used for token 1001; one PIN is never tried on several tokens.*KEYRITE_PIN_1002/);
    await guard.login('1003');
    expect(client.logins.map((l) => l.serial)).toEqual(['1001', '1003']);

    const prompted: string[] = [];
    const withPrompt = new FakeClient([token('1001', 'ok'), token('1002', 'count-low')]);
    const g2 = new CeremonyPinGuard(() => withPrompt, {}, io({ KEYRITE_PIN: '246810' }, { prompt: (q: string) => (prompted.push(q), Promise.resolve('246810')) }));
    await g2.login('1001');
    await g2.login('1002');
    expect(prompted).toHaveLength(1);
    expect(prompted[0]).toMatch(/PIN of token 1002 \(root-1002\) \[PIN tries: few left/);
  });

  it('the factory-default PIN is refused for ceremonies, whatever its source', async () => {
    for (const env of [{ KEYRITE_PIN: '123456' }, { KEYRITE_PIN_1001: '12345678' }]) {
      const client = new FakeClient([token('1001', 'ok')], '123456');
      const e = await refusal(new CeremonyPinGuard(() => client, {}, io(env)).login('1001'));
      expect(e.code).toBe('factory-default-pin');
      expect(e.message).toMatch(/still has a factory-default PIN.*change-pin.*nothing was sent/);
      expect(client.logins).toEqual([]);
    }
    const typed = new FakeClient([token('1001', 'ok')], '123456');
    const e = await refusal(new CeremonyPinGuard(() => typed, {}, io({}, { prompt: () => Promise.resolve('123456') })).login('1001'));
    expect(e.code).toBe('factory-default-pin');
  });

  it('an absent token is named; nothing is sent', async () => {
    const client = new FakeClient([token('1001', 'ok')]);
    const e = await refusal(new CeremonyPinGuard(() => client, {}, io({ KEYRITE_PIN: '246810' })).login('9999'));
    expect(e.code).toBe('token-absent');
    expect(client.logins).toEqual([]);
  });
});

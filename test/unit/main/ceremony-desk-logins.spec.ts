/**
 * The desk's login-capable KeyAccess against a scripted token client (the PIN states SoftHSM
 * cannot produce: final try, locked): a final try is spent only when confirmed, a locked PIN is
 * never tried, every PIN is sent as a fresh copy and wiped on close, and close logs out.
 */
import { describe, expect, it } from 'vitest';

import { LoginKeyAccess } from '../../../electron/core/ceremony-desk/desk-logins';
import type { TokenClient } from '../../../electron/core/tokens/token-client';
import type { PinState } from '../../../shared/token/types';

function scripted(pinState: PinState, wrongPin = false) {
  const calls: string[] = [];
  const sent: Uint8Array[] = [];
  const client = {
    listTokens: () => Promise.resolve([{ serial: 'S1', pinState }]),
    login: (serial: string, pin: Uint8Array) => {
      calls.push(`login ${serial}`);
      sent.push(pin);
      if (wrongPin) return Promise.reject(Object.assign(new Error('CKR_PIN_INCORRECT'), { name: 'PinIncorrectError' }));
      return Promise.resolve({ pinState });
    },
    logout: (serial: string) => {
      calls.push(`logout ${serial}`);
      return Promise.resolve();
    },
  } as unknown as TokenClient;
  const access = (pin: Uint8Array, confirmFinalTry?: boolean) =>
    new LoginKeyAccess({ tokens: () => client, keyStore: {} as never, inventory: {} as never }, [{ tokenSerial: 'S1', pin, confirmFinalTry }]);
  return { calls, sent, access };
}

const bytes = (text: string) => new TextEncoder().encode(text);

describe('LoginKeyAccess (desk logins)', () => {
  it('logs in once per token with a copy of the PIN, and close() logs out and wipes it', async () => {
    const { calls, sent, access } = scripted('ok');
    const given = bytes('246810');
    const a = access(given);
    await a.prepare({ tokens: ['S1'], files: [] });
    await a.ensureTokenLogin('S1');
    expect(calls).toEqual(['login S1']);
    expect(sent[0]).not.toBe(given);
    await a.close();
    expect(calls).toEqual(['login S1', 'logout S1']);
    await expect(a.ensureTokenLogin('S1')).rejects.toMatchObject({ name: 'PinNeededError' });
  });

  it('refuses a final try unless it was confirmed, without touching the token', async () => {
    const unconfirmed = scripted('final-try');
    await expect(unconfirmed.access(bytes('246810')).prepare({ tokens: ['S1'], files: [] })).rejects.toMatchObject({ name: 'FinalTryNotConfirmedError' });
    expect(unconfirmed.calls).toEqual([]);
    const confirmed = scripted('final-try');
    await confirmed.access(bytes('246810'), true).prepare({ tokens: ['S1'], files: [] });
    expect(confirmed.calls).toEqual(['login S1']);
  });

  it('never tries a locked PIN or a factory-default PIN', async () => {
    const locked = scripted('locked');
    await expect(locked.access(bytes('246810')).prepare({ tokens: ['S1'], files: [] })).rejects.toMatchObject({ name: 'PinLockedError' });
    const factory = scripted('ok');
    await expect(factory.access(bytes('123456')).prepare({ tokens: ['S1'], files: [] })).rejects.toMatchObject({ name: 'DefaultPinRefusedError' });
    expect([...locked.calls, ...factory.calls]).toEqual([]);
  });

  it('a wrong PIN names the token and what it now reports about its tries', async () => {
    const { access } = scripted('count-low', true);
    await expect(access(bytes('246810')).prepare({ tokens: ['S1'], files: [] })).rejects.toMatchObject({ name: 'PinIncorrectError', message: 'Wrong PIN for token S1: the token reports few PIN tries left.' });
  });

  it('a Notary root key file needs a passphrase up front (refused before any login)', async () => {
    const { calls, access } = scripted('ok');
    await expect(access(bytes('246810')).prepare({ tokens: ['S1'], files: ['ab'.repeat(32)] })).rejects.toMatchObject({ name: 'PassphraseNeededError' });
    expect(calls).toEqual([]);
  });
});

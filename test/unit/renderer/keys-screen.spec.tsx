// @vitest-environment jsdom
import { act } from 'react';
import { describe, expect, it } from 'vitest';

import { err, ok } from '../../../shared/ipc/result';
import type { TokenInfo } from '../../../shared/token/types';
import { EnrollWizard } from '../../../renderer/features/keys/components/enroll-wizard';
import { PinField, pinReady } from '../../../renderer/features/keys/components/pin-field';
import { setApi } from '../../../renderer/lib/api';
import { useKeysStore } from '../../../renderer/stores/keys-store';
import { button, flush, type, useDomRoot } from './dom-root';
import { fakeApi } from './fake-api';

const token = (patch: Partial<TokenInfo> = {}): TokenInfo => ({
  serial: '12345678', label: 'YubiKey root A', model: 'SoftHSM v2', manufacturer: 'SoftHSM project', firmware: '2.6', hardware: '1.0',
  flags: 0x40c, pinState: 'ok', loginRequired: true, protectedAuthPath: false, ...patch,
});
const snapshot = (tokens: TokenInfo[]) => ({ modulePath: '/usr/lib/libykcs11.so', tokens, problem: null, scannedAt: '2026-11-22T00:00:00.000Z' });

let container: HTMLDivElement;
const { render } = useDomRoot([useKeysStore], (mounted) => ({ container } = mounted));
const input = (selector: string) => container.querySelector<HTMLInputElement>(selector);

describe('PIN rules', () => {
  it('final try needs the confirmation, locked refuses entry and names the unblock path', async () => {
    expect(pinReady(token(), '123456', false)).toBe(true);
    expect(pinReady(token(), '123', false)).toBe(false);
    expect(pinReady(token({ pinState: 'final-try' }), '123456', false)).toBe(false);
    expect(pinReady(token({ pinState: 'final-try' }), '123456', true)).toBe(true);
    expect(pinReady(token({ pinState: 'locked' }), '123456', true)).toBe(false);

    await render(<PinField token={token({ pinState: 'final-try' })} value="" onChange={() => undefined} confirmFinalTry={false} onConfirmFinalTry={() => undefined} />);
    expect(container.textContent).toContain('One try left');
    expect(container.querySelector('input[type=checkbox]')).not.toBeNull();
    expect(input('input[type=password]')?.getAttribute('autocomplete')).toBe('off');

    await render(<PinField token={token({ pinState: 'locked' })} value="" onChange={() => undefined} confirmFinalTry={false} onConfirmFinalTry={() => undefined} />);
    expect(input('input[type=password]')?.disabled).toBe(true);
    expect(container.textContent).toContain('PUK (ykman piv access unblock-pin)');
  });
});

describe('EnrollWizard', () => {
  it('sends the PIN once with slot 9c / P-256 defaults, clears it, and never stores it', async () => {
    const fake = fakeApi({
      'tokens:generate': () => err('InvalidInput', 'Wrong PIN for token 12345678: the token reports few PIN tries left.', 'PinIncorrectError'),
      'tokens:keys': () => ok([]),
      'keys:inventory': () => ok([]),
      'tokens:list': () => ok(snapshot([token({ pinState: 'count-low' })])),
    });
    setApi(fake.api);
    useKeysStore.setState({ snapshot: snapshot([token()]) });
    await render(<EnrollWizard tokens={[token()]} initialSerial="12345678" onClose={() => undefined} />);
    act(() => button('Next')?.click());
    act(() => button('Next')?.click());
    const pin = input('input[type=password]');
    if (!pin) throw new Error('no PIN field');
    act(() => type(pin, '271828'));
    act(() => button('Generate key')?.click());
    await flush();
    const generate = fake.calls.filter(([channel]) => channel === 'tokens:generate');
    expect(generate).toHaveLength(1);
    expect(generate[0]?.[1]).toMatchObject({ tokenSerial: '12345678', slot: '9c', curve: 'P-256', role: 'root', pin: '271828' });
    expect(container.ownerDocument.body.textContent).toContain('Wrong PIN for token 12345678');
    expect(input('input[type=password]')?.value).toBe('');
    // The live token state arrived (count-low) and the store holds no PIN anywhere.
    expect(document.body.textContent).toContain('few tries are left');
    expect(JSON.stringify(useKeysStore.getState())).not.toContain('271828');
  });
});

describe('EnrollWizard on a YubiKey', () => {
  it('asks for the PIV management key instead of the PIN and sends only that', async () => {
    const fake = fakeApi({ 'tokens:generate': () => err('InvalidInput', 'x', 'NotLoggedInError'), 'tokens:keys': () => ok([]), 'keys:inventory': () => ok([]), 'tokens:list': () => ok(snapshot([token()])) });
    setApi(fake.api);
    const yubikey = token({ manufacturer: 'Yubico (www.yubico.com)' });
    useKeysStore.setState({ snapshot: snapshot([yubikey]) });
    await render(<EnrollWizard tokens={[yubikey]} initialSerial="12345678" onClose={() => undefined} />);
    act(() => button('Next')?.click());
    act(() => button('Next')?.click());
    expect(document.body.textContent).toContain('Step 3 of 4: Management key');
    const field = input('input[type=password]');
    if (!field) throw new Error('no management key field');
    act(() => type(field, '0102030405060708'));
    expect(button('Generate key')?.disabled).toBe(true);
    act(() => type(field, 'a1'.repeat(24)));
    act(() => button('Generate key')?.click());
    await flush();
    const sent = fake.calls.find(([channel]) => channel === 'tokens:generate')?.[1] as Record<string, unknown>;
    expect(sent).toMatchObject({ managementKey: 'a1'.repeat(24) });
    expect(sent).not.toHaveProperty('pin');
  });
});

describe('keys store', () => {
  it('follows tokens:onChanged and loads the keys of each token', async () => {
    const fake = fakeApi({ 'tokens:list': () => ok(snapshot([])), 'keys:inventory': () => ok([]), 'tokens:keys': () => ok([]) });
    setApi(fake.api);
    const stop = useKeysStore.getState().start();
    await flush();
    expect(useKeysStore.getState().snapshot?.tokens).toEqual([]);
    fake.emit('tokens:onChanged', snapshot([token()]));
    await flush();
    expect(useKeysStore.getState().snapshot?.tokens.map((t) => t.serial)).toEqual(['12345678']);
    expect(useKeysStore.getState().keys['12345678']).toEqual({ rows: [], error: null });
    fake.emit('tokens:onProgress', { operation: 'sign', phase: 'touch', tokenSerial: '', message: 'Touch your YubiKey' });
    expect(useKeysStore.getState().progress?.phase).toBe('touch');
    stop();
  });
});

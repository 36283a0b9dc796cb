// @vitest-environment jsdom
import { act } from 'react';
import { describe, expect, it } from 'vitest';

import { err, ok } from '../../../shared/ipc/result';
import { CeremoniesScreen } from '../../../renderer/features/ceremonies/components/ceremonies-screen';
import { FileSignDialog } from '../../../renderer/features/ceremonies/components/file-sign-dialog';
import { NewCeremony } from '../../../renderer/features/ceremonies/components/wizard/new-ceremony';
import { setApi } from '../../../renderer/lib/api';
import { useAppStore } from '../../../renderer/stores/app-store';
import { useCeremoniesStore } from '../../../renderer/stores/ceremonies-store';
import { useKeysStore } from '../../../renderer/stores/keys-store';
import { detail, fileKey, hex, newTufRequest, token, tokenKey, tufRequest } from './ceremony-fixtures';
import { button, flush, type, useDomRoot } from './dom-root';
import { fakeApi } from './fake-api';

const PIN = '246810';
const snapshot = (serials: string[]) => ({ modulePath: '/usr/lib/softhsm/libsofthsm2.so', tokens: serials.map((s) => token(s)), problem: null, scannedAt: '2026-11-22T00:00:00.000Z' });
const { render } = useDomRoot([useKeysStore, useCeremoniesStore, useAppStore]);
const click = async (text: string) => {
  const b = button(text);
  if (b === undefined) throw new Error(`no button "${text}" in: ${document.body.textContent ?? ''}`);
  await act(async () => {
    b.click();
    await Promise.resolve();
  });
  await flush();
};
const labelled = (text: string | RegExp): HTMLInputElement => {
  const label = [...document.querySelectorAll('label')].find((l) => (typeof text === 'string' ? l.textContent?.includes(text) : text.test(l.textContent ?? '')));
  const input = label?.control ?? label?.querySelector('input');
  if (!(input instanceof HTMLInputElement)) throw new Error(`no input labelled ${String(text)}`);
  return input;
};
const check = (el: HTMLInputElement) => act(() => el.click());

describe('NewCeremony', () => {
  it('TUF init: kinds disabled with reasons, keys picked, a key generated on a token, PIN asked before start, sent once, cleared', async () => {
    // What main received, copied on arrival (the wizard empties its own logins array after the call).
    const started: unknown[] = [];
    const fake = fakeApi({
      'keys:pickFile': () => ok({ pickId: 'pick-request-0001', displayPath: '/media/usb/new.request.bundle' }),
      'ceremonies:previewRequest': () => ok(newTufRequest),
      'ceremonies:start': (payload) => {
        started.push(structuredClone(payload));
        return ok(detail());
      },
      'ceremonies:list': () => ok([]),
      'tokens:list': () => ok(snapshot(['A1'])),
      'tokens:keys': () => ok([]),
      'keys:inventory': () => ok([fileKey('b', 'targets', 'Tagging team'), fileKey('c', 'snapshot'), fileKey('e', 'timestamp')]),
    });
    setApi(fake.api);
    useKeysStore.setState({ snapshot: snapshot(['A1']), keys: { A1: { rows: [tokenKey('A1', '01', '7', 'Alice Officer'), tokenKey('A1', '02', 'a', 'Alice Officer')], error: null } }, inventory: [fileKey('b', 'targets', 'Tagging team'), fileKey('c', 'snapshot'), fileKey('e', 'timestamp')] });
    await render(<NewCeremony onCancel={() => undefined} />);
    await click('Choose request bundle…');
    expect(document.body.textContent).toContain('none yet (a new repository)');
    await click('Next');
    expect(document.body.textContent).toContain('Step 2 of 3: Kind of ceremony');
    const rotate = document.querySelector<HTMLInputElement>('input[value="rotate-root"]');
    expect(rotate?.disabled).toBe(true);
    expect(document.querySelector('#kind-rotate-root-help')?.textContent).toBe('Not available: example.com/new has no root yet; initialise it first.');
    check(document.querySelector<HTMLInputElement>('input[value="init"]') as HTMLInputElement);
    await click('Next');
    expect(document.body.textContent).toContain('Step 3 of 3: Initialise a repository');

    // Nothing chosen yet: the proposal is refused with the reasons.
    await click('Create proposal');
    expect(document.querySelector('[data-testid="plan-problems"]')?.textContent).toContain('Choose at least one root key.');
    expect(fake.calls.some(([c]) => c === 'ceremonies:start')).toBe(false);

    // Root: a new key on token A1 (next free CKA_ID 03), targets/snapshot/timestamp key files.
    await click('Generate a new key on a token…');
    expect((document.querySelector('.generate-key input.mono') as HTMLInputElement).value).toBe('03');
    await click('Add key to generate');
    expect(document.body.textContent).toContain('New P-256 key on token A1 (CKA_ID 03)');
    const groups = [...document.querySelectorAll('fieldset.key-picker')];
    const pick = (legend: string, title: string) => {
      const set = groups.find((g) => g.querySelector('legend')?.textContent?.startsWith(legend));
      const label = [...(set?.querySelectorAll('label') ?? [])].find((l) => l.textContent?.includes(title));
      return label?.querySelector('input') as HTMLInputElement;
    };
    check(pick('Targets keys', 'Tagging team'));
    check(pick('Snapshot key', '(snapshot)'));
    check(pick('Timestamp key', '(timestamp)'));
    act(() => type(labelled('root expires on'), '2027-11-22'));
    expect(document.querySelector('[data-testid="expiry-root"]')?.textContent).toMatch(/^2027-11-22T00:00:00Z \(in \d+ days\)/);
    expect(document.body.textContent).toContain('The PIN of token A1 is asked before the proposal is made.');

    await click('Create proposal');
    const dialog = document.querySelector('[role="dialog"]');
    expect(dialog?.textContent).toContain('PIN for token A1');
    expect(dialog?.textContent).toContain('A new P-256 key is generated on it (CKA_ID 03).');
    act(() => type(dialog?.querySelector('input[type=password]') as HTMLInputElement, PIN));
    const start = [...(dialog?.querySelectorAll('button') ?? [])].find((b) => b.textContent === 'Create proposal') as HTMLButtonElement;
    await act(async () => {
      start.click();
      await Promise.resolve();
    });
    await flush();

    expect(started).toHaveLength(1);
    expect(started[0]).toEqual({
      requestPickId: 'pick-request-0001',
      plan: {
        kind: 'init',
        rootKeys: [{ kind: 'token-new', tokenSerial: 'A1', ckaId: '03', curve: 'P-256' }],
        rootThreshold: 1,
        targetsKeys: [{ kind: 'file', keyId: hex('b') }],
        snapshotKeys: [{ kind: 'file', keyId: hex('c') }],
        timestampKeys: [{ kind: 'file', keyId: hex('e') }],
        expires: { root: '2027-11-22T00:00:00Z' },
      },
      logins: [{ tokenSerial: 'A1', pin: PIN }],
    });
    // The ceremony opened; no PIN in any store or in the page.
    expect(useCeremoniesStore.getState().view).toEqual({ kind: 'ceremony', id: 'c-2026-11-22-0001' });
    expect(JSON.stringify(useCeremoniesStore.getState())).not.toContain(PIN);
    expect(JSON.stringify(useKeysStore.getState())).not.toContain(PIN);
    expect(document.querySelector('[role="dialog"]')).toBeNull();
    expect([...document.querySelectorAll('input')].some((i) => i.value === PIN)).toBe(false);
  });

  it('asks the PIN main says it needs (PinNeededError) and retries with it', async () => {
    const started: { logins?: unknown }[] = [];
    const fake = fakeApi({
      'keys:pickFile': () => ok({ pickId: 'pick-request-0002', displayPath: '/media/usb/app.request.bundle' }),
      'ceremonies:previewRequest': () => ok(tufRequest),
      'ceremonies:start': (payload) => (started.push(structuredClone(payload) as { logins?: unknown }) === 1 ? err('InvalidInput', 'The PIN of token B2 is needed before signing.', 'PinNeededError') : ok(detail())),
      'ceremonies:list': () => ok([]),
      'tokens:list': () => ok(snapshot(['A1', 'B2'])),
      'tokens:keys': () => ok([]),
      'keys:inventory': () => ok([]),
    });
    setApi(fake.api);
    useKeysStore.setState({ snapshot: snapshot(['A1', 'B2']), keys: { B2: { rows: [tokenKey('B2', '02', '9', 'Bob Officer')], error: null } }, inventory: [] });
    await render(<NewCeremony onCancel={() => undefined} />);
    await click('Choose request bundle…');
    await click('Next');
    expect(document.querySelector<HTMLInputElement>('input[value="init"]')?.disabled).toBe(true);
    check(document.querySelector<HTMLInputElement>('input[value="rotate-root"]') as HTMLInputElement);
    await click('Next');
    check(labelled(/Token B2.*Bob Officer/));
    await click('Create proposal');
    // TUF + an existing token key: no PIN before start; main asks for B2's, the dialog appears.
    const dialog = document.querySelector('[role="dialog"]');
    expect(dialog?.textContent).toContain('PIN for token B2');
    act(() => type(dialog?.querySelector('input[type=password]') as HTMLInputElement, PIN));
    await act(async () => {
      ([...(dialog?.querySelectorAll('button') ?? [])].find((b) => b.textContent === 'Create proposal') as HTMLButtonElement).click();
      await Promise.resolve();
    });
    await flush();
    const starts = started;
    expect(starts).toHaveLength(2);
    // The wizard's own copy of the PINs is emptied after the call.
    expect(fake.calls.filter(([c]) => c === 'ceremonies:start').map(([, p]) => (p as { logins?: unknown[] }).logins?.length ?? 0)).toEqual([0, 0]);
    expect(starts[0]?.logins).toBeUndefined();
    expect(starts[1]?.logins).toEqual([{ tokenSerial: 'B2', pin: PIN }]);
    expect(JSON.stringify(useCeremoniesStore.getState())).not.toContain(PIN);
  });
});

describe('Ceremony page pieces', () => {
  it('signs with a key file: the passphrase crosses once and is cleared; or the keychain is used', async () => {
    const signed = { signed: [{ role: 'targets', version: 1, keyid: hex('b'), signerLabel: 'Tagging team', verifiedAt: '2026-11-22T06:00:00Z' }], detail: detail() };
    const fake = fakeApi({
      'ceremonies:signWithFile': (payload) => ((payload as { passphrase?: string }).passphrase === 'wrong horse' ? err('InvalidInput', 'Wrong passphrase for key file.', 'WrongPassphraseError') : ok(signed)),
      'ceremonies:get': () => ok(detail()),
      'ceremonies:list': () => ok([]),
    });
    setApi(fake.api);
    const signer = detail().pendingSigners[0]!;
    await render(<FileSignDialog ceremonyId="c-2026-11-22-0001" signer={signer} onClose={() => undefined} />);
    const field = labelled('Passphrase of the key file');
    expect(field.type).toBe('password');
    act(() => type(field, 'wrong horse'));
    await click('Sign');
    expect(document.body.textContent).toContain('Nothing was signed with this key file');
    expect(document.body.textContent).toContain('WrongPassphraseError');
    expect(labelled('Passphrase of the key file').value).toBe('');
    check(labelled('Use the passphrase remembered in the keychain'));
    await click('Sign');
    expect(document.body.textContent).toContain('The key file added 1 verified signature: targets v1.');
    const sent = fake.calls.filter(([c]) => c === 'ceremonies:signWithFile').map(([, p]) => p);
    expect(sent).toEqual([
      { source: 'passphrase', id: 'c-2026-11-22-0001', keyId: hex('b'), passphrase: 'wrong horse' },
      { source: 'keychain', id: 'c-2026-11-22-0001', keyId: hex('b') },
    ]);
    expect(JSON.stringify(useCeremoniesStore.getState())).not.toContain('wrong horse');
  });

  it('pull is disabled air-gapped with the reason, and enabled online', async () => {
    const fake = fakeApi({ 'ceremonies:list': () => ok([]), 'tokens:list': () => ok(snapshot([])), 'keys:inventory': () => ok([]) });
    setApi(fake.api);
    useAppStore.setState({ snapshot: { appVersion: '0.1.0', networkMode: 'offline', platform: 'linux' } });
    await render(<CeremoniesScreen />);
    await flush();
    expect(button('Pull request bundle…')?.disabled).toBe(true);
    expect(document.querySelector('[data-testid="pull-offline-reason"]')?.textContent).toContain('Keyrite runs air-gapped; start it with KEYRITE_NETWORK=online on the online workstation.');
    await act(async () => {
      useAppStore.setState({ snapshot: { appVersion: '0.1.0', networkMode: 'online', platform: 'linux' } });
      await Promise.resolve();
    });
    expect(button('Pull request bundle…')?.disabled).toBe(false);
    expect(document.querySelector('[data-testid="pull-offline-reason"]')).toBeNull();
  });
});

// @vitest-environment jsdom
import { act } from 'react';
import { describe, expect, it } from 'vitest';

import { err, ok } from '../../../shared/ipc/result';
import { RecoverForm } from '../../../renderer/features/ceremonies/components/forms/recover-form';
import { MergePartial } from '../../../renderer/features/ceremonies/components/merge-partial';
import { ResumeButton } from '../../../renderer/features/ceremonies/components/resume-button';
import { LoginDialog } from '../../../renderer/features/ceremonies/components/wizard/login-dialog';
import { initialDrafts, type RecoverDraft } from '../../../renderer/features/ceremonies/components/wizard/plan-drafts';
import { setApi } from '../../../renderer/lib/api';
import { useCeremoniesStore } from '../../../renderer/stores/ceremonies-store';
import { useKeysStore } from '../../../renderer/stores/keys-store';
import { detail, hex, token, tufRequest } from './ceremony-fixtures';
import { button, flush, type, useDomRoot } from './dom-root';
import { fakeApi } from './fake-api';

const PIN = '135790';
const snapshot = (serials: string[]) => ({ modulePath: '/usr/lib/softhsm/libsofthsm2.so', tokens: serials.map((s) => token(s)), problem: null, scannedAt: '2026-11-22T00:00:00.000Z' });
const { render } = useDomRoot([useKeysStore, useCeremoniesStore]);
const clickButton = async (b: HTMLButtonElement | undefined) => {
  if (b === undefined) throw new Error(`button missing in: ${document.body.textContent ?? ''}`);
  await act(async () => {
    b.click();
    await Promise.resolve();
  });
  await flush();
};

describe('ResumeButton', () => {
  it('asks the PIN of the token a resumed step needs, retries with it once, keeps it nowhere', async () => {
    const resumed: unknown[] = [];
    const fake = fakeApi({
      'ceremonies:resume': (payload) => (resumed.push(structuredClone(payload)) === 1 ? err('InvalidInput', 'The PIN of token A1 is needed to finish the interrupted key generation.', 'PinNeededError') : ok(detail())),
      'ceremonies:list': () => ok([]),
      'tokens:list': () => ok(snapshot(['A1'])),
      'tokens:keys': () => ok([]),
    });
    setApi(fake.api);
    useKeysStore.setState({ snapshot: snapshot(['A1']) });
    await render(<ResumeButton id="c-2026-11-22-0001" />);
    await clickButton(button('Resume'));
    const dialog = document.querySelector('[role="dialog"]') as HTMLElement;
    expect(dialog.textContent).toContain('PIN for token A1');
    act(() => type(dialog.querySelector('input[type=password]') as HTMLInputElement, PIN));
    await clickButton(button('Resume', dialog));
    expect(resumed).toEqual([{ id: 'c-2026-11-22-0001' }, { id: 'c-2026-11-22-0001', logins: [{ tokenSerial: 'A1', pin: PIN }] }]);
    expect(document.querySelector('[role="dialog"]')).toBeNull();
    expect(document.body.textContent).not.toContain('Not resumed');
    expect(JSON.stringify(useCeremoniesStore.getState())).not.toContain(PIN);
  });
});

describe('RecoverForm', () => {
  it('shows the impact of the marked keys, then offers replacements for each affected role', async () => {
    const fake = fakeApi({
      'ceremonies:impact': () =>
        ok({
          compromised: [hex('d')], lost: [],
          roles: [{ role: 'alice', delegatedBy: 'targets', keyids: [hex('d')], threshold: 1, compromised: [hex('d')], lost: [], remaining: 0, thresholdHolds: false, attackerCanSign: true }],
          attackerCan: ['alice: 1 of 1 needed keys compromised — can sign targets in alice (paths alice/*)'],
          stranded: ['alice'],
          steps: [{ order: 1, role: 'alice', signers: [hex('b')], signerNames: ['Tagging team'], threshold: 1, oldThreshold: 1, note: 'targets removes the key from alice' }],
        }),
    });
    setApi(fake.api);
    let draft: RecoverDraft = initialDrafts(tufRequest).recover;
    const keys = { options: [], tokens: [], tokenKeys: [] };
    const rerender = () => render(<RecoverForm request={tufRequest} draft={draft} onChange={(d) => { draft = d; void rerender(); }} keys={keys} />);
    await rerender();
    expect(button('Show impact')?.disabled).toBe(true);
    const select = document.querySelector<HTMLSelectElement>(`[data-recover-key="${hex('d')}"] select`) as HTMLSelectElement;
    await act(async () => {
      select.value = 'compromised';
      select.dispatchEvent(new Event('change', { bubbles: true }));
      await Promise.resolve();
    });
    await flush();
    expect(draft.fates).toEqual({ [hex('d')]: 'compromised' });
    await clickButton(button('Show impact'));
    expect(fake.calls.find(([c]) => c === 'ceremonies:impact')?.[1]).toEqual({ requestPickId: 'pick-request-0002', compromised: [hex('d')], lost: [] });
    const impact = document.querySelector('[data-testid="impact"]');
    expect(impact?.textContent).toContain('An attacker can now');
    expect(impact?.querySelector('[data-impact-role="alice"]')?.textContent).toContain('0 / 1');
    expect(impact?.textContent).toContain('signed by Tagging team');
    expect(document.querySelector('[data-replacement-role="alice"]')?.textContent).toContain('Without replacement keys the delegation is removed');
  });
});

describe('MergePartial', () => {
  it('lists exactly the signatures the merged bundle added', async () => {
    const sig = { role: 'targets', version: 1, keyid: hex('b'), signerLabel: 'Tagging team', verifiedAt: '2026-11-22T06:00:00Z' };
    const fake = fakeApi({
      'keys:pickFile': () => ok({ pickId: 'pick-partial-0001', displayPath: '/media/usb/c.partial.bundle' }),
      'ceremonies:mergePartial': () => ok(detail({ signatures: [sig] })),
      'ceremonies:list': () => ok([]),
    });
    setApi(fake.api);
    await render(<MergePartial detail={detail()} />);
    await clickButton(button('Merge partial bundle…'));
    expect(document.querySelector('[data-testid="merge-result"]')?.textContent).toBe(`Merged 1 signaturetargets v1 — Tagging team (${hex('b').slice(0, 12)}…)`);
  });
});

describe('LoginDialog', () => {
  it('one token after another; the final try needs its confirmation; the PINs go to one callback only', async () => {
    useKeysStore.setState({ snapshot: { ...snapshot(['A1']), tokens: [token('A1'), token('B2', { pinState: 'final-try' })] } });
    const done: unknown[] = [];
    await render(<LoginDialog needs={[{ serial: 'A1', reason: 'Root key.' }, { serial: 'B2', reason: 'New key.' }]} action="Create proposal" onCancel={() => undefined} onDone={(l) => done.push(structuredClone(l))} />);
    const dialog = () => document.querySelector('[role="dialog"]') as HTMLElement;
    expect(dialog().textContent).toContain('Token 1 of 2. Root key.');
    act(() => type(dialog().querySelector('input[type=password]') as HTMLInputElement, PIN));
    await clickButton(button('Next token', dialog()));
    expect(dialog().textContent).toContain('PIN for token B2');
    expect(dialog().textContent).toContain('Final PIN try');
    const pin = dialog().querySelector('input[type=password]') as HTMLInputElement;
    expect(pin.value).toBe('');
    act(() => type(pin, '975310'));
    expect(button('Create proposal', dialog())?.disabled).toBe(true);
    act(() => (dialog().querySelector('input[type=checkbox]') as HTMLInputElement).click());
    await clickButton(button('Create proposal', dialog()));
    expect(done).toEqual([[{ tokenSerial: 'A1', pin: PIN }, { tokenSerial: 'B2', pin: '975310', confirmFinalTry: true }]]);
    expect(JSON.stringify(useKeysStore.getState())).not.toContain('975310');
  });
});

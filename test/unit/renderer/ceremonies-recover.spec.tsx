// @vitest-environment jsdom
/**
 * The recover form's review fixes in the GUI: lost tokens by serial (F13) reach the impact query
 * and the PlanInput; the suspect-content choice (F4) per role a compromised key signs becomes
 * dropTargets / acknowledgeTargets; the review shows failed checks above the diff and ROLE_KEYS.
 */
import { act } from 'react';
import { describe, expect, it } from 'vitest';

import { PlanInput } from '../../../shared/ipc/ceremony-plans';
import type { InventoryRow } from '../../../shared/ipc/custody';
import { ok } from '../../../shared/ipc/result';
import { RecoverForm } from '../../../renderer/features/ceremonies/components/forms/recover-form';
import { ReviewPanel } from '../../../renderer/features/ceremonies/components/review-panel';
import { buildPlan } from '../../../renderer/features/ceremonies/components/wizard/plan-build';
import { initialDrafts, type RecoverDraft } from '../../../renderer/features/ceremonies/components/wizard/plan-drafts';
import { suspectRoles } from '../../../renderer/features/ceremonies/components/wizard/recover-suspect';
import { setApi } from '../../../renderer/lib/api';
import { useCeremoniesStore } from '../../../renderer/stores/ceremonies-store';
import { useKeysStore } from '../../../renderer/stores/keys-store';
import { detail, fileKey, hex, tufRequest } from './ceremony-fixtures';
import { button, flush, type as setInput, useDomRoot } from './dom-root';
import { fakeApi } from './fake-api';

const NOW = Date.parse('2026-11-22T06:00:00Z');
const drafts = () => initialDrafts(tufRequest);
/** The root key of tufRequest (hex a) as the inventory records it: on token A1. */
const rootOnA1: InventoryRow = { ...fileKey('a', 'root', 'Alice Officer'), location: { kind: 'token', tokenSerial: 'A1', ckaId: '01', slot: null, tokenLabel: 'officer-A1' } };
const unrelatedOnB2: InventoryRow = { ...fileKey('9', 'targets'), location: { kind: 'token', tokenSerial: 'B2', ckaId: '01', slot: null, tokenLabel: null } };

describe('recover PlanInput from the form draft', () => {
  it('a lost token alone is a valid recover: lostTokens sent (trimmed, once), no key IDs needed', () => {
    const d = drafts();
    d.recover = { ...d.recover, lostTokens: [' A1 ', 'A1'] };
    const built = buildPlan('recover', d, tufRequest, NOW);
    expect(built).toEqual({ ok: true, plan: { kind: 'recover', compromised: [], lostTokens: ['A1'] } });
    expect(PlanInput.safeParse(built.ok ? built.plan : null).success).toBe(true);
  });

  it('suspect roles are the targets-like roles a COMPROMISED key serves; each choice becomes dropTargets or acknowledgeTargets', () => {
    const fates: RecoverDraft['fates'] = { [hex('a')]: 'compromised', [hex('b')]: 'compromised', [hex('d')]: 'compromised' };
    expect(suspectRoles(tufRequest, fates)).toEqual(['targets', 'alice']);
    expect(suspectRoles(tufRequest, { [hex('b')]: 'lost' })).toEqual([]);
    const d = drafts();
    d.recover = { ...d.recover, fates, suspect: { targets: 'drop', alice: 'keep' } };
    expect(buildPlan('recover', d, tufRequest, NOW)).toEqual({
      ok: true,
      plan: { kind: 'recover', compromised: [hex('a'), hex('b'), hex('d')], dropTargets: { targets: 'all' }, acknowledgeTargets: ['alice'] },
    });
  });

  it('a choice left over for a role no longer suspect (its key un-marked) is not sent', () => {
    const d = drafts();
    d.recover = { ...d.recover, fates: { [hex('d')]: 'compromised' }, suspect: { targets: 'drop', alice: 'drop' } };
    expect(buildPlan('recover', d, tufRequest, NOW)).toEqual({ ok: true, plan: { kind: 'recover', compromised: [hex('d')], dropTargets: { alice: 'all' } } });
  });
});

const { render } = useDomRoot([useKeysStore, useCeremoniesStore]);
const click = async (el: HTMLElement | null | undefined) => {
  if (el === null || el === undefined) throw new Error(`element missing in: ${document.body.textContent ?? ''}`);
  await act(async () => {
    el.click();
    await Promise.resolve();
  });
  await flush();
};
const type = async (el: HTMLInputElement, value: string) => {
  await act(async () => {
    setInput(el, value);
    await Promise.resolve();
  });
};

describe('RecoverForm: lost tokens and suspect targets', () => {
  it('offers the inventory tokens (with the repository keys on them) and typed serials; the impact query and the plan carry lostTokens', async () => {
    const impact = { compromised: [], lost: [hex('a')], roles: [], attackerCan: [], stranded: ['root'], steps: [] };
    const fake = fakeApi({ 'ceremonies:impact': () => ok(impact) });
    setApi(fake.api);
    useKeysStore.setState({ inventory: [rootOnA1, unrelatedOnB2] });
    let draft: RecoverDraft = drafts().recover;
    const keys = { options: [], tokens: [], tokenKeys: [] };
    const rerender = () => render(<RecoverForm request={tufRequest} draft={draft} onChange={(d) => { draft = d; void rerender(); }} keys={keys} />);
    await rerender();
    const picker = document.querySelector('[data-testid="lost-tokens"]') as HTMLElement;
    expect(picker.querySelector('[data-lost-token="A1"]')?.textContent).toContain('1 key of this repository');
    expect(picker.querySelector('[data-lost-token="B2"]')?.textContent).toContain('no key of this repository known on it');
    expect(button('Show impact')?.disabled).toBe(true);

    await click(picker.querySelector<HTMLInputElement>('[data-lost-token="A1"] input'));
    expect(draft.lostTokens).toEqual(['A1']);
    await type(picker.querySelector('input[aria-label="Lost token serial"]') as HTMLInputElement, ' 0042 ');
    await click(button('Add lost token'));
    expect(draft.lostTokens).toEqual(['A1', '0042']);
    expect(document.querySelector('[data-lost-token="0042"]')?.textContent).toContain('typed');

    await click(button('Show impact'));
    expect(fake.calls.find(([c]) => c === 'ceremonies:impact')?.[1]).toEqual({ requestPickId: tufRequest.pickId, compromised: [], lost: [], lostTokens: ['A1', '0042'] });
    expect(document.querySelector('[data-testid="impact"]')).not.toBeNull();
    // No compromised key: nothing suspect to decide.
    expect(document.querySelector('[data-testid="suspect-content"]')).toBeNull();

    const d = drafts();
    d.recover = draft;
    expect(buildPlan('recover', d, tufRequest, NOW)).toEqual({ ok: true, plan: { kind: 'recover', compromised: [], lostTokens: ['A1', '0042'] } });
  });

  it('a compromised targets key asks, before start, to drop or keep the suspect targets of targets', async () => {
    setApi(fakeApi({}).api);
    let draft: RecoverDraft = { ...drafts().recover, fates: { [hex('b')]: 'compromised' } };
    const keys = { options: [], tokens: [], tokenKeys: [] };
    const rerender = () => render(<RecoverForm request={tufRequest} draft={draft} onChange={(d) => { draft = d; void rerender(); }} keys={keys} />);
    await rerender();
    const group = document.querySelector('[data-suspect-role="targets"]') as HTMLElement;
    expect(document.querySelectorAll('[data-suspect-role]')).toHaveLength(1);
    const radio = (label: string) => [...group.querySelectorAll('label')].find((l) => l.textContent === label)?.querySelector('input');
    expect(radio('Not decided (blocks)')?.checked).toBe(true);
    await click(radio('Drop suspect targets'));
    expect(draft.suspect).toEqual({ targets: 'drop' });
    const d = drafts();
    d.recover = draft;
    expect(buildPlan('recover', d, tufRequest, NOW)).toEqual({ ok: true, plan: { kind: 'recover', compromised: [hex('b')], dropTargets: { targets: 'all' } } });
    await click(radio('I checked them; keep'));
    d.recover = draft;
    expect(buildPlan('recover', d, tufRequest, NOW)).toEqual({ ok: true, plan: { kind: 'recover', compromised: [hex('b')], acknowledgeTargets: ['targets'] } });
  });
});

describe('ReviewPanel: warnings above the diff', () => {
  it('shows failed checks as alerts before "What changes", the GUI way out of a blocking suspect-content check, and every ROLE_KEYS line', async () => {
    const recover = detail({
      summary: { ...detail().summary, kind: 'recover' },
      diff: [{ role: 'root', kind: 'keys', summary: 'targets key replaced', before: null, after: null }],
      checks: [
        { code: 'ROOT_VERSION_NOT_NEXT', severity: 'blocking', passed: true, message: 'root version 2 follows 1', role: 'root' },
        { code: 'REQUEST_FIRST_USE', severity: 'warning', passed: false, message: 'no trusted root here: root v1 sha256 abc…', role: 'root' },
        { code: 'KEY_UNKNOWN_HERE', severity: 'warning', passed: false, message: `targets key ${hex('b', 16)} is unknown to this workstation`, role: 'targets' },
        { code: 'RESIGNS_COMPROMISED_CONTENT', severity: 'blocking', passed: false, message: 'targets: 2 suspect targets — drop them (--drop-targets targets) or acknowledge them', role: 'targets' },
        { code: 'ROLE_KEYS', severity: 'info', passed: true, message: `root v2 root keys (threshold 1 of 1): ${hex('a', 16)} SPKI sha256 ${hex('1')}`, role: 'root' },
        { code: 'ROLE_KEYS', severity: 'info', passed: true, message: `root v2 targets keys (threshold 1 of 1): ${hex('f', 16)} SPKI sha256 ${hex('2')}`, role: 'root' },
      ],
    });
    await render(<ReviewPanel detail={recover} />);
    const alerts = document.querySelector('[data-testid="review-alerts"]') as HTMLElement;
    const diffTitle = document.getElementById('diff-title') as HTMLElement;
    expect(alerts.compareDocumentPosition(diffTitle) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
    // Blocking first, then the warnings; passed checks are not alerts.
    expect([...alerts.querySelectorAll('[data-alert]')].map((a) => a.getAttribute('data-alert'))).toEqual(['RESIGNS_COMPROMISED_CONTENT', 'REQUEST_FIRST_USE', 'KEY_UNKNOWN_HERE']);
    expect(alerts.querySelector('[data-alert="REQUEST_FIRST_USE"]')?.textContent).toContain('First use');
    expect(alerts.querySelector('[data-testid="suspect-hint"]')?.textContent).toContain('"Drop suspect targets"');
    const roleKeys = [...document.querySelectorAll('[data-testid="role-keys"] li')].map((li) => li.textContent);
    expect(roleKeys).toEqual([expect.stringContaining(`SPKI sha256 ${hex('1')}`), expect.stringContaining(`SPKI sha256 ${hex('2')}`)]);
  });

  it('no alerts section when every check passed and no ROLE_KEYS', async () => {
    await render(<ReviewPanel detail={detail({ checks: [{ code: 'ROOT_VERSION_NOT_NEXT', severity: 'blocking', passed: true, message: 'ok', role: 'root' }] })} />);
    expect(document.querySelector('[data-testid="review-alerts"]')).toBeNull();
  });
});

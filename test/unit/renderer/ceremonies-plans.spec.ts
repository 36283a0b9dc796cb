import { describe, expect, it } from 'vitest';

import { keyOptions, nextFreeCkaId } from '../../../renderer/features/ceremonies/components/wizard/key-options';
import { kindUnavailable, KINDS } from '../../../renderer/features/ceremonies/components/wizard/kinds';
import { loginsNeeded, pinNeededSerial } from '../../../renderer/features/ceremonies/components/wizard/logins';
import { buildPlan } from '../../../renderer/features/ceremonies/components/wizard/plan-build';
import { initialDrafts } from '../../../renderer/features/ceremonies/components/wizard/plan-drafts';
import { fileKey, hex, newTufRequest, notaryRequest, tokenKey, tufRequest } from './ceremony-fixtures';

const NOW = Date.parse('2026-11-22T06:00:00Z');
const problems = (b: ReturnType<typeof buildPlan>): string[] => (b.ok ? [] : b.problems);

describe('kinds a request allows', () => {
  it('init only without a root; every other kind only with one; remove-signer needs a signer', () => {
    const onNew = Object.fromEntries(KINDS.map((k) => [k, kindUnavailable(k, newTufRequest)]));
    expect(onNew['init']).toBeNull();
    expect(onNew['rotate-root']).toBe('example.com/new has no root yet; initialise it first.');
    const onExisting = Object.fromEntries(KINDS.map((k) => [k, kindUnavailable(k, tufRequest)]));
    expect(onExisting['init']).toBe('example.com/app already has a root (version 1); rotate it instead.');
    expect(KINDS.filter((k) => k !== 'init').every((k) => onExisting[k] === null)).toBe(true);
    // Notary's targets/releases is not a signer: with only it, nothing can be removed.
    const releasesOnly = { ...notaryRequest, roles: notaryRequest.roles.filter((r) => r.role !== 'targets/alice') };
    expect(kindUnavailable('remove-signer', releasesOnly)).toBe('The repository has no signer (delegation) to remove.');
  });
});

describe('plan forms → PlanInput', () => {
  it('init (TUF): a root key generated on a token, a key-file targets key, online snapshot/timestamp, absolute expiries', () => {
    const drafts = initialDrafts(newTufRequest);
    drafts.init = {
      ...drafts.init,
      rootKeys: [{ kind: 'token-new', tokenSerial: 'A1', ckaId: '03', curve: 'P-256' }],
      targetsKeys: [{ kind: 'file', keyId: hex('b') }],
      snapshotKeys: [{ kind: 'file', keyId: hex('c') }],
      timestampKeys: [{ kind: 'file', keyId: hex('e') }],
      expires: { root: '2027-11-22', targets: '2027-05-22', snapshot: '2020-01-01' },
    };
    const built = buildPlan('init', drafts, newTufRequest, NOW);
    // snapshot is not signed offline here, so its (past) date is not part of the plan.
    expect(built).toEqual({
      ok: true,
      plan: {
        kind: 'init',
        rootKeys: [{ kind: 'token-new', tokenSerial: 'A1', ckaId: '03', curve: 'P-256' }],
        rootThreshold: 1,
        targetsKeys: [{ kind: 'file', keyId: hex('b') }],
        snapshotKeys: [{ kind: 'file', keyId: hex('c') }],
        timestampKeys: [{ kind: 'file', keyId: hex('e') }],
        expires: { root: '2027-11-22T00:00:00Z', targets: '2027-05-22T00:00:00Z' },
      },
    });
    expect(loginsNeeded(built.ok ? built.plan : (undefined as never), 'tuf-1.0')).toEqual([{ serial: 'A1', reason: 'A new P-256 key is generated on it (CKA_ID 03).' }]);
  });

  it('init validation: missing keys, threshold above the key count, a past expiry', () => {
    const drafts = initialDrafts(newTufRequest);
    expect(problems(buildPlan('init', drafts, newTufRequest, NOW))).toEqual(['Choose at least one root key.', 'Choose a targets key.', 'Choose a snapshot key.', 'Choose a timestamp key.']);
    drafts.init = { ...drafts.init, rootKeys: [{ kind: 'token', tokenSerial: 'A1', ckaId: '02' }], rootThreshold: 2, targetsKeys: [{ kind: 'file', keyId: hex('b') }], snapshotKeys: [{ kind: 'file', keyId: hex('c') }], timestampKeys: [{ kind: 'file', keyId: hex('e') }], expires: { root: '2025-01-01' } };
    expect(problems(buildPlan('init', drafts, newTufRequest, NOW))).toEqual(['The root threshold (2) is more than its 1 key.', 'The root expiry 2025-01-01T00:00:00Z is not in the future.']);
  });

  it('rotate-root: add, remove, threshold; refuses a plan that changes nothing', () => {
    const drafts = initialDrafts(tufRequest);
    expect(problems(buildPlan('rotate-root', drafts, tufRequest, NOW))).toEqual(['Nothing changes: add or remove a key, or change the threshold or expiry.']);
    drafts['rotate-root'] = { ...drafts['rotate-root'], add: [{ kind: 'token', tokenSerial: 'B2', ckaId: '02' }], threshold: 2 };
    expect(buildPlan('rotate-root', drafts, tufRequest, NOW)).toEqual({ ok: true, plan: { kind: 'rotate-root', add: [{ kind: 'token', tokenSerial: 'B2', ckaId: '02' }], remove: [], threshold: 2 } });
    drafts['rotate-root'] = { ...drafts['rotate-root'], remove: [hex('a')], threshold: 2 };
    expect(problems(buildPlan('rotate-root', drafts, tufRequest, NOW))).toEqual(['The root threshold (2) is more than its 1 key.']);
    // Notary: a root key on a token needs its PIN (the certificate), TUF does not.
    const plan = { kind: 'rotate-root' as const, add: [{ kind: 'token' as const, tokenSerial: 'B2', ckaId: '02' }], remove: [], threshold: 1 };
    expect(loginsNeeded(plan, 'notary-v1').map((n) => n.serial)).toEqual(['B2']);
    expect(loginsNeeded(plan, 'tuf-1.0')).toEqual([]);
  });

  it('rotate-key: Notary server-managed snapshot sends no keys; TUF needs new keys', () => {
    const drafts = initialDrafts(notaryRequest);
    drafts['rotate-key'] = { ...drafts['rotate-key'], role: 'snapshot', serverManaged: true };
    expect(buildPlan('rotate-key', drafts, notaryRequest, NOW)).toEqual({ ok: true, plan: { kind: 'rotate-key', role: 'snapshot', serverManaged: true } });
    drafts['rotate-key'] = { ...drafts['rotate-key'], role: 'targets', serverManaged: false };
    expect(problems(buildPlan('rotate-key', drafts, tufRequest, NOW))).toEqual(['Choose the new targets key.']);
  });

  it('add-signer: TUF paths/terminating/parent; Notary reserves "releases"; schema rules on the name', () => {
    const drafts = initialDrafts(tufRequest);
    drafts['add-signer'] = { ...drafts['add-signer'], name: 'bob', keys: [{ kind: 'keyid', keyid: hex('d') }], paths: 'bob/*\n\n  releases/bob-* ', terminating: true };
    expect(buildPlan('add-signer', drafts, tufRequest, NOW)).toEqual({ ok: true, plan: { kind: 'add-signer', name: 'bob', keys: [{ kind: 'keyid', keyid: hex('d') }], paths: ['bob/*', 'releases/bob-*'], terminating: true } });
    drafts['add-signer'] = { ...drafts['add-signer'], name: 'releases' };
    expect(problems(buildPlan('add-signer', drafts, notaryRequest, NOW))).toEqual(['"releases" is reserved: name the signer; its keys join targets/releases too.']);
    drafts['add-signer'] = { ...drafts['add-signer'], name: 'bob smith' };
    expect(problems(buildPlan('add-signer', drafts, tufRequest, NOW))).toEqual(['name: a signer name (letters, digits, _ . - /)']);
    drafts['add-signer'] = { ...drafts['add-signer'], name: 'alice' };
    expect(problems(buildPlan('add-signer', drafts, tufRequest, NOW))).toEqual(['alice already exists; choose another name (or rotate its keys with recover).']);
  });

  it('remove-signer, recover, refresh, sign-targets', () => {
    const drafts = initialDrafts(notaryRequest);
    drafts['remove-signer'] = { role: 'targets/alice' };
    expect(buildPlan('remove-signer', drafts, notaryRequest, NOW)).toEqual({ ok: true, plan: { kind: 'remove-signer', name: 'alice' } });

    expect(problems(buildPlan('recover', drafts, tufRequest, NOW))).toEqual(['Mark at least one key as compromised or lost, or name a lost token.']);
    drafts.recover = { ...drafts.recover, fates: { [hex('d')]: 'compromised', [hex('b')]: 'lost' }, replacements: { alice: [{ kind: 'file', keyId: hex('f') }], targets: [] }, thresholds: { alice: 1 } };
    expect(buildPlan('recover', drafts, tufRequest, NOW)).toEqual({
      ok: true,
      plan: { kind: 'recover', compromised: [hex('d')], lost: [hex('b')], replacements: { alice: [{ kind: 'file', keyId: hex('f') }] }, thresholds: { alice: 1 } },
    });

    // refresh preselects the roles due.
    const tufDrafts = initialDrafts(tufRequest);
    expect(tufDrafts.refresh.roles).toEqual(['targets']);
    expect(buildPlan('refresh', tufDrafts, tufRequest, NOW)).toEqual({ ok: true, plan: { kind: 'refresh', roles: ['targets'] } });

    expect(buildPlan('sign-targets', tufDrafts, tufRequest, NOW)).toEqual({ ok: true, plan: { kind: 'sign-targets' } });
    tufDrafts['sign-targets'] = { changes: [{ action: 'add', role: 'alice', path: ' alice/app-1.0.tgz ', filePickId: '' }, { action: 'remove', role: 'targets', path: 'old.tgz' }] };
    expect(problems(buildPlan('sign-targets', tufDrafts, tufRequest, NOW))).toEqual(['Change 1: choose the file to add.']);
    tufDrafts['sign-targets'] = { changes: [{ action: 'add', role: 'alice', path: ' alice/app-1.0.tgz ', filePickId: 'pick-file-00001', fileName: '/tmp/app.tgz' }] };
    expect(buildPlan('sign-targets', tufDrafts, tufRequest, NOW)).toEqual({ ok: true, plan: { kind: 'sign-targets', changes: [{ action: 'add', role: 'alice', path: 'alice/app-1.0.tgz', filePickId: 'pick-file-00001' }] } });
  });
});

describe('key sources and PIN errors', () => {
  it('lists token keys, key files and repository keys once each, with holder, serial and algorithm', () => {
    const options = keyOptions({ tokenKeys: [tokenKey('A1', '02', 'a', 'Alice Officer')], inventory: [fileKey('b', 'targets', 'Tagging team')], request: tufRequest });
    expect(options.map((o) => [o.group, o.title])).toEqual([
      ['token', 'Token A1, CKA_ID 02 — Alice Officer'],
      ['file', 'Key file — Tagging team (targets)'],
      ['repository', 'Repository key — Alice Dev'],
    ]);
    expect(options[0]?.sub).toContain('ECDSA P-256');
    expect(nextFreeCkaId([tokenKey('A1', '01', 'a', 'x'), tokenKey('A1', '02', 'b', 'y')], 'A1', [{ kind: 'token-new', tokenSerial: 'A1', ckaId: '03' }])).toBe('04');
  });

  it('reads the serial main asks a PIN for', () => {
    expect(pinNeededSerial({ code: 'InvalidInput', name: 'PinNeededError', message: 'The PIN of token 0x5f3a21 is needed before signing.' })).toBe('0x5f3a21');
    expect(pinNeededSerial({ code: 'InvalidInput', name: 'PinIncorrectError', message: 'Wrong PIN for token 1.' })).toBeNull();
  });
});

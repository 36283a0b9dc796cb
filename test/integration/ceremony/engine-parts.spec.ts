/** Fast checks of the engine's own parts: key specs, plan flags, the journal fold and the workspace ledger. */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { JournalEntry } from '../../../shared/ceremony/types';
import { planFromFlags } from '../../../electron/cli/ceremony-plan-flags';
import { EquivocationError, KeySpecError, parseKeySpec, planKeySlots, SignedLedger } from '../../../electron/core/ceremonies';
import { foldJournal } from '../../../electron/core/ceremonies/ceremony-state';

const NOW = new Date('2026-11-22T10:00:00Z');

describe('key specs and plan flags', () => {
  it('reads token, token-new, file and keyid specs and refuses anything else', () => {
    expect(parseKeySpec('token:12ab:02')).toEqual({ kind: 'token', tokenSerial: '12ab', ckaId: '02' });
    expect(parseKeySpec('token-new:12ab:0A:P-384')).toEqual({ kind: 'token-generate', tokenSerial: '12ab', ckaId: '0a', curve: 'P-384' });
    expect(parseKeySpec('file:ABCDEF0')).toEqual({ kind: 'file', keyId: 'abcdef0' });
    for (const bad of ['token:12ab', 'file:', 'pkcs11:x', 'keyid:a:b']) expect(() => parseKeySpec(bad)).toThrow(KeySpecError);
  });

  it('builds plans with slots per role and rejects unusable flags with a usage message', () => {
    const plan = planFromFlags('init', { rootKey: ['token:1:01', 'token:2:01'], threshold: '2', targetsKey: ['file:abcdef0'], expires: ['root=365d', 'targets=2027-06-01T00:00:00Z'] }, NOW);
    expect(plan).toMatchObject({ kind: 'init', rootThreshold: 2, expires: { root: '2027-11-22T10:00:00Z', targets: '2027-06-01T00:00:00Z' } });
    expect(planKeySlots(plan).map((s) => `${s.slot}:${s.role}`)).toEqual(['rootKeys.0:root', 'rootKeys.1:root', 'targetsKeys.0:targets']);
    expect(() => planFromFlags('init', { rootKey: ['token:1:01'], targetsKey: ['file:abcdef0'], threshold: '0' }, NOW)).toThrow(/--threshold must be a positive integer/);
    expect(() => planFromFlags('init', { rootKey: ['token:1:01'] }, NOW)).toThrow(/needs a --targets-key/);
    expect(() => planFromFlags('rotate-key', { role: ['root'] }, NOW)).toThrow(/--role targets\|snapshot\|timestamp/);
    expect(() => planFromFlags('refresh', { expires: ['targets=2027-13-01T00:00:00Z'] }, NOW)).toThrow(/--expires takes/);
    expect(() => planFromFlags('recover', {}, NOW)).toThrow(/--compromised/);
    // rotate-root carries its root expiry per role, as every kind does (it was once a bare string the engine ignored).
    expect(planFromFlags('rotate-root', { threshold: '1', expires: ['root=400d'] }, NOW)).toMatchObject({ kind: 'rotate-root', expires: { root: '2027-12-27T10:00:00Z' } });
    expect(() => planFromFlags('rotate-root', { expires: ['targets=90d'] }, NOW)).toThrow(/rotate-root re-signs only root/);
  });
});

describe('journal fold (state is re-derived from the journal)', () => {
  const entry = (seq: number, type: JournalEntry['type'], data: JournalEntry['data']): JournalEntry => ({ seq, at: NOW.toISOString(), type, data, prev: '0'.repeat(64), hash: '0'.repeat(64) });
  const plan = entry(1, 'plan', { ceremonyId: 'c1', kind: 'init', dialect: 'tuf-1.0', repository: 'r', createdAt: NOW.toISOString(), nonce: 'n', requestSha256: 'h', plan: { kind: 'refresh' }, imported: false });
  const sig = { role: 'root', version: 1, payloadSha256: 'p', keyid: 'k1', sig: 'aa', method: null, signerLabel: 'x', verifiedAt: NOW.toISOString() };

  it('tracks interrupted acts and intents, counts a re-made signature once, and the phase', () => {
    const state = foldJournal([
      plan,
      entry(2, 'key-generated', { phase: 'intent', slot: 'rootKeys.0' }),
      entry(3, 'proposal', { proposal: { ceremonyId: 'c1' } }),
      entry(4, 'note', { event: 'confirmed' }),
      entry(5, 'sign-intent', { role: 'root', version: 1, payloadSha256: 'p', keyid: 'k1' }),
      entry(6, 'sign-intent', { role: 'root', version: 1, payloadSha256: 'p', keyid: 'k2' }),
      entry(7, 'signature', { signature: sig }),
      entry(8, 'partial-merged', { signatures: [sig] }),
    ]);
    expect(state.pendingKeyActs).toEqual(['rootKeys.0']);
    expect(state.openIntents.map((i) => i.keyid)).toEqual(['k2']);
    expect(state.signatures).toHaveLength(1);
    expect(state.phase).toBe('signing');
  });

  it('refuses a journal that does not start with its plan', () => {
    expect(() => foldJournal([entry(1, 'proposal', {})])).toThrow(/does not start with a plan/);
  });
});

describe('workspace equivocation ledger', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'keyrite-ledger-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('accepts the same payload again and refuses other bytes for the same role and version (#44)', async () => {
    const ledger = SignedLedger.forWorkspace(dir);
    const repo = { dialect: 'tuf-1.0', name: 'r' };
    await ledger.claim(repo, 'targets/../x', 3, 'a'.repeat(64));
    await ledger.claim(repo, 'targets/../x', 3, 'a'.repeat(64));
    await expect(ledger.claim(repo, 'targets/../x', 3, 'b'.repeat(64))).rejects.toThrow(EquivocationError);
    await ledger.claim(repo, 'targets/../x', 4, 'b'.repeat(64));
    await ledger.claim({ dialect: 'tuf-1.0', name: 'other' }, 'targets/../x', 3, 'b'.repeat(64));
  });
});

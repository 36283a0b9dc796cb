import { describe, expect, it } from 'vitest';

import { checkCeremonyClock, ClockCheckError, finalize, FinalizeError, propose } from '../../../shared/ceremony';
import { emptyState, env, makeKey, NOW, signWith } from './helpers';

const DAY = 86_400_000;

function clockError(fn: () => unknown): ClockCheckError {
  try {
    fn();
  } catch (error) {
    if (error instanceof ClockCheckError) return error;
    throw error;
  }
  throw new Error('expected a ClockCheckError');
}

describe('clock check at ceremony start (review F3a, catalogue #19/#20)', () => {
  const created = '2026-11-22T02:00:00Z';

  it('a clock earlier than the request creation time is refused, naming both times and the remedy', () => {
    const e = clockError(() => checkCeremonyClock({ now: new Date('2026-11-21T02:00:00Z'), source: 'system', system: new Date('2026-11-21T02:00:00Z') }, { requestCreatedAt: created, lastJournalAt: null }));
    expect(e.code).toBe('CLOCK_BEHIND');
    expect(e.message).toBe(
      'clock check: the system clock (2026-11-21T02:00:00Z) is earlier than the request was created (pulled) at 2026-11-22T02:00:00Z; every expiry would be computed from a wrong time. Nothing was started: set the system clock, or confirm the correct current time with --now YYYY-MM-DDTHH:MM:SSZ.',
    );
  });

  it('a clock earlier than the newest journal entry of the workspace is refused, also for an operator reference time', () => {
    const e = clockError(() =>
      checkCeremonyClock({ now: new Date('2026-11-23T00:00:00Z'), source: 'operator', system: new Date('2026-11-23T00:00:00Z') }, { requestCreatedAt: created, lastJournalAt: '2026-11-24T10:00:00.000Z' }),
    );
    expect(e.code).toBe('CLOCK_BEHIND');
    expect(e.message).toMatch(/the reference time you confirmed \(--now 2026-11-23T00:00:00Z\) is earlier than the newest journal entry of this workspace is from 2026-11-24T10:00:00.000Z.*give the correct current time with --now/);
  });

  it('a clock years ahead is refused (#20)', () => {
    const e = clockError(() => checkCeremonyClock({ now: new Date('2029-01-01T00:00:00Z'), source: 'system', system: new Date('2029-01-01T00:00:00Z') }, { requestCreatedAt: created, lastJournalAt: null }));
    expect(e.code).toBe('CLOCK_AHEAD');
    expect(e.message).toMatch(/is 770 days after the request was created.*more than the 366 days allowed/);
  });

  it('a sane clock passes and the record says which time was used and against what it was checked', () => {
    const rec = checkCeremonyClock({ now: new Date('2026-11-22T10:00:00Z'), source: 'operator', system: new Date('2026-11-22T09:58:12.345Z') }, { requestCreatedAt: created, lastJournalAt: '2026-11-22T03:00:00.000Z' });
    expect(rec).toEqual({ at: '2026-11-22T10:00:00Z', source: 'operator', system: '2026-11-22T09:58:12Z', floor: '2026-11-22T03:00:00.000Z', floorFrom: 'journal' });
    // two machines' clocks differ a little: a few minutes behind the pull is tolerated
    expect(() => checkCeremonyClock({ now: new Date('2026-11-22T01:58:00Z'), source: 'system', system: new Date() }, { requestCreatedAt: created, lastJournalAt: null })).not.toThrow();
  });
});

describe('finalize re-checks every expiry against the current clock (review F9)', () => {
  async function offlineInit(): Promise<{ proposal: ReturnType<typeof propose>; sigs: ReturnType<typeof signWith> }> {
    const keys = [await makeKey('tuf-1.0', 'ed25519'), await makeKey('tuf-1.0', 'ed25519'), await makeKey('tuf-1.0', 'ed25519'), await makeKey('tuf-1.0', 'ed25519')];
    const [r, tk, sn, ts] = keys as [typeof keys[0], typeof keys[0], typeof keys[0], typeof keys[0]];
    const proposal = propose(emptyState('tuf-1.0'), { kind: 'init', rootKeys: [r.key], rootThreshold: 1, targetsKeys: [tk.key], snapshotKeys: [sn.key], timestampKeys: [ts.key], offlineRoles: ['snapshot', 'timestamp'] }, env);
    return { proposal, sigs: signWith(proposal, keys) };
  }

  it('an offline timestamp that expired between proposal and finalize is refused with EXPIRY_IN_PAST', async () => {
    const { proposal, sigs } = await offlineInit();
    expect(proposal.roles.find((r) => r.role === 'timestamp')!.expires).toBe('2026-11-23T02:00:00Z');
    let error: unknown;
    try {
      finalize(proposal, sigs, { ...env, now: new Date(NOW.getTime() + 3 * DAY) });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(FinalizeError);
    expect((error as FinalizeError).code).toBe('EXPIRY_IN_PAST');
    expect((error as FinalizeError).message).toBe(
      'timestamp v1 expires 2026-11-23T02:00:00Z, which is already past at the current clock 2026-11-25T02:00:00Z; nothing was exported — start a new ceremony from a fresh request (the expiry is fixed when it starts)',
    );
  });

  it('one that is about to expire (below the policy minimum) is refused with EXPIRY_TOO_SOON; in time it passes', async () => {
    const { proposal, sigs } = await offlineInit();
    let error: unknown;
    try {
      finalize(proposal, sigs, { ...env, now: new Date(NOW.getTime() + 20 * 3_600_000) });
    } catch (e) {
      error = e;
    }
    expect((error as FinalizeError).code).toBe('EXPIRY_TOO_SOON');
    expect((error as FinalizeError).message).toMatch(/^timestamp v1 expires 2026-11-23T02:00:00Z, only 4 h after the current clock 2026-11-22T22:00:00Z \(policy minimum 0.25 days\)/);
    expect(Object.keys(finalize(proposal, sigs, { ...env, now: new Date(NOW.getTime() + 3_600_000) }).files).sort()).toEqual(['root', 'snapshot', 'targets', 'timestamp']);
  });
});

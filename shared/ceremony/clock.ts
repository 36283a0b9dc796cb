/**
 * The ceremony clock check (security.md §3 "Clock check against an operator-entered reference time
 * and the last journal time"; §6 #19, #20; review F3a). It runs where every expiry is fixed: at the
 * start of a ceremony. The clock must not be earlier than the request's creation (pull) time nor
 * than the newest journal entry of this workspace, and not absurdly far ahead of them. The operator
 * confirms a reference time with `--now`; what was used is recorded in the plan entry.
 */
import { KeyriteError } from '../errors';
import { DAY_MS } from './policy';

/** The clock could not be trusted to fix expiries: fix it, or confirm a reference time. */
export class ClockCheckError extends KeyriteError {
  get code(): string {
    return typeof this.detail['code'] === 'string' ? this.detail['code'] : 'CLOCK_CHECK_FAILED';
  }
}

/** How far ahead of the newest known time the clock may be (catalogue #20: "years ahead"). */
export const MAX_CLOCK_AHEAD_DAYS = 366;
/** Clocks of two machines (online pull vs offline workstation) differ a little. */
export const CLOCK_TOLERANCE_MS = 5 * 60 * 1000;

export interface ClockReading {
  /** The ceremony clock: the system clock, or the operator's reference time (`--now`). */
  now: Date;
  source: 'system' | 'operator';
  /** The system clock at the same moment (recorded next to an operator's reference time). */
  system: Date;
}

export interface ClockFacts {
  /** RepoState.createdAt: when the online side pulled the request. */
  requestCreatedAt: string;
  /** Newest journal entry time in this workspace (any ceremony), null when none. */
  lastJournalAt: string | null;
  maxAheadDays?: number;
}

/** Journalled in the plan entry. */
export interface ClockRecord {
  /** The time every expiry of this ceremony is computed from. */
  at: string;
  source: 'system' | 'operator';
  system: string;
  /** The newest earlier event the clock was checked against, and what it was. */
  floor: string | null;
  floorFrom: 'request' | 'journal' | null;
}

function iso(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function checkCeremonyClock(reading: ClockReading, facts: ClockFacts): ClockRecord {
  const candidates: { at: number; from: 'request' | 'journal'; text: string }[] = [];
  const created = Date.parse(facts.requestCreatedAt);
  if (Number.isNaN(created)) throw new ClockCheckError(`the request's creation time ${JSON.stringify(facts.requestCreatedAt)} is not a time; pull the request again`, { code: 'REQUEST_TIME_INVALID' });
  candidates.push({ at: created, from: 'request', text: `the request was created (pulled) at ${facts.requestCreatedAt}` });
  if (facts.lastJournalAt !== null) {
    const last = Date.parse(facts.lastJournalAt);
    if (!Number.isNaN(last)) candidates.push({ at: last, from: 'journal', text: `the newest journal entry of this workspace is from ${facts.lastJournalAt}` });
  }
  const floor = candidates.reduce((a, b) => (b.at > a.at ? b : a));
  const now = reading.now.getTime();
  const label = reading.source === 'operator' ? `the reference time you confirmed (--now ${iso(reading.now)})` : `the system clock (${iso(reading.now)})`;
  const remedy = reading.source === 'operator' ? 'give the correct current time with --now' : 'set the system clock, or confirm the correct current time with --now YYYY-MM-DDTHH:MM:SSZ';
  if (now < floor.at - CLOCK_TOLERANCE_MS) {
    throw new ClockCheckError(`clock check: ${label} is earlier than ${floor.text}; every expiry would be computed from a wrong time. Nothing was started: ${remedy}.`, { code: 'CLOCK_BEHIND', floor: new Date(floor.at).toISOString() });
  }
  const maxAhead = (facts.maxAheadDays ?? MAX_CLOCK_AHEAD_DAYS) * DAY_MS;
  if (now > floor.at + maxAhead) {
    const days = Math.floor((now - floor.at) / DAY_MS);
    throw new ClockCheckError(
      `clock check: ${label} is ${days} days after ${floor.text} (more than the ${facts.maxAheadDays ?? MAX_CLOCK_AHEAD_DAYS} days allowed); expiries would be fixed from a clock far ahead. Nothing was started: ${remedy}, or pull a fresh request.`,
      { code: 'CLOCK_AHEAD', floor: new Date(floor.at).toISOString() },
    );
  }
  return { at: iso(reading.now), source: reading.source, system: iso(reading.system), floor: new Date(floor.at).toISOString(), floorFrom: floor.from };
}

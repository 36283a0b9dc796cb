const DAY = 86_400_000;
const STEPS_DAYS = [1, 7, 14, 30, 91, 182, 365, 730, 1826, 3652] as const;

export interface Tick {
  t: number;
  label: string;
}

/** Evenly spaced ticks (about `target` of them) over [from, to], labelled at a readable precision. */
export function ticks(from: number, to: number, target = 8): Tick[] {
  const spanDays = (to - from) / DAY;
  const step = STEPS_DAYS.find((s) => spanDays / s <= target) ?? STEPS_DAYS[STEPS_DAYS.length - 1] ?? 3652;
  const stepMs = step * DAY;
  const start = Math.ceil(from / stepMs) * stepMs;
  const out: Tick[] = [];
  for (let t = start; t <= to; t += stepMs) {
    const iso = new Date(t).toISOString();
    out.push({ t, label: step >= 365 ? iso.slice(0, 4) : step >= 30 ? iso.slice(0, 7) : iso.slice(0, 10) });
  }
  return out;
}

/** The visible time range: today, every expiry and the warn window, with a margin either side. */
export function domain(now: number, expiries: number[], warnDays: number): [number, number] {
  const lo = Math.min(now, ...expiries);
  const hi = Math.max(now + warnDays * DAY, ...expiries);
  const margin = Math.max((hi - lo) * 0.06, 7 * DAY);
  return [lo - margin, hi + margin];
}

export { DAY };

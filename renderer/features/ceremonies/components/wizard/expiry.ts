/** Expiry dates as the forms take them (a UTC day) and as the plan sends them (strict RFC 3339). */
export type ExpiryDraft = Record<string, string>;

/** `2027-11-22` → `2027-11-22T00:00:00Z` (midnight UTC: ceremonies span time zones). */
export function expiryOf(day: string): string {
  return `${day}T00:00:00Z`;
}

/** The plan's `expires` map from the filled-in days of these roles, and the problems found. */
export function expiriesFor(draft: ExpiryDraft, roles: readonly string[], now: number): { expires: Record<string, string> | undefined; problems: string[] } {
  const expires: Record<string, string> = {};
  const problems: string[] = [];
  for (const role of roles) {
    const day = draft[role] ?? '';
    if (day === '') continue;
    const at = Date.parse(expiryOf(day));
    if (!/^\d{4}-\d{2}-\d{2}$/.test(day) || Number.isNaN(at)) problems.push(`The ${role} expiry "${day}" is not a date.`);
    else if (at <= now) problems.push(`The ${role} expiry ${expiryOf(day)} is not in the future.`);
    else expires[role] = expiryOf(day);
  }
  return { expires: Object.keys(expires).length === 0 ? undefined : expires, problems };
}

/** Whole days from now to a day (for "in 365 days" next to the absolute date). */
export function daysFromNow(day: string, now: number): number {
  return Math.round((Date.parse(expiryOf(day)) - now) / 86_400_000);
}

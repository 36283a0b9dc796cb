/** A plan object before the schema check, with the problems found in the form. */
export type Built = { plan: Record<string, unknown>; problems: string[] };

export function thresholdProblem(label: string, threshold: number, keys: number): string | null {
  if (!Number.isInteger(threshold) || threshold < 1) return `The ${label} threshold must be a whole number of at least 1.`;
  if (keys > 0 && threshold > keys) return `The ${label} threshold (${threshold}) is more than its ${keys} key${keys === 1 ? '' : 's'}.`;
  return null;
}

export const problemsOf = (...list: (string | null)[]): string[] => list.filter((p): p is string => p !== null);

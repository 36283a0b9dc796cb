import type { z } from 'zod';

/**
 * A short description of a zod failure: paths and messages only. Zod's messages name keys and
 * expected types but never echo the offending values, so nothing secret lands in a log or an
 * IpcError message (a stray `privateKey` shows as its key name only).
 */
export function describeIssues(error: z.ZodError, max = 5): string {
  const parts = error.issues.slice(0, max).map((issue) => {
    const where = issue.path.length === 0 ? '(root)' : issue.path.map((p) => String(p)).join('.');
    return `${where}: ${issue.message}`;
  });
  const more = error.issues.length > max ? `; and ${error.issues.length - max} more` : '';
  return parts.join('; ') + more;
}

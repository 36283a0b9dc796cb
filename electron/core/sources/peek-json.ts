/**
 * Loose JSON peeking for loaders: only to discover which files to fetch or how to name a
 * repository. Never a trust decision; malformed input yields null and the engine reports it.
 */

export function parseJsonLoose(bytes: Uint8Array | null): unknown {
  if (!bytes) return null;
  try {
    return JSON.parse(new TextDecoder('utf-8', { fatal: false }).decode(bytes)) as unknown;
  } catch {
    // Malformed: the engine reports MALFORMED_ROLE / refuses the root; loaders just stop peeking.
    return null;
  }
}

export function jsonObject(value: unknown): Record<string, unknown> | null {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
}

/** The `signed` object of a `{signed, signatures}` envelope. */
export function signedOf(parsed: unknown): Record<string, unknown> | null {
  return jsonObject(jsonObject(parsed)?.['signed']);
}

// OLPC canonical JSON for the small documents the generators build (root, timestamp, keys...).
// Sorted keys, no whitespace; only `"` and `\` need escaping and the generators only emit ASCII
// without control characters, so JSON.stringify of each string is already canonical.
// Large targets documents are written as strings directly (see gen-tuf.mjs), never through this.

export class CanonicalInputError extends Error {
  name = 'CanonicalInputError';
}

export function canonical(value) {
  if (value === null || typeof value === 'boolean') return JSON.stringify(value);
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value)) throw new CanonicalInputError(`canonical JSON allows integers only, got ${value}`);
    return String(value);
  }
  if (typeof value === 'string') {
    if (!/^[\x20-\x7e]*$/.test(value)) throw new CanonicalInputError('the bench generator only emits printable ASCII strings');
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  const keys = Object.keys(value).sort();
  return `{${keys.map((k) => `${canonical(k)}:${canonical(value[k])}`).join(',')}}`;
}

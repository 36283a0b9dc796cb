import { canonicalize } from '../../../shared/tuf/canonical-json';
import type { JsonValue } from '../../../shared/tuf/model';

/**
 * Canonical JSON as one line of text. OLPC canonical JSON writes control characters raw inside
 * strings (a PEM's newlines), which would split a journal line and which strict JSON readers
 * refuse. In canonical JSON a byte below 0x20 can only be inside a string (there is no
 * whitespace), and never inside a multi-byte UTF-8 sequence, so escaping exactly those bytes as
 * JSON.stringify does yields valid JSON that parses back to the same value. Hashes are still
 * computed over the canonical bytes.
 */
export function canonicalJsonLine(value: JsonValue): Buffer {
  const canonical = canonicalize(value);
  if (!canonical.some((b) => b < 0x20)) return Buffer.from(canonical.buffer, canonical.byteOffset, canonical.length);
  const parts: Buffer[] = [];
  let start = 0;
  canonical.forEach((byte, i) => {
    if (byte >= 0x20) return;
    parts.push(Buffer.from(canonical.subarray(start, i)), Buffer.from(JSON.stringify(String.fromCharCode(byte)).slice(1, -1)));
    start = i + 1;
  });
  parts.push(Buffer.from(canonical.subarray(start)));
  return Buffer.concat(parts);
}

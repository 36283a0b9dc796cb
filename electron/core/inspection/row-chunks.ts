import type { TargetView } from '../../../shared/inspection/report';

/** Rows per chunk: ~4 MB of JSON, a few tens of ms to decode, so the receiving loop stays live. */
const ROWS_PER_CHUNK = 8192;

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Target rows as JSON byte chunks, for a transfer list (zero-copy between threads). */
export function encodeRows(rows: readonly TargetView[]): Uint8Array[] {
  const chunks: Uint8Array[] = [];
  for (let i = 0; i < rows.length; i += ROWS_PER_CHUNK) chunks.push(encoder.encode(JSON.stringify(rows.slice(i, i + ROWS_PER_CHUNK))));
  return chunks;
}

/** The rows back, one chunk per event-loop turn (other IPC calls are answered in between). */
export async function decodeRows(chunks: readonly Uint8Array[]): Promise<TargetView[]> {
  const rows: TargetView[] = [];
  for (const chunk of chunks) {
    const part = JSON.parse(decoder.decode(chunk)) as unknown;
    if (!Array.isArray(part)) throw new Error('inspection worker sent a malformed row chunk');
    for (const row of part as TargetView[]) rows.push(row);
    await new Promise((resolve) => setImmediate(resolve));
  }
  return rows;
}

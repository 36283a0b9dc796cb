import { z } from 'zod';

import { RoleView, type TargetView } from '../../../shared/inspection/report';

/** Rows per chunk: ~4 MB of JSON, a few tens of ms to decode, so the receiving loop stays live. */
const ROWS_PER_CHUNK = 8192;
/** Role views per chunk: a PEP 458 report has 16,389 of them (~100 ms to clone or check at once). */
const ROLES_PER_CHUNK = 1024;

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const RoleViews = z.array(RoleView);

/** Items as JSON byte chunks, for a transfer list (zero-copy between threads). */
function encodeChunks(items: readonly unknown[], perChunk: number): Uint8Array[] {
  const chunks: Uint8Array[] = [];
  for (let i = 0; i < items.length; i += perChunk) chunks.push(encoder.encode(JSON.stringify(items.slice(i, i + perChunk))));
  return chunks;
}

/** The items back, one chunk per event-loop turn (other IPC calls are answered in between). */
async function decodeChunks<T>(chunks: readonly Uint8Array[], accept: (part: unknown) => readonly T[]): Promise<T[]> {
  const items: T[] = [];
  for (const chunk of chunks) {
    for (const item of accept(JSON.parse(decoder.decode(chunk)) as unknown)) items.push(item);
    await new Promise((resolve) => setImmediate(resolve));
  }
  return items;
}

/** Target rows as JSON byte chunks. */
export function encodeRows(rows: readonly TargetView[]): Uint8Array[] {
  return encodeChunks(rows, ROWS_PER_CHUNK);
}

/** Rows are not schema-checked one by one (262,144 of them): an array of objects is required. */
export function decodeRows(chunks: readonly Uint8Array[]): Promise<TargetView[]> {
  return decodeChunks(chunks, (part) => {
    if (!Array.isArray(part)) throw new Error('inspection worker sent a malformed row chunk');
    return part as TargetView[];
  });
}

/** Role views as JSON byte chunks. */
export function encodeRoles(roles: readonly RoleView[]): Uint8Array[] {
  return encodeChunks(roles, ROLES_PER_CHUNK);
}

/** Role views back, each chunk checked against the report schema in its own turn. */
export function decodeRoles(chunks: readonly Uint8Array[]): Promise<RoleView[]> {
  return decodeChunks(chunks, (part) => RoleViews.parse(part));
}

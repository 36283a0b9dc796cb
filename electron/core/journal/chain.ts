import { createHash } from 'node:crypto';

import type { JournalEntry, JournalEntryType } from '../../../shared/ceremony/types';
import { canonicalize } from '../../../shared/tuf/canonical-json';
import type { JsonObject, JsonValue } from '../../../shared/tuf/model';
import { parseJsonBytes } from '../../../shared/tuf/strict-json';
import { JournalCorruptError, JournalEntryError } from './errors';
import { canonicalJsonLine } from './json-line';
import { hexToPgpWords } from './pgp-words';
import { SignIntentIndex } from './sign-intents';

/**
 * The hash chain of reference/security.md §3: `hash = sha256hex(prev ‖ canonical(entry without
 * hash))` where `prev` is the previous entry's hash as 64 lower-case hex characters (their ASCII
 * bytes) and the first entry's prev is 64 zeros. Each line of journal.jsonl is exactly
 * canonical(entry) + "\n", with control characters inside strings escaped (json-line.ts) so a
 * value with a newline stays on one line: a line that parses but is not in that form was edited.
 */

export const GENESIS_PREV = '0'.repeat(64);

export const JOURNAL_ENTRY_TYPES: readonly JournalEntryType[] = [
  'plan',
  'proposal',
  'key-generated',
  'sign-intent',
  'signature',
  'partial-merged',
  'finalized',
  'exported',
  'published',
  'aborted',
  'note',
  'record',
];

const HEX64 = /^[0-9a-f]{64}$/;
/** RFC 3339 UTC as Date.toISOString() writes it (milliseconds optional). */
const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{3})?Z$/;
const ENTRY_KEYS = ['at', 'data', 'hash', 'prev', 'seq', 'type'];

export function entryHash(entry: Omit<JournalEntry, 'hash'>): string {
  const body: JsonObject = { seq: entry.seq, at: entry.at, type: entry.type, data: entry.data, prev: entry.prev };
  return createHash('sha256').update(entry.prev, 'ascii').update(canonicalize(body)).digest('hex');
}

/**
 * The exact bytes of one journal line, newline included: canonical JSON with the control
 * characters inside strings escaped (json-line.ts), so a PEM's newlines cannot split an entry over
 * several lines; the hash stays over the canonical bytes.
 */
export function encodeEntryLine(entry: JournalEntry): Buffer {
  return Buffer.concat([canonicalJsonLine(entry as unknown as JsonObject), Buffer.from('\n')]);
}

/** An unterminated last line: a write cut short by a crash or power loss. */
export interface TornTail {
  /** 1-based line number the torn bytes would have been. */
  line: number;
  /** Byte offset where the torn bytes start (the length the file is truncated to). */
  offset: number;
  length: number;
}

export interface JournalVerification {
  entries: JournalEntry[];
  /** Hash of the last entry; GENESIS_PREV for an empty journal. */
  head: string;
  headWords: string[];
  tornTail: TornTail | null;
  /** Byte length of the verified, newline-terminated part. */
  validLength: number;
}

export interface VerifyJournalOptions {
  /** Accept (and report) one unterminated last line instead of failing on it. Default false. */
  allowTornTail?: boolean;
  /** Name used in error messages, e.g. the file name. */
  source?: string;
}

/**
 * Verifies a whole journal: every line canonical, well-formed, numbered, chained and hashed, and
 * no role+version committed to two payloads. Pure apart from hashing. Throws JournalCorruptError
 * naming the first bad line, or EquivocationError when two entries commit one role+version to
 * different payloads.
 */
export function verifyJournal(bytes: Uint8Array, options: VerifyJournalOptions = {}): JournalVerification {
  const source = options.source ?? 'journal';
  const entries: JournalEntry[] = [];
  const intents = new SignIntentIndex();
  let prev = GENESIS_PREV;
  let start = 0;
  while (start < bytes.length) {
    const lineNo = entries.length + 1;
    const end = bytes.indexOf(0x0a, start);
    if (end === -1) {
      const tornTail: TornTail = { line: lineNo, offset: start, length: bytes.length - start };
      if (options.allowTornTail !== true) {
        throw new JournalCorruptError(lineNo, `unterminated last line (${tornTail.length} bytes): a torn write`, source);
      }
      return { entries, head: prev, headWords: hexToPgpWords(prev), tornTail, validLength: start };
    }
    const entry = parseLine(bytes.subarray(start, end + 1), lineNo, prev, source);
    try {
      // A conflicting sign-intent stays an EquivocationError (#44): it names both payloads.
      intents.check(entry);
      intents.record(entry);
    } catch (error) {
      if (error instanceof JournalEntryError) throw new JournalCorruptError(lineNo, error.message, source);
      throw error;
    }
    entries.push(entry);
    prev = entry.hash;
    start = end + 1;
  }
  return { entries, head: prev, headWords: hexToPgpWords(prev), tornTail: null, validLength: bytes.length };
}

function parseLine(line: Uint8Array, lineNo: number, prev: string, source: string): JournalEntry {
  const fail = (reason: string): never => {
    throw new JournalCorruptError(lineNo, reason, source);
  };
  if (line.length === 1) fail('empty line');
  let value: JsonValue;
  try {
    value = parseJsonBytes(line.subarray(0, line.length - 1), { maxDepth: 64 }).value;
  } catch (error) {
    return fail(`not valid JSON (${error instanceof Error ? error.message : String(error)})`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return fail('not a JSON object');
  const keys = Object.keys(value).sort();
  if (keys.join(',') !== ENTRY_KEYS.join(',')) fail(`fields must be exactly ${ENTRY_KEYS.join(', ')}; got ${keys.join(', ')}`);
  const { seq, at, type, data, hash } = value;
  if (seq !== lineNo) fail(`seq is ${JSON.stringify(seq)}, expected ${lineNo}`);
  if (typeof at !== 'string' || !ISO_UTC.test(at) || Number.isNaN(Date.parse(at))) fail(`"at" is not an RFC 3339 UTC time: ${JSON.stringify(at)}`);
  if (typeof type !== 'string' || !(JOURNAL_ENTRY_TYPES as readonly string[]).includes(type)) fail(`unknown entry type ${JSON.stringify(type)}`);
  if (typeof data !== 'object' || data === null || Array.isArray(data)) fail('"data" is not a JSON object');
  if (value['prev'] !== prev) fail(`prev ${JSON.stringify(value['prev'])} does not match the previous entry's hash ${prev}: an entry was removed, reordered or edited`);
  if (typeof hash !== 'string' || !HEX64.test(hash)) fail('"hash" is not 64 lower-case hex characters');
  const entry = value as unknown as JournalEntry;
  const expected = entryHash(entry);
  if (hash !== expected) fail(`hash ${hash as string} does not match the entry's content (expected ${expected}): the entry was edited`);
  const canonical = encodeEntryLine(entry);
  if (!Buffer.from(line).equals(canonical)) fail('the line is not in canonical JSON form: it was re-formatted or edited');
  return entry;
}

import type { ByteRange } from '../../../shared/tuf/model';
import { jsonObject, parseJsonLoose, signedOf } from './peek-json';

/**
 * Finding delegated role names without parsing a whole targets file. A 100k-target targets.json is
 * ~35 MB; JSON.parse of all of it just to read `signed.delegations.roles[].name` cost the loader a
 * third of a second. Instead we skip from member to member (strings jump with a native indexOf) and
 * parse only the `delegations` value. Loader discovery only, never a trust decision: the engine
 * parses and verifies the exact bytes. With duplicate keys (which the engine rejects as malformed)
 * the first occurrence is used; anything the skipper is unsure about falls back to a full parse.
 */

const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/** Signals input the byte skipper does not handle; the caller falls back to JSON.parse. */
class PeekUnsupported extends Error {
  override name = 'PeekUnsupported';
}

function isSpace(c: number | undefined): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}

function skipSpace(b: Uint8Array, i: number, end: number): number {
  while (i < end && isSpace(b[i])) i++;
  return i;
}

/** End (exclusive) of the string whose opening quote is at i. */
function skipString(b: Uint8Array, i: number, end: number): number {
  let j = i + 1;
  for (;;) {
    const q = b.indexOf(QUOTE, j);
    if (q < 0 || q >= end) throw new PeekUnsupported('unterminated string');
    // Escaped quote when preceded by an odd number of backslashes.
    let k = q - 1;
    while (k > i && b[k] === BACKSLASH) k--;
    if ((q - 1 - k) % 2 === 0) return q + 1;
    j = q + 1;
  }
}

/** End (exclusive) of the JSON value starting at i (i is on its first byte). */
function skipValue(b: Uint8Array, i: number, end: number): number {
  const c = b[i];
  if (c === QUOTE) return skipString(b, i, end);
  if (c === 0x7b || c === 0x5b) {
    let depth = 0;
    let j = i;
    while (j < end) {
      const d = b[j]!;
      if (d === QUOTE) {
        j = skipString(b, j, end);
        continue;
      }
      if (d === 0x7b || d === 0x5b) depth++;
      else if (d === 0x7d || d === 0x5d) {
        depth--;
        if (depth === 0) return j + 1;
      }
      j++;
    }
    throw new PeekUnsupported('unterminated container');
  }
  // Number or literal: up to the next delimiter.
  let j = i;
  while (j < end) {
    const d = b[j];
    if (d === 0x2c || d === 0x7d || d === 0x5d || isSpace(d)) break;
    j++;
  }
  if (j === i) throw new PeekUnsupported('empty value');
  return j;
}

const keyEncoder = new TextEncoder();
const encodedKeys = new Map<string, Uint8Array>();

/** The few member names the loader asks for, encoded once (16,384 role lookups per PEP 458 file). */
function encodedKey(key: string): Uint8Array {
  let bytes = encodedKeys.get(key);
  if (bytes === undefined) {
    bytes = keyEncoder.encode(key);
    encodedKeys.set(key, bytes);
  }
  return bytes;
}

function hasBackslash(b: Uint8Array, start: number, end: number): boolean {
  for (let k = start; k < end; k++) if (b[k] === BACKSLASH) return true;
  return false;
}

function keyEquals(b: Uint8Array, start: number, end: number, key: Uint8Array): boolean {
  if (end - start !== key.length) return false;
  for (let k = 0; k < key.length; k++) if (b[start + k] !== key[k]) return false;
  return true;
}

/** Byte range of the value of member `key` of the object in range, or null when there is none. */
export function memberRange(b: Uint8Array, range: ByteRange, key: string): ByteRange | null {
  const start = memberStart(b, range, key);
  return start === null ? null : { start, end: skipValue(b, start, range.end) };
}

/**
 * Offset of the value of member `key` of the object starting in range, or null when the object has
 * no such member. The value itself is not skipped (the caller may not need its end). Throws
 * PeekUnsupported for escaped keys or malformed structure.
 */
export function memberStart(b: Uint8Array, range: ByteRange, key: string): number | null {
  const want = encodedKey(key);
  const end = range.end;
  let i = skipSpace(b, range.start, end);
  if (b[i] !== 0x7b) throw new PeekUnsupported('not an object');
  i = skipSpace(b, i + 1, end);
  if (b[i] === 0x7d) return null;
  for (;;) {
    if (b[i] !== QUOTE) throw new PeekUnsupported('expected a key');
    const keyStart = i + 1;
    const keyEnd = skipString(b, i, end);
    if (hasBackslash(b, keyStart, keyEnd - 1)) throw new PeekUnsupported('escaped key');
    i = skipSpace(b, keyEnd, end);
    if (b[i] !== 0x3a) throw new PeekUnsupported('expected a colon');
    i = skipSpace(b, i + 1, end);
    if (keyEquals(b, keyStart, keyEnd - 1, want)) return i;
    const valueEnd = skipValue(b, i, end);
    i = skipSpace(b, valueEnd, end);
    if (b[i] === 0x7d) return null;
    if (b[i] !== 0x2c) throw new PeekUnsupported('expected a comma');
    i = skipSpace(b, i + 1, end);
  }
}

const decoder = new TextDecoder('utf-8', { fatal: false });

/** `signed.delegations.roles[].name` of a targets file (empty when there is none or it is unreadable). */
export function delegatedRoleNames(bytes: Uint8Array | null): string[] {
  if (!bytes) return [];
  // Most files (every PEP 458 bin) delegate nothing: when the key cannot be in the file at all
  // (no literal "delegations" and no backslash that could spell it escaped), skip the member walk.
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buf.indexOf('"delegations"') < 0 && buf.indexOf(BACKSLASH) < 0) return [];
  try {
    // Only the start of `signed` is needed: its members are walked until `delegations`.
    const signed = memberStart(bytes, { start: 0, end: bytes.length }, 'signed');
    const d = signed === null ? null : memberRange(bytes, { start: signed, end: bytes.length }, 'delegations');
    return d === null ? [] : roleNames(bytes, d);
  } catch (error) {
    if (!(error instanceof PeekUnsupported)) throw error;
    // Unusual but possibly valid input (escaped keys...): take the slow, exact route.
    const roles = jsonObject(signedOf(parseJsonLoose(bytes))?.['delegations'])?.['roles'];
    if (!Array.isArray(roles)) return [];
    return roles.map((role) => jsonObject(role)?.['name']).filter((name): name is string => typeof name === 'string');
  }
}

/**
 * `roles[].name` of a delegations object, skipping from role to role: PEP 458's 16,384 roles (3 MB
 * of keyids and path_hash_prefixes) parsed into objects held the Electron main thread ~100 ms just
 * to read their names. Roles that are not objects, or whose name is not a string, name nothing.
 */
function roleNames(b: Uint8Array, delegations: ByteRange): string[] {
  const roles = memberRange(b, delegations, 'roles');
  if (roles === null) return [];
  let i = skipSpace(b, roles.start, roles.end);
  if (b[i] !== 0x5b) return [];
  const names: string[] = [];
  i = skipSpace(b, i + 1, roles.end);
  if (b[i] === 0x5d) return names;
  for (;;) {
    const roleEnd = skipValue(b, i, roles.end);
    const name = b[i] === 0x7b ? memberRange(b, { start: i, end: roleEnd }, 'name') : null;
    if (name !== null && b[name.start] === QUOTE) names.push(parseName(b, name));
    i = skipSpace(b, roleEnd, roles.end);
    if (b[i] === 0x5d) return names;
    if (b[i] !== 0x2c) throw new PeekUnsupported('expected a comma between roles');
    i = skipSpace(b, i + 1, roles.end);
  }
}

/** A name's JSON string (escapes included) as a JS string. */
function parseName(b: Uint8Array, range: ByteRange): string {
  // Without escapes the bytes between the quotes are the name (UTF-8).
  if (!hasBackslash(b, range.start + 1, range.end - 1)) return decoder.decode(b.subarray(range.start + 1, range.end - 1));
  try {
    return JSON.parse(decoder.decode(b.subarray(range.start, range.end))) as string;
  } catch {
    throw new PeekUnsupported('malformed name');
  }
}

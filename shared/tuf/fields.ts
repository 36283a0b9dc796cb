import { MetadataFormatError } from '../errors';
import type { Dialect, JsonObject, JsonValue } from './model';

/** Field readers that turn a shape problem into a MetadataFormatError naming the JSON pointer. */

export function ptr(base: string, key: string | number): string {
  return `${base}/${String(key).replace(/~/g, '~0').replace(/\//g, '~1')}`;
}

export function formatError(path: string, message: string): MetadataFormatError {
  return new MetadataFormatError(`${path || '/'}: ${message}`, { path });
}

export function describe(v: JsonValue | undefined): string {
  if (v === undefined) return 'missing';
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'object') return 'an object';
  return `${typeof v} ${JSON.stringify(v)}`;
}

export function isObject(v: JsonValue | undefined): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function obj(parent: JsonObject, key: string, path: string): JsonObject {
  const v = parent[key];
  if (!isObject(v)) throw formatError(ptr(path, key), `expected an object, got ${describe(v)}`);
  return v;
}

export function str(parent: JsonObject, key: string, path: string): string {
  const v = parent[key];
  if (typeof v !== 'string') throw formatError(ptr(path, key), `expected a string, got ${describe(v)}`);
  return v;
}

export function bool(parent: JsonObject, key: string, path: string): boolean {
  const v = parent[key];
  if (typeof v !== 'boolean') throw formatError(ptr(path, key), `expected a boolean, got ${describe(v)}`);
  return v;
}

/** A JSON integer within ±(2^53-1) and ≥ `min`. Strings ("1"), fractions and -0 are refused. */
export function int(parent: JsonObject, key: string, path: string, min: number): number {
  const v = parent[key];
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || Object.is(v, -0)) {
    throw formatError(ptr(path, key), `expected an integer, got ${describe(v)}`);
  }
  if (v < min) throw formatError(ptr(path, key), `must be at least ${min}, got ${v}`);
  return v;
}

export function strArray(parent: JsonObject, key: string, path: string): string[] {
  const v = parent[key];
  if (!Array.isArray(v)) throw formatError(ptr(path, key), `expected an array, got ${describe(v)}`);
  v.forEach((x, i) => {
    if (typeof x !== 'string') throw formatError(ptr(ptr(path, key), i), `expected a string, got ${describe(x)}`);
  });
  return v as string[];
}

/**
 * Collect fields not in `known`. A field differing from a known one only by case (`Version` next
 * to, or instead of, `version`) is refused: different parsers would pick different values.
 */
export function unrecognized(o: JsonObject, known: readonly string[], path: string): JsonObject {
  const out: JsonObject = {};
  for (const k of Object.keys(o)) {
    if (known.includes(k)) continue;
    const lower = k.toLowerCase();
    const twin = known.find((x) => x.toLowerCase() === lower);
    if (twin !== undefined) throw formatError(ptr(path, k), `field ${JSON.stringify(k)} is a case variant of ${JSON.stringify(twin)}`);
    // A copy: the model never aliases `signedJson` (mutating it would change the verified bytes).
    out[k] = copyJson(o[k]!);
  }
  return out;
}

/**
 * Deep copy of a parsed JSON value, exact (no JSON round trip), for model fields that would
 * otherwise share objects or arrays with `signedJson`: a caller editing the model in place (sorting
 * an array, adding a field) must never change the bytes a signature is verified over.
 */
export function copyJson<T extends JsonValue>(v: T): T {
  if (typeof v !== 'object' || v === null) return v;
  if (Array.isArray(v)) return v.map((x) => copyJson(x)) as T;
  const out: JsonObject = {};
  for (const [k, x] of Object.entries(v)) out[k] = copyJson(x);
  return out as T;
}

const STRICT_TUF_EXPIRES = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;
const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?(Z|([+-])(\d{2}):(\d{2}))$/;

export interface ParsedExpires {
  at: number;
  strict: boolean;
}

/**
 * Parse `expires`. TUF writers emit `YYYY-MM-DDTHH:MM:SSZ` (python-tuf accepts nothing else);
 * Notary writes RFC3339Nano with the signer's offset. Real TUF history (sigstore root v1) holds
 * fractional seconds and offsets, so inspection accepts any valid RFC3339 and reports `strict`;
 * `requireStrict` (authoring) refuses the rest. Impossible dates such as month 13 always fail.
 */
export function parseExpires(value: string, dialect: Dialect, requireStrict: boolean, path: string): ParsedExpires {
  const strict = STRICT_TUF_EXPIRES.test(value);
  if (dialect === 'tuf-1.0' && requireStrict && !strict) {
    throw formatError(path, `expires ${JSON.stringify(value)} is not YYYY-MM-DDTHH:MM:SSZ`);
  }
  const m = RFC3339.exec(value);
  if (!m) throw formatError(path, `expires ${JSON.stringify(value)} is not an RFC 3339 date-time`);
  const [year, month, day, hour, minute, second] = [m[1], m[2], m[3], m[4], m[5], m[6]].map(Number) as [
    number, number, number, number, number, number,
  ];
  const daysInMonth = month >= 1 && month <= 12 ? new Date(Date.UTC(year, month, 0)).getUTCDate() : 0;
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth || hour > 23 || minute > 59 || second > 59) {
    throw formatError(path, `expires ${JSON.stringify(value)} is not a valid date-time`);
  }
  let at = Date.UTC(year, month - 1, day, hour, minute, second);
  if (year < 100) at = new Date(at).setUTCFullYear(year);
  if (m[7] !== undefined) at += Math.floor(Number(`0${m[7]}`) * 1000);
  if (m[8] !== 'Z') {
    const offH = Number(m[10]);
    const offM = Number(m[11]);
    if (offH > 23 || offM > 59) throw formatError(path, `expires ${JSON.stringify(value)} has an invalid offset`);
    const sign = m[9] === '-' ? -1 : 1;
    at -= sign * (offH * 60 + offM) * 60_000;
  }
  return { at, strict };
}

const SEMVER = /^(0|[1-9]\d*)\.(0|[1-9]\d*)(\.(0|[1-9]\d*))?$/;

/** TUF `spec_version`: `major.minor[.patch]` (python-tuf accepts 1.0 and 1.0.x; major must be 1). */
export function checkSpecVersion(v: string, path: string): void {
  const m = SEMVER.exec(v);
  if (!m) throw formatError(path, `spec_version ${JSON.stringify(v)} is not semver`);
  if (m[1] !== '1') throw formatError(path, `spec_version ${JSON.stringify(v)}: unsupported major version`);
}

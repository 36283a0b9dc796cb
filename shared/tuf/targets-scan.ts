import { fromHex } from './encoding';
import { checkSpecVersion, parseExpires } from './fields';
import type { ByteRange, Signature } from './model';
import { DEFAULT_MAX_BYTES } from './model';
import { scanWithWasm, type WasmScanResult } from './targets-scan-wasm';

/**
 * Fast path for a TUF 1.0 targets file whose envelope and `signed` are already canonical (python-tuf,
 * go-tuf and our bench writer produce exactly this): one pass over the bytes (a
 * table-driven loop; strings are slices of one decoded text), no JSON object tree. It accepts only a narrow, common shape and returns
 * null on anything else, so the caller falls back to parseMetadata, which then gives the precise
 * result or error. When it returns facts they equal what parseMetadata + the Targets model give
 * (test/unit/shared/tuf/targets-scan.spec.ts compares both on generated, fixture and mutated files).
 *
 * Accepted: `{"signatures":[{"keyid":K,"sig":S},…],"signed":{"_type":"targets",["delegations":
 * {"keys":{},"roles":[]},]"expires":E,"spec_version":V,"targets":{P:{"hashes":{A:H,…},"length":N},…},
 * "version":N}}` plus trailing whitespace; ASCII only (byte offsets = string indices, byte order =
 * code-unit order), no backslash or control character anywhere, keys strictly increasing
 * (canonical, hence no duplicates), lower-case hex hashes. The only delegations accepted are the
 * empty ones (python-tuf writes them for a role that delegates nothing). Refused (fallback):
 * other delegations, custom, unknown fields, integer-like target paths (a JS object would
 * enumerate them first), `__proto__` hash names.
 */
export interface ScannedTargets {
  /** Byte range of `signed`; those bytes are canonical JSON (the exact signed message). */
  signedRange: ByteRange;
  signatures: Signature[];
  version: number;
  expires: string;
  expiresAt: number;
  expiresStrict: boolean;
  specVersion: string;
  /** Target paths in the order the model's Map iterates them (file order for accepted input). */
  paths: string[];
  lengths: number[];
  /** Per target: hashes as lower-case hex (= as stored); only with `wantHashes`. */
  hashes: Record<string, string>[] | null;
  /** `signed` holds `"delegations":{"keys":{},"roles":[]}` (the model: empty, non-null delegations). */
  emptyDelegations: boolean;
}

export interface ScanTargetsOptions {
  /** Build the per-target hash records (report rows); verification alone does not need them. */
  wantHashes?: boolean;
  maxBytes?: number;
}

const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const ascii = new TextEncoder();

// Byte classes: 1 = allowed inside a string body we accept (printable ASCII but `"` and `\`),
// 2 = additionally a lower-case hex digit. Anything else (escapes, control, non-ASCII) falls back.
const CLASS = new Uint8Array(256);
for (let c = 0x20; c < 0x7f; c++) CLASS[c] = 1;
CLASS[0x22] = 0;
CLASS[0x5c] = 0;
for (const c of ascii.encode('0123456789abcdef')) CLASS[c] = 2;

const LIT_ENVELOPE = ascii.encode('{"signatures":[');
const LIT_KEYID = ascii.encode('{"keyid":');
const LIT_SIG = ascii.encode(',"sig":');
const LIT_SIGNED = ascii.encode(',"signed":{"_type":"targets",');
const LIT_EMPTY_DELEGATIONS = ascii.encode('"delegations":{"keys":{},"roles":[]},');
const LIT_EXPIRES = ascii.encode('"expires":');
const LIT_SPEC = ascii.encode(',"spec_version":');
const LIT_TARGETS = ascii.encode(',"targets":{');
const LIT_HASHES = ascii.encode(':{"hashes":{');
const LIT_LENGTH = ascii.encode(',"length":');
const LIT_VERSION = ascii.encode(',"version":');
const INDEX_LIKE = /^(?:0|[1-9][0-9]*)$/;

/** Fallback signal: the input is outside what the scanner handles. */
class Unhandled extends Error {}
const UNHANDLED = new Unhandled('not handled by the canonical targets scanner');

class Cursor {
  i = 0;
  constructor(
    readonly b: Uint8Array,
    readonly text: string,
    readonly end: number,
  ) {}

  lit(l: Uint8Array): void {
    const { b } = this;
    let i = this.i;
    if (i + l.length > this.end) throw UNHANDLED;
    for (let k = 0; k < l.length; k++, i++) if (b[i] !== l[k]) throw UNHANDLED;
    this.i = i;
  }

  byte(c: number): void {
    if (this.i >= this.end || this.b[this.i] !== c) throw UNHANDLED;
    this.i++;
  }

  /** Peek: is the next byte `c`? (consumes it when it is) */
  take(c: number): boolean {
    if (this.i < this.end && this.b[this.i] === c) {
      this.i++;
      return true;
    }
    return false;
  }

  /** A string without escapes; `hex` additionally requires an even run of lower-case hex digits. */
  str(hex = false): string {
    const { b, end } = this;
    if (this.i >= end || b[this.i] !== 0x22) throw UNHANDLED;
    const start = this.i + 1;
    // Native memchr for the closing quote, then one tight class check over the body.
    const j = b.indexOf(0x22, start);
    if (j < 0 || j >= end) throw UNHANDLED;
    if (hex) {
      for (let k = start; k < j; k++) if (CLASS[b[k]!] !== 2) throw UNHANDLED;
    } else {
      for (let k = start; k < j; k++) if (CLASS[b[k]!] === 0) throw UNHANDLED;
    }
    if (hex && (j - start) % 2 !== 0) throw UNHANDLED;
    this.i = j + 1;
    return this.text.slice(start, j);
  }

  /** `"sha256"` or `"sha512"` (consumed), else null with nothing consumed. */
  knownAlg(): string | null {
    const { b, i } = this;
    // "sha" then 256/512 then the closing quote: 8 bytes.
    if (i + 8 > this.end || b[i] !== 0x22 || b[i + 1] !== 0x73 || b[i + 2] !== 0x68 || b[i + 3] !== 0x61 || b[i + 7] !== 0x22) return null;
    const d0 = b[i + 4];
    const d1 = b[i + 5];
    const d2 = b[i + 6];
    let alg: string | null = null;
    if (d0 === 0x32 && d1 === 0x35 && d2 === 0x36) alg = 'sha256';
    else if (d0 === 0x35 && d1 === 0x31 && d2 === 0x32) alg = 'sha512';
    if (alg !== null) this.i = i + 8;
    return alg;
  }

  /** A canonical non-negative safe integer. */
  int(): number {
    const { b, end } = this;
    const start = this.i;
    let j = start;
    while (j < end && b[j]! >= 0x30 && b[j]! <= 0x39) j++;
    const n = j - start;
    if (n === 0 || n > 16 || (n > 1 && b[start] === 0x30)) throw UNHANDLED;
    const v = Number(this.text.slice(start, j));
    if (!Number.isSafeInteger(v)) throw UNHANDLED;
    this.i = j;
    return v;
  }
}

export function scanCanonicalTargets(bytes: Uint8Array, options: ScanTargetsOptions = {}): ScannedTargets | null {
  if (bytes.length > (options.maxBytes ?? DEFAULT_MAX_BYTES)) return null;
  const end = trimmedEnd(bytes);
  const fast = scanWithWasm({ bytes, end, emitTargets: true, prefixes: null });
  if (fast !== null) {
    const text = decoder.decode(bytes.subarray(0, end));
    const head = scannedHead(fast, (a, b) => text.slice(a, b));
    if (head !== null) {
      const { paths, lengths, hashes } = targetColumns(fast, text, options.wantHashes === true, () => true);
      return { ...head, paths, lengths, hashes };
    }
  }
  return scanCanonicalTargetsJs(bytes, options);
}

/** Length without trailing JSON whitespace. */
export function trimmedEnd(bytes: Uint8Array): number {
  let end = bytes.length;
  while (end > 0 && (bytes[end - 1] === 0x20 || bytes[end - 1] === 0x0a || bytes[end - 1] === 0x0d || bytes[end - 1] === 0x09)) end--;
  return end;
}

/**
 * The scanner's facts but the targets, from the WebAssembly offsets (`slice` gives the text of a
 * byte range); null where the JS scanner refuses.
 */
export function scannedHead(r: WasmScanResult, slice: (start: number, end: number) => string): Omit<ScannedTargets, 'paths' | 'lengths' | 'hashes'> | null {
  const signatures: Signature[] = [];
  for (let k = 0; k < r.signatures.length; k += 4) {
    const keyid = slice(r.signatures[k] as number, r.signatures[k + 1] as number);
    const sig = slice(r.signatures[k + 2] as number, r.signatures[k + 3] as number);
    signatures.push({ keyid, sig, method: null, sigBytes: fromHex(sig), unrecognized: {}, raw: { keyid, sig } });
  }
  const expires = slice(r.expires[0], r.expires[1]);
  const specVersion = slice(r.specVersion[0], r.specVersion[1]);
  const parsed = checkedHead(expires, specVersion);
  if (parsed === null) return null;
  return {
    signedRange: { start: r.signedStart, end: r.signedEnd },
    signatures,
    version: r.version,
    expires,
    expiresAt: parsed.at,
    expiresStrict: parsed.strict,
    specVersion,
    emptyDelegations: r.emptyDelegations,
  };
}

// Every bin of a repository usually carries the same expires and spec_version: check them once.
let lastHead: { expires: string; specVersion: string; parsed: { at: number; strict: boolean } | null } | null = null;

/** parseExpires + checkSpecVersion as the JS scanner runs them; null where they throw. */
function checkedHead(expires: string, specVersion: string): { at: number; strict: boolean } | null {
  if (lastHead !== null && lastHead.expires === expires && lastHead.specVersion === specVersion) return lastHead.parsed;
  let parsed: { at: number; strict: boolean } | null;
  try {
    parsed = parseExpires(expires, 'tuf-1.0', false, '/signed/expires');
    checkSpecVersion(specVersion, '/signed/spec_version');
  } catch (error) {
    // As in the JS scanner: the slow path raises the error with its context.
    void error;
    parsed = null;
  }
  lastHead = { expires, specVersion, parsed };
  return parsed;
}

/** Target columns from the records, keeping those `keep(admittedBit)` accepts. */
export function targetColumns(
  r: WasmScanResult,
  text: string,
  wantHashes: boolean,
  keep: (admitted: boolean) => boolean,
): { paths: string[]; lengths: number[]; hashes: Record<string, string>[] | null } {
  const paths: string[] = [];
  const lengths: number[] = [];
  const hashes: Record<string, string>[] | null = wantHashes ? [] : null;
  const { records, lengths: lens } = r;
  let w = 0;
  for (let t = 0; t < r.count; t++) {
    const p0 = records[w] as number;
    const p1 = records[w + 1] as number;
    const info = records[w + 2] as number;
    const n = info & 0xffff;
    w += 3;
    const take = keep((info & 0x10000) !== 0);
    if (take) {
      paths.push(text.slice(p0, p1));
      lengths.push(lens[t] as number);
    }
    if (take && hashes !== null) {
      const a = records[w] as number;
      const c = records[w + 4] as number;
      if (n === 2 && a >>> 28 === 1 && c >>> 28 === 2) {
        // The usual pair: one object literal of a fixed shape.
        hashes.push({ sha256: text.slice(records[w + 2], records[w + 3]), sha512: text.slice(records[w + 6], records[w + 7]) });
        w += 8;
      } else {
        const record: Record<string, string> = {};
        for (let h = 0; h < n; h++, w += 4) record[algName(text, records[w] as number, records[w + 1] as number)] = text.slice(records[w + 2], records[w + 3]);
        hashes.push(record);
      }
    } else {
      w += 4 * n;
    }
  }
  return { paths, lengths, hashes };
}

/** The usual names as constant strings (no slice per target); `word` = name start | code << 28. */
function algName(text: string, word: number, end: number): string {
  const code = word >>> 28;
  if (code === 1) return 'sha256';
  if (code === 2) return 'sha512';
  return text.slice(word & 0xfffffff, end);
}

/** The JS scanner (and the reference the WebAssembly one is tested against). */
export function scanCanonicalTargetsJs(bytes: Uint8Array, options: ScanTargetsOptions = {}): ScannedTargets | null {
  if (bytes.length > (options.maxBytes ?? DEFAULT_MAX_BYTES)) return null;
  let text: string;
  try {
    text = decoder.decode(bytes);
  } catch (error) {
    // Invalid UTF-8: the strict parser reports it with its offset.
    void error;
    return null;
  }
  if (text.length !== bytes.length) return null; // non-ASCII (or a BOM)
  const end = trimmedEnd(bytes);
  try {
    return scan(new Cursor(bytes, text, end), options.wantHashes === true);
  } catch (error) {
    if (error instanceof Unhandled) return null;
    throw error;
  }
}

function scan(c: Cursor, wantHashes: boolean): ScannedTargets {
  c.lit(LIT_ENVELOPE);
  const signatures: Signature[] = [];
  if (!c.take(0x5d)) {
    do {
      c.lit(LIT_KEYID);
      const keyid = c.str();
      c.lit(LIT_SIG);
      const sig = c.str();
      c.byte(0x7d);
      signatures.push({ keyid, sig, method: null, sigBytes: fromHex(sig), unrecognized: {}, raw: { keyid, sig } });
    } while (c.take(0x2c));
    c.byte(0x5d);
  }
  c.lit(LIT_SIGNED);
  const signedStart = c.i - 19; // the `{` after `"signed":`
  // `"d…` can only be the empty delegations we accept; anything else must be `"expires":`.
  const emptyDelegations = c.i + 1 < c.end && c.b[c.i + 1] === 0x64;
  if (emptyDelegations) c.lit(LIT_EMPTY_DELEGATIONS);
  c.lit(LIT_EXPIRES);
  const expires = c.str();
  c.lit(LIT_SPEC);
  const specVersion = c.str();
  let parsed: { at: number; strict: boolean };
  try {
    parsed = parseExpires(expires, 'tuf-1.0', false, '/signed/expires');
    checkSpecVersion(specVersion, '/signed/spec_version');
  } catch (error) {
    // The slow path raises the same MetadataFormatError with its context.
    void error;
    throw UNHANDLED;
  }
  c.lit(LIT_TARGETS);
  const paths: string[] = [];
  const lengths: number[] = [];
  const hashes: Record<string, string>[] | null = wantHashes ? [] : null;
  let prevPath: string | null = null;
  if (!c.take(0x7d)) {
    do {
      const path = c.str();
      // Only a path starting with a digit can be integer-like (no regex run per path otherwise).
      if ((prevPath !== null && path <= prevPath) || (path.charCodeAt(0) <= 0x39 && INDEX_LIKE.test(path))) throw UNHANDLED;
      prevPath = path;
      c.lit(LIT_HASHES);
      const record: Record<string, string> | null = hashes === null ? null : {};
      let prevAlg: string | null = null;
      do {
        // The usual names as constant (internalised) strings: no slice and no key lookup per target.
        const alg = c.knownAlg() ?? c.str();
        if ((prevAlg !== null && alg <= prevAlg) || alg === '__proto__') throw UNHANDLED;
        prevAlg = alg;
        c.byte(0x3a);
        const value = c.str(true);
        if (record !== null) record[alg] = value;
      } while (c.take(0x2c));
      c.byte(0x7d);
      c.lit(LIT_LENGTH);
      const length = c.int();
      c.byte(0x7d);
      paths.push(path);
      lengths.push(length);
      if (hashes !== null && record !== null) hashes.push(record);
    } while (c.take(0x2c));
    c.byte(0x7d);
  }
  c.lit(LIT_VERSION);
  const version = c.int();
  if (version < 1) throw UNHANDLED;
  c.byte(0x7d);
  const signedEnd = c.i;
  c.byte(0x7d);
  if (c.i !== c.end) throw UNHANDLED;
  return {
    signedRange: { start: signedStart, end: signedEnd },
    signatures,
    version,
    expires,
    expiresAt: parsed.at,
    expiresStrict: parsed.strict,
    specVersion,
    paths,
    lengths,
    hashes,
    emptyDelegations,
  };
}

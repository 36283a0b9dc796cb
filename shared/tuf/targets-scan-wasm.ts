import { TARGETS_SCAN_WASM } from './wasm/targets-scan-module';

/**
 * JS side of wasm/targets-scan.ts: the canonical targets grammar checked in WebAssembly (16 bytes
 * at a time, no strings built), optionally with each target path's SHA-256 matched against hash-bin
 * prefixes. It returns offsets; targets-scan.ts turns them into the scanner's facts. Null means
 * "not handled here" (refused, an output area too small, or no WebAssembly): the JS scanner then
 * decides, so this layer only ever speeds up input the JS scanner accepts as well.
 */
export interface WasmScanRequest {
  /** File bytes, trailing whitespace included; `end` = length without it. */
  bytes: Uint8Array;
  end: number;
  /** Emit one record per target (paths, lengths, hashes). */
  emitTargets: boolean;
  /** Decide admission by these path_hash_prefixes (lower-case hex), or null to leave it to JS. */
  prefixes: readonly string[] | null;
}

export interface WasmScanResult {
  signedStart: number;
  signedEnd: number;
  /** keyid start, end, sig start, end per signature (byte offsets in `bytes`). */
  signatures: Int32Array;
  emptyDelegations: boolean;
  expires: [number, number];
  specVersion: [number, number];
  version: number;
  count: number;
  admitted: number;
  outside: number;
  /** Path start, end, bits per event (1 = not cleared by the fast unsafe-path test, 2 = among the first three outside). */
  events: Int32Array;
  /** Per target: path start, path end, hash count | admitted << 16, then 4 words per hash. Empty unless emitTargets. */
  records: Int32Array;
  lengths: Float64Array;
}

const PREFIXES = 8192;
const INPUT = 65536;
const PAGE = 65536;
const EVENTS_CAP = 4096;
const MAX_INPUT = 2 ** 27;
/** Inputs above this get their own instance, dropped afterwards (its memory goes with it). */
const SHARED_INSTANCE_MAX = 4 * 1024 * 1024;

interface ScanExports {
  memory: WebAssembly.Memory;
  scan: () => void;
}

let compiled: WebAssembly.Module | null | undefined;
let shared: ScanExports | null = null;

function module(): WebAssembly.Module | null {
  if (compiled !== undefined) return compiled;
  try {
    const binary = Uint8Array.from(atob(TARGETS_SCAN_WASM), (c: string) => c.charCodeAt(0));
    compiled = new WebAssembly.Module(binary);
  } catch (error) {
    // No WebAssembly (or no SIMD) here: the JS scanner does all the work.
    void error;
    compiled = null;
  }
  return compiled;
}

function instance(size: number): ScanExports | null {
  const m = module();
  if (m === null) return null;
  if (size <= SHARED_INSTANCE_MAX && shared !== null) return shared;
  const fresh = new WebAssembly.Instance(m, {}).exports as unknown as ScanExports;
  if (size <= SHARED_INSTANCE_MAX) shared = fresh;
  return fresh;
}

/**
 * Prefixes as the module wants them: per prefix a nibble count (≤ 64) then its nibbles, and how
 * many prefixes that is; null when they do not fit below the input.
 */
function encodePrefixes(prefixes: readonly string[]): { bytes: Uint8Array; count: number } | null {
  const parts: number[] = [];
  let count = 0;
  for (const raw of prefixes) {
    // hashPrefixMatches: digestHex.startsWith(prefix.toLowerCase()); anything but hex never matches.
    const p = raw.toLowerCase();
    if (p.length > 64 || !/^[0-9a-f]*$/.test(p)) continue;
    parts.push(p.length);
    for (let i = 0; i < p.length; i++) parts.push(parseInt(p[i] as string, 16));
    count++;
  }
  if (parts.length > INPUT - PREFIXES) return null;
  return { bytes: Uint8Array.from(parts), count };
}

export function scanWithWasm(request: WasmScanRequest): WasmScanResult | null {
  const { bytes, end, emitTargets, prefixes } = request;
  const encoded = prefixes === null ? null : encodePrefixes(prefixes);
  if (prefixes !== null && encoded === null) return null;
  const size = bytes.length;
  // Hash-name offsets share a word with a 2-bit code (wasm/targets-scan.ts): 2^27 bytes at most.
  if (size >= MAX_INPUT) return null;
  const outWords = emitTargets ? (size >> 2) + 64 : 0;
  const lengthsCap = emitTargets ? (size >> 5) + 2 : 0;
  const outAt = INPUT + align8(size);
  const lengthsAt = outAt + align8(outWords * 4);
  const eventsAt = lengthsAt + lengthsCap * 8;
  // A target entry takes at least 32 bytes (`"":{"hashes":{"":""},"length":0}`).
  const pathsCap = encoded === null ? 0 : (size >> 5) + 2;
  const pathsAt = align8(eventsAt + EVENTS_CAP * 12);
  const admissionAt = pathsAt + pathsCap * 8;
  const need = admissionAt + pathsCap;
  const x = instance(size);
  if (x === null) return null;
  let buffer: ArrayBuffer;
  let header: Int32Array;
  try {
    const have = x.memory.buffer.byteLength;
    if (need > have) x.memory.grow(Math.ceil((need - have) / PAGE));
    buffer = x.memory.buffer;
    new Uint8Array(buffer, INPUT, size).set(bytes);
    header = new Int32Array(buffer, 0, 64);
    if (encoded !== null) new Uint8Array(buffer, PREFIXES, encoded.bytes.length).set(encoded.bytes);
    header.set([INPUT, end, outAt, outWords, lengthsAt, lengthsCap, PREFIXES, encoded?.count ?? 0, (emitTargets ? 1 : 0) | (encoded !== null ? 2 : 0), eventsAt, EVENTS_CAP, pathsAt, admissionAt, pathsCap]);
    x.scan();
  } catch (error) {
    // Memory that cannot grow, or a trap (a bug here, never the input's fault): the JS scanner
    // decides instead, and the next call starts from a fresh instance.
    void error;
    if (x === shared) shared = null;
    return null;
  }
  if (header[16] !== 0) return null;
  // A fresh instance is never written again: hand out views into its memory instead of copies.
  const own = size > SHARED_INSTANCE_MAX;
  const take = (from: number, bytes: number): ArrayBuffer => (own ? buffer : buffer.slice(from, from + bytes));
  const at = (from: number): number => (own ? from : 0);
  const sigCount = header[19] as number;
  const count = header[25] as number;
  const eventCount = header[28] as number;
  return {
    signedStart: header[17] as number,
    signedEnd: header[18] as number,
    signatures: new Int32Array(buffer.slice(256, 256 + sigCount * 16)),
    emptyDelegations: header[20] === 1,
    expires: [header[21] as number, header[22] as number],
    specVersion: [header[23] as number, header[24] as number],
    version: new Float64Array(buffer, 120, 1)[0] as number,
    count,
    admitted: header[26] as number,
    outside: header[27] as number,
    events: new Int32Array(take(eventsAt, eventCount * 12), at(eventsAt), eventCount * 3),
    records: new Int32Array(take(outAt, (header[29] as number) * 4), at(outAt), header[29]),
    lengths: emitTargets ? new Float64Array(take(lengthsAt, count * 8), at(lengthsAt), count) : new Float64Array(0),
  };
}

function align8(n: number): number {
  return (n + 7) & ~7;
}

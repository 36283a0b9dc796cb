/**
 * `JSON.stringify(value, null, 2)` written in chunks. A PEP 458-scale report (2.28 M targets) is
 * larger than V8's maximum string length, so one stringify fails with "Invalid string length".
 * Containers near the top are walked here; everything below `streamDepth` (one target row, one
 * finding) is stringified whole and re-indented. The output is byte-identical to JSON.stringify's.
 */

const FLUSH_CHARS = 1 << 20;

/**
 * Above this many array elements near the top (target rows, findings) the value is walked in
 * chunks; below it one native JSON.stringify is 7-10x faster than the walk (a 10k-tag report:
 * 13 ms vs 110 ms). The bound keeps the whole string (and its UTF-8 copy for stdout) small: a PEP
 * 458 report with 262,144 rows is 143 MB of JSON and stays with the walk.
 */
const WHOLE_UP_TO_ELEMENTS = 150_000;

export function writeJsonChunked(value: unknown, write: (text: string) => void, streamDepth = 3, wholeUpTo = WHOLE_UP_TO_ELEMENTS): void {
  if (topElements(value, streamDepth) <= wholeUpTo) {
    let whole: string | undefined;
    try {
      whole = JSON.stringify(value, null, 2);
    } catch (error) {
      // "Invalid string length": too large after all; the walk below writes it in pieces.
      if (!(error instanceof RangeError)) throw error;
    }
    if (whole !== undefined) {
      write(whole);
      return;
    }
  }
  let parts: string[] = [];
  let pending = 0;
  const emit = (s: string): void => {
    parts.push(s);
    pending += s.length;
    if (pending >= FLUSH_CHARS) flush();
  };
  const flush = (): void => {
    if (parts.length === 0) return;
    write(parts.join(''));
    parts = [];
    pending = 0;
  };
  emitValue(value, 0, streamDepth, emit);
  flush();
}

/**
 * Elements of the arrays above `streamDepth` (what the chunked walk would iterate). Items of a
 * long array are not looked into: one target row never holds a long array.
 */
function topElements(value: unknown, depthLeft: number): number {
  if (depthLeft <= 0 || !isStreamable(value)) return 0;
  if (Array.isArray(value) && value.length > 64) return value.length;
  const children = Array.isArray(value) ? value : Object.values(value);
  let n = Array.isArray(value) ? value.length : 0;
  for (const child of children) if (typeof child === 'object' && child !== null) n += topElements(child, depthLeft - 1);
  return n;
}

function isStreamable(value: unknown): value is Record<string, unknown> | unknown[] {
  if (typeof value !== 'object' || value === null) return false;
  // toJSON (Date...) changes what is written: leave those to JSON.stringify.
  return typeof (value as { toJSON?: unknown }).toJSON !== 'function';
}

/** JSON.stringify of a value written at `depth`, or undefined when JSON omits it. */
function leaf(value: unknown, depth: number): string | undefined {
  const text = JSON.stringify(value, null, 2) as string | undefined;
  if (text === undefined || depth === 0) return text;
  // JSON.stringify escapes newlines inside strings, so every newline here is structural.
  return text.replace(/\n/g, `\n${'  '.repeat(depth)}`);
}

/** Emits the value at `depth` (its first line is already indented by the caller). Returns false when JSON omits it. */
function emitValue(value: unknown, depth: number, streamDepth: number, emit: (s: string) => void): boolean {
  if (depth >= streamDepth || !isStreamable(value)) {
    const text = leaf(value, depth);
    if (text === undefined) return false;
    emit(text);
    return true;
  }
  const inner = '  '.repeat(depth + 1);
  const closing = '  '.repeat(depth);
  if (Array.isArray(value)) {
    if (value.length === 0) {
      emit('[]');
      return true;
    }
    emit('[');
    for (let i = 0; i < value.length; i++) {
      emit(i === 0 ? `\n${inner}` : `,\n${inner}`);
      // Inside arrays, values JSON cannot carry (undefined, functions) become null.
      if (!emitValue(value[i], depth + 1, streamDepth, emit)) emit('null');
    }
    emit(`\n${closing}]`);
    return true;
  }
  let first = true;
  for (const key of Object.keys(value)) {
    const v = value[key];
    const streamed = depth + 1 < streamDepth && isStreamable(v);
    const text = streamed ? null : leaf(v, depth + 1);
    if (text === undefined) continue;
    emit(`${first ? '{' : ','}\n${inner}${JSON.stringify(key)}: `);
    first = false;
    if (text === null) emitValue(v, depth + 1, streamDepth, emit);
    else emit(text);
  }
  emit(first ? '{}' : `\n${closing}}`);
  return true;
}

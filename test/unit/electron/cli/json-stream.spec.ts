import { describe, expect, it } from 'vitest';

import { writeJsonChunked } from '../../../../electron/cli/json-stream';

function chunked(value: unknown, streamDepth?: number, wholeUpTo?: number): { text: string; chunks: number } {
  const out: string[] = [];
  writeJsonChunked(value, (t) => out.push(t), streamDepth, wholeUpTo);
  return { text: out.join(''), chunks: out.length };
}

describe('writeJsonChunked', () => {
  it('writes exactly what JSON.stringify(value, null, 2) writes', () => {
    const samples: unknown[] = [
      { schemaVersion: 1, targets: [{ name: 'a\nb', hashes: { sha256: 'ff' }, custom: { x: [1, { y: null }] } }], empty: [], none: {}, skip: undefined, f: () => 1 },
      [{ a: [undefined, 1, [], {}], d: new Date(0) }, null, 'x'],
      { deep: { deeper: { deepest: { arr: [1, 2, { z: 'q"\\' }] } } } },
      [],
      {},
      'plain',
      42,
    ];
    for (const s of samples) {
      for (const depth of [0, 1, 2, 3, 10]) {
        // -1: always the chunked walk; undefined: one stringify for small values.
        expect(chunked(s, depth, -1).text).toBe(JSON.stringify(s, null, 2));
        expect(chunked(s, depth).text).toBe(JSON.stringify(s, null, 2));
      }
    }
  });

  it('writes an array with more elements than the whole-string limit in several chunks', () => {
    const report = { health: 'healthy', targets: Array.from({ length: 20_000 }, (_, i) => ({ name: `pkg/${i}.whl`, length: i, hashes: { sha256: 'ab'.repeat(32) } })) };
    const { text, chunks } = chunked(report, 3, 10_000);
    expect(chunks).toBeGreaterThan(1);
    expect(text).toBe(JSON.stringify(report, null, 2));
  });

  it('writes a report below the limit with one native stringify (one write)', () => {
    const report = { health: 'healthy', targets: Array.from({ length: 20_000 }, (_, i) => ({ name: `pkg/${i}.whl`, length: i })) };
    const { text, chunks } = chunked(report);
    expect(chunks).toBe(1);
    expect(text).toBe(JSON.stringify(report, null, 2));
  });
});

import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import path from 'node:path';

import { describe, expect, it } from 'vitest';

import { NodeCryptoProvider } from '../../../../electron/core/crypto/node-crypto-provider';
import { DEFAULT_LIMITS } from '../../../../shared/inspection/context';
import { verifyLeafRole, type LeafRoleTask } from '../../../../shared/inspection/leaf-role';
import { scanHashBinWithWasm } from '../../../../shared/inspection/leaf-scan-wasm';
import type { DelegatedRole, JsonObject, Key } from '../../../../shared/tuf/model';
import { scanCanonicalTargets, scanCanonicalTargetsJs, trimmedEnd } from '../../../../shared/tuf/targets-scan';
import { scanWithWasm } from '../../../../shared/tuf/targets-scan-wasm';
import { mulberry32 } from '../../../support/prng';
import { haveFixtures, jsonFilesUnder, fixturesDir, SKIP_REASON } from './support/fixtures';
import { keyid, mutate, signedFile, targetsSigned, testKey } from './support/targets-files';

/**
 * The WebAssembly scanner (wasm/targets-scan.ts, wasm/path-sha256.ts) may only ever speed things
 * up: wherever it accepts, the facts must be the JS scanner's (itself tested against the strict
 * parser in targets-scan.spec.ts), and it must accept what the JS scanner accepts, or the fast path
 * would silently not be taken. Placement (SHA-256 of each path against path_hash_prefixes, four
 * paths per SIMD lane group) must equal node:crypto's.
 */

const root = path.resolve(__dirname, '../../../..');
const crypto = new NodeCryptoProvider();
const enc = new TextEncoder();
const sha256Hex = (text: string): string => createHash('sha256').update(text).digest('hex');

function wasmAccepts(bytes: Uint8Array, prefixes: readonly string[] | null = null): boolean {
  return scanWithWasm({ bytes, end: trimmedEnd(bytes), emitTargets: true, prefixes }) !== null;
}

/** Same facts by both scanners (null included); reports which way the fast path went. */
function expectSameAsJs(bytes: Uint8Array): 'both' | 'neither' {
  const js = scanCanonicalTargetsJs(bytes, { wantHashes: true });
  expect(scanCanonicalTargets(bytes, { wantHashes: true })).toEqual(js);
  expect(scanCanonicalTargets(bytes, { wantHashes: false })).toEqual(scanCanonicalTargetsJs(bytes, { wantHashes: false }));
  // The module refuses nothing the JS scanner takes (expires/spec_version are checked in JS, after it).
  if (js !== null) expect(wasmAccepts(bytes), 'the WebAssembly scanner refused a file the JS scanner accepts').toBe(true);
  return js === null ? 'neither' : 'both';
}

/** A canonical targets file with these paths (sorted by the canonical writer). */
function fileWithPaths(paths: readonly string[], rand: () => number): Uint8Array {
  const targets: JsonObject = {};
  for (const p of paths) targets[p] = { hashes: { sha256: sha256Hex(p) }, length: Math.floor(rand() * 1e6) };
  return signedFile({ _type: 'targets', expires: '2030-01-01T00:00:00Z', spec_version: '1.0.31', targets, version: 2 }, keyid);
}

function bin(pathHashPrefixes: string[] | null, paths: string[] | null = null): DelegatedRole {
  return { name: 'bin', keyids: [keyid], threshold: 1, paths, pathHashPrefixes, terminating: false, unrecognized: {} };
}

describe('WebAssembly targets scanner', () => {
  it('is built from its AssemblyScript source (shared/tuf/wasm/targets-scan-module.ts is current)', () => {
    const run = spawnSync(process.execPath, [path.join(root, 'scripts/build-wasm.mjs'), '--check'], { cwd: root, encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
  });

  it('gives the JS scanner’s facts on generated files, and takes every one of them', () => {
    const rand = mulberry32(458);
    for (const count of [0, 1, 2, 3, 4, 5, 139, 1000]) {
      for (const extra of [{}, { delegations: { keys: {}, roles: [] } }] as JsonObject[]) {
        const bytes = signedFile(targetsSigned(count, rand, extra), keyid, 1 + (count % 3));
        expect(expectSameAsJs(bytes)).toBe('both');
        expect(expectSameAsJs(new Uint8Array([...bytes, 0x0a, 0x20]))).toBe('both');
      }
    }
    // Above 4 MiB the module gets an instance of its own and the results are views into its memory.
    const large = signedFile(targetsSigned(15_000, rand), keyid, 2);
    expect(large.length).toBeGreaterThan(4 * 1024 * 1024);
    expect(expectSameAsJs(large)).toBe('both');
    // Unusual but accepted: other hash names (and their order), one hash, no signatures, empty path.
    const odd: JsonObject = { '': { hashes: { blake2b: 'aa', sha256: 'bb', sha384: '' }, length: 0 }, a: { hashes: { __proto__x: 'ab', sha512: '00' }, length: 9007199254740991 } };
    expect(expectSameAsJs(signedFile({ ...targetsSigned(0, rand), targets: odd }, keyid))).toBe('both');
    expect(expectSameAsJs(signedFile(targetsSigned(3, rand), keyid, 0))).toBe('both');
  });

  it('leaves a target with more than 65,535 hashes to the JS scanner (the count shares a word with a flag)', () => {
    const hashes: JsonObject = {};
    for (let i = 0; i < 65_536; i++) hashes[`h${String(i).padStart(5, '0')}`] = '';
    const bytes = signedFile({ ...targetsSigned(0, mulberry32(1)), targets: { a: { hashes, length: 1 }, b: { hashes: { sha256: 'ab' }, length: 2 } } }, keyid);
    expect(wasmAccepts(bytes)).toBe(false);
    const js = scanCanonicalTargetsJs(bytes, { wantHashes: true });
    expect(js?.paths).toEqual(['a', 'b']);
    expect(scanCanonicalTargets(bytes, { wantHashes: true })).toEqual(js);
  });

  it('refuses what the JS scanner refuses', () => {
    const rand = mulberry32(7);
    const base = targetsSigned(3, rand);
    const refused: JsonObject[] = [
      { ...base, delegations: { keys: {}, roles: [{ keyids: [], name: 'x', paths: ['*'], terminating: false, threshold: 1 }] } },
      { ...base, x_custom: 1 },
      { ...base, targets: { a: { custom: { k: 1 }, hashes: { sha256: 'ab' }, length: 1 } } },
      { ...base, targets: { '12': { hashes: { sha256: 'ab' }, length: 1 } } },
      { ...base, targets: { '0': { hashes: { sha256: 'ab' }, length: 1 } } },
      { ...base, targets: { a: { hashes: { sha256: 'AB' }, length: 1 } } },
      { ...base, targets: { a: { hashes: { sha256: 'abc' }, length: 1 } } },
      { ...base, targets: { a: { hashes: { sha256: 'ag' }, length: 1 } } },
      { ...base, targets: { 'a"b': { hashes: { sha256: 'ab' }, length: 1 } } },
      { ...base, targets: { 'a\\b': { hashes: { sha256: 'ab' }, length: 1 } } },
      { ...base, targets: { 'a\u0001': { hashes: { sha256: 'ab' }, length: 1 } } },
      { ...base, targets: { é: { hashes: { sha256: 'ab' }, length: 1 } } },
      { ...base, targets: { a: { hashes: {}, length: 1 } } },
      { ...base, expires: '2030-13-01T00:00:00Z' },
      { ...base, spec_version: '2.0.0' },
      { ...base, version: 0 },
    ];
    refused.forEach((signed, i) => expect(expectSameAsJs(signedFile(signed, keyid)), `case ${i}`).toBe('neither'));
    // Edits the canonical writer will not make: a hash named __proto__, lengths out of range or not canonical.
    const text = new TextDecoder().decode(signedFile({ ...base, targets: { a: { hashes: { sha256: 'ab' }, length: 1 } } }, keyid));
    for (const [from, to] of [
      ['"sha256":', '"__proto__":"00","sha256":'],
      ['"length":1}', '"length":9007199254740992}'],
      ['"length":1}', '"length":12345678901234567}'],
      ['"length":1}', '"length":01}'],
      ['"length":1}', '"length":-1}'],
      ['"length":1}', '"length":1.0}'],
    ]) {
      expect(expectSameAsJs(enc.encode(text.replace(from!, to!))), to).toBe('neither');
    }
    expect(expectSameAsJs(enc.encode(JSON.stringify({ signatures: [], signed: base }, null, 1)))).toBe('neither');
  });

  it.each([
    ['without delegations', {}],
    ['with empty delegations', { delegations: { keys: {}, roles: [] } }],
  ] as Array<[string, JsonObject]>)('agrees with the JS scanner on 3,000 mutated files (%s)', (_name, extra) => {
    const rand = mulberry32(3030);
    const bytes = signedFile(targetsSigned(6, rand, extra), keyid, 2);
    let both = 0;
    for (let n = 0; n < 3000; n++) if (expectSameAsJs(mutate(bytes, rand)) === 'both') both++;
    expect(both).toBeGreaterThan(100);
  });

  it.skipIf(!haveFixtures)(`agrees with the JS scanner on every fixture JSON file ${SKIP_REASON}`, () => {
    const files = jsonFilesUnder(fixturesDir);
    expect(files.size).toBeGreaterThan(0);
    for (const [, bytes] of files) expectSameAsJs(bytes);
  });
});

describe('hash-bin placement in WebAssembly', () => {
  it('matches node:crypto’s SHA-256 for paths of every length across block boundaries, in mixed lane groups', () => {
    const rand = mulberry32(256);
    // Lengths 1..200 (one to four blocks); the canonical writer sorts them by index, so the lane
    // groups of four around 56, 120 and 184 bytes hold paths of different block counts.
    const paths = Array.from({ length: 200 }, (_, i) => `p${String(i).padStart(3, '0')}/${'x'.repeat(i)}`.slice(0, i + 1));
    const unique = [...new Set(paths)];
    const bytes = fileWithPaths(unique, rand);
    const sorted = [...unique].sort();
    const chosen = sorted.filter((_, i) => i % 3 === 0);
    for (const nibbles of [64, 8, 1]) {
      const prefixes = chosen.map((p) => sha256Hex(p).slice(0, nibbles));
      const r = scanWithWasm({ bytes, end: bytes.length, emitTargets: true, prefixes });
      expect(r).not.toBeNull();
      // Expected from node:crypto: admitted when the digest starts with any prefix.
      const expected = sorted.map((p) => prefixes.some((x) => sha256Hex(p).startsWith(x)));
      const admitted: boolean[] = [];
      let w = 0;
      for (let t = 0; t < r!.count; t++) {
        const info = r!.records[w + 2]!;
        admitted.push((info & 0x10000) !== 0);
        w += 3 + 4 * (info & 0xffff);
      }
      expect(admitted).toEqual(expected);
      expect(r!.admitted).toBe(expected.filter(Boolean).length);
    }
  });

  it('gives verifyLeafRole the facts of the JS path: prefixes of every form, unsafe and outside paths, rows or not', () => {
    const rand = mulberry32(99);
    const base = targetsSigned(300, rand);
    const targets = base['targets'] as JsonObject;
    for (const p of ['../evil.whl', '/abs.whl', 'C:/win.whl', 'a/../b.whl', 'a..b.whl', '', 'x/..']) targets[p] = { hashes: { sha256: 'ab' }, length: 1 };
    const keys = new Map<string, Key>([[keyid, testKey()]]);
    const first = Object.keys(targets).sort()[0]!;
    // 300 three-nibble prefixes: more than a byte can count (the module takes the count as a word).
    const many = Array.from({ length: 300 }, (_, i) => (0x700 + i).toString(16));
    const prefixSets: string[][] = [['0'], ['8', 'a'], ['F', 'c'], [''], ['zz'], ['0'.repeat(65)], [sha256Hex(first)], [sha256Hex(first).toUpperCase()], [], ['1', '2', '3', '4', '5', '6', '7'], many];
    const files = [signedFile(base, keyid), signedFile(base, 'ff'.repeat(32)), signedFile({ ...base, version: 3 }, keyid, 2)];
    for (const prefixes of prefixSets) {
      for (const file of files) {
        for (const wantRows of [true, false]) {
          const task: LeafRoleTask = { dialect: 'tuf-1.0', delegation: bin(prefixes), index: 0, keys, limits: DEFAULT_LIMITS, wantSha512: false, wantRows };
          expect(scanHashBinWithWasm(file, task.delegation, wantRows), `prefixes ${prefixes.join(',')}`).not.toBeNull();
          expect(verifyLeafRole(file, task, crypto)).toEqual(verifyLeafRole(file, { ...task, fastScan: false }, crypto));
        }
      }
    }
    // Path patterns and a delegation with neither field are left to the JS scan, with the same facts.
    for (const delegation of [bin(null, ['packages/*']), bin(null)]) {
      const task: LeafRoleTask = { dialect: 'tuf-1.0', delegation, index: 0, keys, limits: DEFAULT_LIMITS, wantSha512: false, wantRows: true };
      expect(scanHashBinWithWasm(files[0]!, delegation, true) === null).toBe(delegation.paths !== null);
      expect(verifyLeafRole(files[0]!, task, crypto)).toEqual(verifyLeafRole(files[0]!, { ...task, fastScan: false }, crypto));
    }
  });
});

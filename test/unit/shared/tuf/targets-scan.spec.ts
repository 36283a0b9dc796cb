import { describe, expect, it } from 'vitest';

import { NodeCryptoProvider } from '../../../../electron/core/crypto/node-crypto-provider';
import { DEFAULT_LIMITS } from '../../../../shared/inspection/context';
import { verifyLeafRole, type LeafRoleTask } from '../../../../shared/inspection/leaf-role';
import { canonicalize } from '../../../../shared/tuf/canonical-json';
import { parseMetadata } from '../../../../shared/tuf/metadata';
import type { DelegatedRole, JsonObject, Key } from '../../../../shared/tuf/model';
import { scanCanonicalTargets, type ScannedTargets } from '../../../../shared/tuf/targets-scan';
import { mulberry32 } from '../../../support/prng';
import { haveFixtures, jsonFilesUnder, fixturesDir, SKIP_REASON } from './support/fixtures';
import { keyid, keyJson, mutate, signedFile, targetsSigned, testKey } from './support/targets-files';

/**
 * The canonical byte scanner must never disagree with parseMetadata: on every input it either
 * returns exactly the facts the model gives, or null (the caller then takes the slow path).
 */

const crypto = new NodeCryptoProvider();
const enc = new TextEncoder();

/** The facts the slow path gives, in the scanner's shape. */
function slowFacts(bytes: Uint8Array): Omit<ScannedTargets, 'hashes'> & { hashes: Array<Record<string, string>> } {
  const env = parseMetadata(bytes, { expectedType: 'targets', dialect: 'tuf-1.0' });
  const s = env.signed;
  const files = [...s.targets.values()];
  return {
    signedRange: env.signedRange,
    signatures: env.signatures,
    version: s.version,
    expires: s.expires,
    expiresAt: s.expiresAt,
    expiresStrict: s.expiresStrict,
    specVersion: s.specVersion!,
    paths: files.map((f) => f.path),
    lengths: files.map((f) => f.length),
    hashes: files.map((f) => ({ ...f.hashesHex })),
    // The scanner accepts only empty delegations: then the model's must be empty too.
    emptyDelegations:
      s.delegations !== null && s.delegations.keys.size === 0 && s.delegations.roles.length === 0 && Object.keys(s.delegations.unrecognized).length === 0,
  };
}

function slowOrNull(bytes: Uint8Array): ReturnType<typeof slowFacts> | null {
  try {
    return slowFacts(bytes);
  } catch {
    // A file the model refuses: the scanner must then refuse it too (checked by the caller).
    return null;
  }
}

function expectAgrees(bytes: Uint8Array): 'fast' | 'fallback' {
  const fast = scanCanonicalTargets(bytes, { wantHashes: true });
  if (fast === null) return 'fallback';
  const slow = slowOrNull(bytes);
  expect(slow, 'scanner accepted a file the model rejects').not.toBeNull();
  expect({ ...fast, hashes: fast.hashes!.map((h) => ({ ...h })) }).toEqual(slow);
  return 'fast';
}

describe('scanCanonicalTargets', () => {
  it('equals the parseMetadata facts on generated canonical targets files', () => {
    const rand = mulberry32(458);
    for (const count of [0, 1, 2, 139, 1000]) {
      const bytes = signedFile(targetsSigned(count, rand), keyid, 1 + (count % 3));
      expect(expectAgrees(bytes)).toBe('fast');
    }
  });

  it('falls back on shapes it does not handle, and the slow path decides', () => {
    const rand = mulberry32(7);
    const base = targetsSigned(3, rand);
    const cases: Array<[string, Uint8Array]> = [
      ['delegations', signedFile({ ...base, delegations: { keys: {}, roles: [{ keyids: [], name: 'x', paths: ['*'], terminating: false, threshold: 1 }] } }, keyid)],
      ['delegation keys', signedFile({ ...base, delegations: { keys: { [keyid]: keyJson }, roles: [] } }, keyid)],
      ['delegations field', signedFile({ ...base, delegations: { keys: {}, roles: [], x: 1 } }, keyid)],
      ['unknown field', signedFile({ ...base, x_custom: 1 }, keyid)],
      ['custom', signedFile({ ...base, targets: { a: { custom: { k: 1 }, hashes: { sha256: 'ab' }, length: 1 } } }, keyid)],
      ['integer-like path', signedFile({ ...base, targets: { '12': { hashes: { sha256: 'ab' }, length: 1 }, a: { hashes: { sha256: 'ab' }, length: 1 } } }, keyid)],
      ['upper-case hex', signedFile({ ...base, targets: { a: { hashes: { sha256: 'AB' }, length: 1 } } }, keyid)],
      ['escaped path', signedFile({ ...base, targets: { 'a"b': { hashes: { sha256: 'ab' }, length: 1 } } }, keyid)],
      ['non-ASCII path', signedFile({ ...base, targets: { 'é': { hashes: { sha256: 'ab' }, length: 1 } } }, keyid)],
      ['empty hashes', signedFile({ ...base, targets: { a: { hashes: {}, length: 1 } } }, keyid)],
      ['bad expires', signedFile({ ...base, expires: '2030-13-01T00:00:00Z' }, keyid)],
      ['version 0', signedFile({ ...base, version: 0 }, keyid)],
      ['whitespace', enc.encode(JSON.stringify({ signatures: [], signed: base }, null, 1))],
      ['signed first', enc.encode(`{"signed":${new TextDecoder().decode(canonicalize(base))},"signatures":[]}`)],
    ];
    for (const [name, bytes] of cases) {
      expect(scanCanonicalTargets(bytes), name).toBeNull();
    }
    // Trailing whitespace, an empty signature list and empty delegations are fine.
    expect(expectAgrees(signedFile({ ...base, delegations: { keys: {}, roles: [] } }, keyid))).toBe('fast');
    expect(scanCanonicalTargets(signedFile({ ...base, delegations: { keys: {}, roles: [] } }, keyid))?.emptyDelegations).toBe(true);
    const plain = signedFile(base, keyid);
    expect(expectAgrees(new Uint8Array([...plain, 0x0a]))).toBe('fast');
    expect(expectAgrees(enc.encode(`{"signatures":[],"signed":${new TextDecoder().decode(canonicalize(base))}}`))).toBe('fast');
  });

  it.each([
    ['without delegations', {}],
    ['with empty delegations', { delegations: { keys: {}, roles: [] } }],
  ] as Array<[string, JsonObject]>)('never disagrees with the slow path on mutated bytes (2,000 single-byte mutations, %s)', (_name, extra) => {
    const rand = mulberry32(2026);
    const bytes = signedFile(targetsSigned(6, rand, extra), keyid, 2);
    let fast = 0;
    for (let n = 0; n < 2000; n++) {
      const mutated = mutate(bytes, rand);
      if (expectAgrees(mutated) === 'fast') fast++;
    }
    // Mutations inside hex digests, lengths, paths and sigs keep the shape; many are accepted.
    expect(fast).toBeGreaterThan(100);
  });

  it.skipIf(!haveFixtures)(`agrees with parseMetadata on every fixture JSON file ${SKIP_REASON}`, () => {
    // Today's fixtures are Notary-dialect or carry delegations/custom, so all fall back; the
    // point is that none is accepted with facts that differ.
    const files = jsonFilesUnder(fixturesDir);
    expect(files.size).toBeGreaterThan(0);
    for (const [, bytes] of files) expectAgrees(bytes);
  });
});

describe('verifyLeafRole with and without the scanner', () => {
  it('gives identical facts (signatures, rows, outside/unsafe events) on hash-bin roles', () => {
    const rand = mulberry32(99);
    const signed = targetsSigned(300, rand);
    (signed['targets'] as JsonObject)['../evil.whl'] = { hashes: { sha256: 'ab' }, length: 1 };
    const keys = new Map<string, Key>([[keyid, testKey()]]);
    const otherKeyid = 'ff'.repeat(32);
    for (const prefix of ['0', '8', 'f']) {
      const delegation: DelegatedRole = {
        name: `bin-${prefix}`,
        keyids: [keyid],
        threshold: 1,
        paths: null,
        pathHashPrefixes: [prefix, 'a'],
        terminating: false,
        unrecognized: {},
      };
      for (const file of [signedFile(signed, keyid, 1), signedFile(signed, otherKeyid, 1), signedFile({ ...signed, version: 3 }, keyid, 2)]) {
        for (const wantRows of [true, false]) {
          const task: LeafRoleTask = { dialect: 'tuf-1.0', delegation, index: 0, keys, limits: DEFAULT_LIMITS, wantSha512: true, wantRows };
          const fast = verifyLeafRole(file, task, crypto);
          const slow = verifyLeafRole(file, { ...task, fastScan: false }, crypto);
          expect(fast).toEqual(slow);
          expect(scanCanonicalTargets(file)).not.toBeNull();
        }
      }
    }
  });
});

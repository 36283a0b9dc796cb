import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

import { blockingFailures, propose, type RepoState } from '../../../shared/ceremony';
import { toBase64 } from '../../../shared/tuf/encoding';
import { env } from './helpers';

const DIR = path.resolve(import.meta.dirname, '../../../../shared/fixtures/sigstore-root-history');

function stateAt(version: number): RepoState {
  const read = (v: number): string => toBase64(new Uint8Array(readFileSync(path.join(DIR, `${v}.root.json`))));
  return {
    dialect: 'tuf-1.0',
    name: 'sigstore',
    source: { kind: 'tuf-dir', path: DIR },
    files: { root: read(version) },
    rootHistory: Array.from({ length: version }, (_, i) => read(i + 1)),
    serverKeys: {},
    createdAt: env.now.toISOString(),
    nonce: 'ab'.repeat(16),
  };
}

describe.skipIf(!existsSync(DIR))('real history: sigstore root (fixtures/sigstore-root-history)', () => {
  it('root v15 expired on 2026-11-20: a refresh bumps to v16, needs 3 of the same 5 keys, and passes every rule', () => {
    const p = propose(stateAt(15), { kind: 'refresh', roles: ['root'] }, env);
    const root = p.roles[0]!;
    expect(root.version).toBe(16);
    expect(root.requirements.map((r) => [r.label, r.threshold, r.keyids.length])).toEqual([['root v15 and v16 (same keys)', 3, 5]]);
    expect(blockingFailures(p.checks)).toEqual([]);
    expect(p.checks.find((c) => c.code === 'EXPIRED_NOT_BUMPED')?.passed).toBe(true);
    // keys keep their extra fields (x-tuf-on-ci-*, keyid_hash_algorithms): their keyids stay the hash of what is written
    expect(p.checks.filter((c) => c.code === 'KEYID_MISMATCH').every((c) => c.passed)).toBe(true);
    expect(p.diff.map((d) => d.summary)).toContain('root: expires 2026-11-20T13:58:18Z → 2027-11-22T02:00:00Z');
  });

  it('catalogue #3 on real data: re-signing root v11 (keyids ≠ hash of the key, sigstore/root-signing#1431) is blocked', () => {
    const p = propose(stateAt(11), { kind: 'refresh', roles: ['root'] }, env);
    const mismatches = blockingFailures(p.checks).filter((c) => c.code === 'KEYID_MISMATCH');
    expect(mismatches.length).toBeGreaterThan(0);
    expect(mismatches[0]!.message).toMatch(/is not the hash of its key/);
  });
});

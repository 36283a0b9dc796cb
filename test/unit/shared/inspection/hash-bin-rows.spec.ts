import { createHash } from 'node:crypto';

import { describe, expect, it } from 'vitest';

import { buildTufRepo } from '../../../support/repo-builder';
import { generateTufKey } from '../../../support/test-keys';
import { run } from './support/catalogue';

const PATH = 'pkg/a-1.0.tar.gz';
const HASH = createHash('sha256').update(PATH).digest('hex');

// The targets table skips its duplicate-path check only when hash bins provably cannot share a
// path; overlapping prefixes (or a second listing role) must keep "first role in preorder wins".
describe('target rows of hash-bin delegations', () => {
  it('lists a path once when two bins with overlapping prefixes both list it', async () => {
    const key = generateTufKey('ed25519');
    const repo = await buildTufRepo({
      delegations: [
        { name: 'wide', keys: [key], paths: null, pathHashPrefixes: [HASH.slice(0, 1)], targets: { [PATH]: 'x' } },
        { name: 'narrow', keys: [key], paths: null, pathHashPrefixes: [HASH.slice(0, 2)], targets: { [PATH]: 'x' } },
      ],
    });
    const report = run(repo.toRepositoryInput());
    expect(report.targets.map((t) => [t.name, t.role])).toEqual([[PATH, 'wide']]);
  });

  it('lists every path of disjoint bins, each under its own bin', async () => {
    const key = generateTufKey('ed25519');
    const other = 'pkg/b-2.0.tar.gz';
    const otherHash = createHash('sha256').update(other).digest('hex');
    // Two-digit prefixes taken from the paths' own hashes; if they collide the bins overlap, which the first test covers.
    const a = HASH.slice(0, 2);
    const b = otherHash.slice(0, 2) === a ? otherHash.slice(0, 3) : otherHash.slice(0, 2);
    const repo = await buildTufRepo({
      delegations: [
        { name: 'bin-a', keys: [key], paths: null, pathHashPrefixes: [a], targets: { [PATH]: 'x' } },
        { name: 'bin-b', keys: [key], paths: null, pathHashPrefixes: [b], targets: { [other]: 'y' } },
      ],
    });
    const report = run(repo.toRepositoryInput());
    expect(report.findings).toEqual([]);
    expect(report.targets.map((t) => [t.name, t.role]).sort()).toEqual([
      [PATH, 'bin-a'],
      [other, 'bin-b'],
    ]);
  });
});

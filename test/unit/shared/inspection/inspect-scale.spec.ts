import { describe, expect, it } from 'vitest';

import { buildTufRepo } from '../../../support/repo-builder';
import { generateTufKey } from '../../../support/test-keys';
import { run } from './support/catalogue';

// PEP 458-style hash bins: one online key, path_hash_prefixes, every bin listed in snapshot.
// The engine must stay linear in bins x targets (indexed terminating/prefix checks).
describe('hash-bin delegations at scale', () => {
  it('verifies 512 bins with 4 targets each and places every target in its bin', async () => {
    const bins = 512;
    const key = generateTufKey('ed25519');
    const hex = (i: number) => i.toString(16).padStart(3, '0');
    const prefixOf = (i: number) => [hex(i * 8), hex(i * 8 + 1), hex(i * 8 + 2), hex(i * 8 + 3), hex(i * 8 + 4), hex(i * 8 + 5), hex(i * 8 + 6), hex(i * 8 + 7)];
    const delegations = Array.from({ length: bins }, (_, i) => ({ name: `bin-${hex(i)}`, keys: [key], paths: null, pathHashPrefixes: prefixOf(i), terminating: true }));
    const repo = await buildTufRepo({ delegations });
    // Put each of 2,048 paths into the bin its sha256 falls in.
    const { createHash } = await import('node:crypto');
    const perBin = new Map<string, Record<string, string>>();
    for (let n = 0; n < bins * 4; n++) {
      const path = `packages/p${n}/p${n}-1.0.tar.gz`;
      const h = createHash('sha256').update(path).digest('hex');
      const bin = `bin-${hex(Math.floor(parseInt(h.slice(0, 3), 16) / 8))}`;
      perBin.set(bin, { ...(perBin.get(bin) ?? {}), [path]: 'x' });
    }
    const meta = (content: string) => ({ length: content.length, hashes: { sha256: createHash('sha256').update(content).digest('hex') } });
    for (const [bin, files] of perBin) {
      repo.resign(bin, (s) => {
        s['targets'] = Object.fromEntries(Object.entries(files).map(([p, c]) => [p, meta(c)]));
      }, { cascade: false });
    }
    repo.refreshSnapshot();
    repo.refreshTimestamp();
    const t0 = Date.now();
    const report = run(repo.toRepositoryInput());
    const ms = Date.now() - t0;
    expect(report.findings).toEqual([]);
    expect(report.roles.filter((r) => r.kind === 'delegation')).toHaveLength(bins);
    expect(report.targets).toHaveLength(bins * 4);
    expect(report.stats.signaturesVerified).toBe(bins + 4);
    expect(ms).toBeLessThan(5000);
  });
});

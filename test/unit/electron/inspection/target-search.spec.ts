import { describe, expect, it } from 'vitest';

import type { TargetView } from '../../../../shared/inspection/report';
import { filterRows, TargetSearch } from '../../../../electron/core/inspection/target-search';
import { countTurns } from '../../../support/event-loop-turns';

function rows(count: number, tag = 'v1'): TargetView[] {
  return Array.from({ length: count }, (_, i) => ({
    name: `Packages/${tag}/Pkg-${i}.whl`,
    length: i,
    hashes: { sha256: (i * 2654435761).toString(16).padStart(64, '0'), ...(i % 3 === 0 ? { sha512: 'ABCDEF'.repeat(21) } : {}) },
    role: `bins/${i % 5}`,
    signers: i % 2 === 0 ? ['Alice'] : ['bob', 'Carol'],
  }));
}

/** The reference: the whole row, case-folded, searched at once. */
function reference(all: readonly TargetView[], query: string): TargetView[] {
  const needle = query.trim().toLowerCase();
  return all.filter((t) => [t.name, ...Object.values(t.hashes), ...t.signers].some((s) => s.toLowerCase().includes(needle)));
}

describe('TargetSearch', () => {
  const all = rows(40_000);

  it('finds what a whole-row, case-insensitive search finds, page by page', async () => {
    const search = new TargetSearch();
    for (const query of ['pkg-12', '  PKG-3999 ', 'alice', 'CAROL', 'abcdef', '000000000', 'v1/pkg-1', 'nothing-here']) {
      const expected = reference(all, query);
      const first = await search.page('r', all, 0, 100, query);
      const later = await search.page('r', all, 150, 100, query);
      expect(first.total, query).toBe(expected.length);
      expect(first.rows, query).toEqual(expected.slice(0, 100));
      expect(later.rows, query).toEqual(expected.slice(150, 250));
    }
    expect(await search.page('r', all, 39_990, 100)).toEqual({ total: 40_000, offset: 39_990, rows: all.slice(39_990) });
  });

  it('searches the rows once per query while the table scrolls, again for new rows or a new query', async () => {
    const searched: string[] = [];
    const search = new TargetSearch((r, needle) => {
      searched.push(needle);
      return filterRows(r, needle);
    });
    for (let offset = 0; offset < 2000; offset += 200) await search.page('r', all, offset, 200, 'Pkg-1');
    await search.page('other', all, 0, 200, 'pkg-1');
    await search.page('r', all, 0, 200, 'pkg-2');
    const reinspected = rows(100, 'v2');
    expect((await search.page('r', reinspected, 0, 200, 'pkg-2')).rows.every((t) => t.name.startsWith('Packages/v2/'))).toBe(true);
    search.forget('r');
    await search.page('r', reinspected, 0, 200, 'pkg-2');
    expect(searched).toEqual(['pkg-1', 'pkg-1', 'pkg-2', 'pkg-2', 'pkg-2']);
  });

  it('gives the event loop a turn while it searches 100,000 rows', async () => {
    const many = rows(100_000);
    const turns = countTurns();
    const matches = await filterRows(many, 'pkg-9');
    const counted = turns.stop();
    expect(matches).toEqual(reference(many, 'pkg-9'));
    expect(counted).toBeGreaterThanOrEqual(6);
  });
});

import { setImmediate as nextTurn } from 'node:timers/promises';

import type { TargetView } from '../../../shared/inspection/report';

export interface TargetPage {
  total: number;
  offset: number;
  rows: TargetView[];
}

/** Rows searched per event-loop turn: ~5 ms of work, so other IPC calls wait at most that long. */
const ROWS_PER_TURN = 16_384;

/** The filter's text: trimmed, case-insensitive; empty means no filter. */
export function normalizeQuery(query: string | undefined): string {
  return query?.trim().toLowerCase() ?? '';
}

/** A case-insensitive substring match over name, digests and signers. */
export function rowMatches(row: TargetView, needle: string): boolean {
  if (row.name.toLowerCase().includes(needle)) return true;
  for (const key in row.hashes) if (row.hashes[key]?.toLowerCase().includes(needle)) return true;
  for (const signer of row.signers) if (signer.toLowerCase().includes(needle)) return true;
  return false;
}

/** The matching rows, searched a slice per event-loop turn (262,144 rows take ~150 ms in all). */
export async function filterRows(rows: readonly TargetView[], needle: string): Promise<TargetView[]> {
  const matches: TargetView[] = [];
  for (let start = 0; start < rows.length; start += ROWS_PER_TURN) {
    if (start > 0) await nextTurn();
    const end = Math.min(rows.length, start + ROWS_PER_TURN);
    for (let i = start; i < end; i++) {
      const row = rows[i] as TargetView;
      if (rowMatches(row, needle)) matches.push(row);
    }
  }
  return matches;
}

interface Search {
  rows: readonly TargetView[];
  needle: string;
  matches: Promise<TargetView[]>;
}

/**
 * Pages of a repository's targets under a filter. Scrolling a filtered table asks for page after
 * page with the same query: the matches of the latest query of each repository are kept, so only
 * the first page of a query searches the rows (PEP 458 scale: 262,144 rows per search).
 */
export class TargetSearch {
  private readonly latest = new Map<string, Search>();

  constructor(private readonly filter: (rows: readonly TargetView[], needle: string) => Promise<TargetView[]> = filterRows) {}

  async page(id: string, rows: readonly TargetView[], offset: number, limit: number, query?: string): Promise<TargetPage> {
    const needle = normalizeQuery(query);
    if (needle === '') return { total: rows.length, offset, rows: rows.slice(offset, offset + limit) };
    let search = this.latest.get(id);
    if (search === undefined || search.rows !== rows || search.needle !== needle) {
      search = { rows, needle, matches: this.filter(rows, needle) };
      this.latest.set(id, search);
    }
    const matches = await search.matches;
    return { total: matches.length, offset, rows: matches.slice(offset, offset + limit) };
  }

  forget(id: string): void {
    this.latest.delete(id);
  }
}

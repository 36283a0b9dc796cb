import { useVirtualizer } from '@tanstack/react-virtual';
import { type ReactElement, useEffect, useId, useRef, useState } from 'react';

import { ErrorAlert } from '../../../components/alert';
import { Icon } from '../../../components/icons';
import { formatNumber } from '../../../lib/format';
import { targetAt, useTargetsStore } from '../../../stores/targets-store';
import { useDebouncedValue } from '../hooks/use-debounced-value';
import { TargetRow } from './target-row';

const ROW_HEIGHT = 36;
const COLUMNS = ['Tag / path', 'Digest (sha256)', 'Size', 'Signers', 'Role'] as const;

/**
 * Targets, virtualized: only visible rows are in the DOM and rows arrive from main a page at a
 * time, so 100,000 targets scroll as smoothly as ten.
 */
export function TargetsTable({ repoId, total: repoTotal }: { repoId: string; total: number }): ReactElement {
  const open = useTargetsStore((s) => s.open);
  const setQuery = useTargetsStore((s) => s.setQuery);
  const ensureRange = useTargetsStore((s) => s.ensureRange);
  const total = useTargetsStore((s) => s.total);
  const pages = useTargetsStore((s) => s.pages);
  const error = useTargetsStore((s) => s.error);
  const storeQuery = useTargetsStore((s) => s.query);
  const [search, setSearch] = useState(storeQuery);
  const query = useDebouncedValue(search.trim(), 250);
  const scrollRef = useRef<HTMLDivElement>(null);
  const searchId = useId();

  useEffect(() => {
    open(repoId);
  }, [open, repoId]);
  useEffect(() => {
    setQuery(query);
  }, [setQuery, query]);

  // Rows the table holds without a filter. A PEP 458-scale report keeps only its first rows
  // (`targetsTotal` counts them all): the filter then searches the held rows, and says so.
  // `storeQuery` is the query `total` was computed for (the debounced input may be ahead of it).
  const [heldRows, setHeldRows] = useState<{ repoId: string; rows: number } | null>(null);
  useEffect(() => {
    if (storeQuery === '' && total !== null) setHeldRows({ repoId, rows: total });
  }, [storeQuery, total, repoId]);
  const held = heldRows?.repoId === repoId ? heldRows.rows : null;
  const capped = held !== null && repoTotal > held;
  const count = total ?? 0;
  const virtualizer = useVirtualizer({
    count,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    // Rows are fixed-height and cheap: a small overscan halves the DOM rows per scrolled frame.
    overscan: 4,
  });
  const items = virtualizer.getVirtualItems();
  const first = items[0]?.index ?? 0;
  const last = items[items.length - 1]?.index ?? 0;

  useEffect(() => {
    if (count > 0) ensureRange(first, last + 1);
  }, [ensureRange, first, last, count]);

  useEffect(() => {
    scrollRef.current?.scrollTo({ top: 0 });
  }, [query]);

  return (
    <div>
      <div className="toolbar">
        <label htmlFor={searchId} className="visually-hidden">
          Filter targets
        </label>
        <input
          id={searchId}
          className="input"
          type="search"
          value={search}
          onChange={(e) => setSearch(e.target.value)}
          placeholder="Filter by tag, digest or signer"
        />
        <span className="muted" role="status" aria-live="polite" data-testid="targets-count">
          {total === null
            ? 'Loading targets…'
            : query === ''
              ? capped
                ? `${formatNumber(repoTotal)} targets; the table holds the first ${formatNumber(total)}`
                : `${formatNumber(total)} targets`
              : capped
                ? `${formatNumber(total)} of the first ${formatNumber(held)} targets match “${query}”`
                : `${formatNumber(total)} of ${formatNumber(repoTotal)} targets match “${query}”`}
        </span>
      </div>
      {error === null ? null : <ErrorAlert title="Targets could not be loaded" error={error} />}
      <div className="vgrid" role="table" aria-label="Targets" aria-rowcount={count + 1}>
        <div role="rowgroup">
          <div className="vgrid-row vgrid-head" role="row" aria-rowindex={1}>
            {COLUMNS.map((c) => (
              <span key={c} role="columnheader" className={c === 'Size' ? 'num' : undefined}>
                {c}
              </span>
            ))}
          </div>
        </div>
        <div className="vgrid-body" ref={scrollRef} role="rowgroup" tabIndex={0} aria-label="Target rows, scrollable" data-testid="targets-scroll">
          {total === 0 ? (
            <p className="vgrid-placeholder vgrid-row">
              <Icon name="search" className="visually-hidden" />
              {query === '' ? 'This repository has no targets.' : 'No targets match the filter.'}
            </p>
          ) : null}
          <div style={{ height: virtualizer.getTotalSize() }}>
            {items.map((item) => (
              // Keyed by slot (index modulo the window size): a contiguous window maps onto the same
              // keys at any scroll position, so React updates the rows' text instead of mounting
              // and unmounting a screenful of elements on every scrolled frame.
              <TargetRow key={item.index % items.length} index={item.index} start={item.start} target={targetAt(pages, item.index)} />
            ))}
          </div>
        </div>
      </div>
    </div>
  );
}

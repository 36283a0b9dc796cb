import type { ReactElement, ReactNode } from 'react';

/**
 * A wide table's scroll container. It is a labelled, focusable region so keyboard users can
 * scroll it too (WCAG 2.1.1; axe `scrollable-region-focusable`).
 */
export function ScrollRegion({ label, children }: { label: string; children: ReactNode }): ReactElement {
  return (
    <div className="table-wrap" role="region" aria-label={label} tabIndex={0}>
      {children}
    </div>
  );
}

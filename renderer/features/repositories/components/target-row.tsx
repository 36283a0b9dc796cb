import { memo, type ReactElement } from 'react';

import type { TargetView } from '../../../../shared/inspection/report';
import { formatBytes } from '../../../lib/format';

interface TargetRowProps {
  index: number;
  start: number;
  target: TargetView | undefined;
}

/**
 * One virtualized row. Memoized: while scrolling, only rows that enter the window render;
 * the rest keep their DOM. The offset is applied via element.style (CSSOM), which CSP allows.
 */
export const TargetRow = memo(function TargetRow({ index, start, target }: TargetRowProps): ReactElement {
  const digest = target?.hashes['sha256'];
  return (
    <div className="vgrid-row" role="row" aria-rowindex={index + 2} style={{ transform: `translateY(${start}px)` }}>
      {target === undefined ? (
        <span role="cell" className="vgrid-placeholder">
          Loading…
        </span>
      ) : (
        <>
          <span role="cell" className="mono" title={target.name}>
            {target.name}
          </span>
          <span role="cell" className="mono" title={digest}>
            {digest ?? '—'}
          </span>
          <span role="cell" className="num">
            {formatBytes(target.length)}
          </span>
          <span role="cell" title={target.signers.join(', ')}>
            {target.signers.join(', ')}
          </span>
          <span role="cell" className="mono">
            {target.role}
          </span>
        </>
      )}
    </div>
  );
});

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
  const signers = target?.signers.join(', ');
  // `contain: strict` (the row has a fixed size): a row's text changing never lays out or repaints
  // anything outside it, which is most of a frame's cost in software-rendered Chromium.
  return (
    <div className="vgrid-row" role="row" aria-rowindex={index + 2} style={{ transform: `translateY(${start}px)`, contain: 'strict' }}>
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
          <span role="cell" title={signers}>
            {signers}
          </span>
          <span role="cell" className="mono">
            {target.role}
          </span>
        </>
      )}
    </div>
  );
});

import type { ReactElement } from 'react';

import type { RootStep } from '../../../../shared/inspection/report';
import { Alert } from '../../../components/alert';
import { formatDate, plural, shortId } from '../../../lib/format';

function Ratio({ label, value, version }: { label: string; value: { valid: number; required: number } | null; version: number }): ReactElement {
  if (value === null) return <span className="muted">{label}: {version === 1 ? 'none (first root)' : 'earlier root not in this source'}</span>;
  const met = value.valid >= value.required;
  return (
    <span className={`badge tone-${met ? 'ok' : 'err'}`}>
      {label}: {value.valid}/{value.required} {met ? 'met' : 'NOT met'}
    </span>
  );
}

/** Each root version with what changed and who signed it: the chain a client walks on update. */
export function RootHistory({ steps }: { steps: readonly RootStep[] }): ReactElement {
  if (steps.length === 0) return <p className="muted">The source holds no root history beyond the current root.</p>;
  const broken = steps.filter((s) => !s.ok).length;
  return (
    <div className="stack">
      {broken === 0 ? (
        <Alert tone="ok" title={`Root chain verified: ${steps.length} version${steps.length === 1 ? '' : 's'}`} />
      ) : (
        <Alert tone="err" title={`${broken} step${broken === 1 ? '' : 's'} of the root chain failed`} />
      )}
      <ol className="history-list" aria-label="Root versions">
        {steps.map((step) => (
          <li key={step.version} className="card history-step" data-version={step.version}>
            <span className={`history-version tone-${step.ok ? 'ok' : 'err'}`} aria-label={`Version ${step.version}, ${step.ok ? 'verified' : 'failed'}`}>
              v{step.version}
            </span>
            <div className="stack">
              <div className="row">
                <span className={`badge tone-${step.ok ? 'ok' : 'err'}`}>{step.ok ? 'OK' : 'Failed'}</span>
                <span>
                  Threshold{' '}
                  {step.previousThreshold === null || step.previousThreshold === step.threshold
                    ? step.threshold
                    : `${step.previousThreshold} → ${step.threshold}`}
                </span>
                <span className="muted">
                  · {plural(step.keyids.length, 'key')} · expires {formatDate(step.expires)}
                </span>
              </div>
              <div className="row">
                <Ratio label="Signed by previous root" value={step.signedByPrevious} version={step.version} />
                <Ratio label="Signed by itself" value={step.signedBySelf} version={step.version} />
              </div>
              {step.added.length === 0 && step.removed.length === 0 ? null : (
                <div>
                  {step.added.map((id) => (
                    <span key={`a-${id}`} className="key-chip added" title={id}>
                      + {shortId(id)}
                    </span>
                  ))}
                  {step.removed.map((id) => (
                    <span key={`r-${id}`} className="key-chip removed" title={id}>
                      − {shortId(id)}
                    </span>
                  ))}
                </div>
              )}
              {step.errors.length === 0 ? null : (
                <ul className="muted">
                  {step.errors.map((e) => (
                    <li key={e}>{e}</li>
                  ))}
                </ul>
              )}
            </div>
          </li>
        ))}
      </ol>
    </div>
  );
}

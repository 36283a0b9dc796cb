import type { ReactElement } from 'react';

import type { Job } from '../../../stores/repositories-store';

const PHASE_LABEL = {
  fetching: 'Fetching metadata',
  parsing: 'Parsing',
  verifying: 'Verifying signatures',
  saving: 'Saving to the workspace',
  done: 'Done',
  failed: 'Failed',
  cancelled: 'Cancelled',
} as const;

/** Phase, done/total bar and the Cancel button of a running add or re-inspect job. */
export function JobProgress({ job, onCancel }: { job: Job; onCancel: () => void }): ReactElement {
  const p = job.progress;
  const phase = p === null ? 'Starting' : PHASE_LABEL[p.phase];
  const determinate = p !== null && p.total > 0;
  return (
    <div className="progress" role="group" aria-label={`${job.label} progress`}>
      <div className="progress-row">
        <strong>{job.label}</strong>
        <span className="muted" aria-live="polite" data-testid="job-phase">
          {phase}
          {determinate ? ` — ${p.done} of ${p.total}` : ''}
        </span>
      </div>
      <div className="progress-row">
        {determinate ? (
          <progress max={p.total} value={p.done} aria-label={phase} />
        ) : (
          <progress aria-label={phase} />
        )}
        <button type="button" className="button small" onClick={onCancel}>
          Cancel
        </button>
      </div>
      {p?.message === undefined ? null : <p className="muted">{p.message}</p>}
    </div>
  );
}

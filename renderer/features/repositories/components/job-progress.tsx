import { useRef, type ReactElement } from 'react';

import type { Job } from '../../../stores/repositories-store';

type Phase = NonNullable<Job['progress']>['phase'];

const PHASE_LABEL: Record<Phase, string> = {
  fetching: 'Fetching metadata',
  parsing: 'Parsing',
  verifying: 'Verifying signatures',
  saving: 'Saving to the workspace',
  done: 'Done',
  failed: 'Failed',
  cancelled: 'Cancelled',
};

/**
 * Each phase owns a slice of one bar, so the bar only moves forward: each phase's own done/total
 * restarts at 0 (verifying counts files from 0 after fetching counted them), which on one bar
 * per phase looked like progress jumping back. Verifying is by far the longest at scale.
 */
const PHASE_SPAN: Record<Phase, readonly [number, number]> = {
  fetching: [0, 0.2],
  parsing: [0.2, 0.25],
  verifying: [0.25, 0.95],
  saving: [0.95, 1],
  done: [1, 1],
  failed: [1, 1],
  cancelled: [1, 1],
};

const STEPS: readonly Phase[] = ['fetching', 'parsing', 'verifying', 'saving'];
const BAR_MAX = 1000;

/** Where the job is on its one bar, 0..1 (a phase without a total sits at its start). */
export function overallFraction(progress: Job['progress']): number {
  if (progress === null) return 0;
  const [from, to] = PHASE_SPAN[progress.phase];
  const within = progress.total > 0 ? Math.min(1, Math.max(0, progress.done / progress.total)) : 0;
  return from + within * (to - from);
}

/** Phase, one forward-only bar over all phases, and the Cancel button of a running add or re-inspect job. */
export function JobProgress({ job, onCancel }: { job: Job; onCancel: () => void }): ReactElement {
  const p = job.progress;
  const phase = p === null ? 'Starting' : PHASE_LABEL[p.phase];
  const step = p === null ? -1 : STEPS.indexOf(p.phase);
  // Never move back within one job (a late progress event of an earlier phase included).
  const furthest = useRef({ jobId: job.jobId, value: 0 });
  if (furthest.current.jobId !== job.jobId) furthest.current = { jobId: job.jobId, value: 0 };
  furthest.current.value = Math.max(furthest.current.value, Math.round(overallFraction(p) * BAR_MAX));
  const counted = p !== null && p.total > 0;
  return (
    <div className="progress" role="group" aria-label={`${job.label} progress`}>
      <div className="progress-row">
        <strong>{job.label}</strong>
        <span className="muted" aria-live="polite" data-testid="job-phase">
          {step >= 0 ? `Step ${step + 1} of ${STEPS.length}: ` : ''}
          {phase}
          {counted ? ` — ${p.done.toLocaleString('en')} of ${p.total.toLocaleString('en')}` : ''}
        </span>
      </div>
      <div className="progress-row">
        {p === null ? (
          <progress aria-label={phase} />
        ) : (
          <progress max={BAR_MAX} value={furthest.current.value} aria-label={`${job.label}: ${phase}`} />
        )}
        <button type="button" className="button small" onClick={onCancel}>
          Cancel
        </button>
      </div>
      {p?.message === undefined ? null : <p className="muted">{p.message}</p>}
    </div>
  );
}

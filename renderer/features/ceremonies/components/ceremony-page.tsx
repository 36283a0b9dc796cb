import { type ReactElement, useState } from 'react';

import { Alert, ErrorAlert } from '../../../components/alert';
import { useCeremoniesStore } from '../../../stores/ceremonies-store';
import { ConfirmGate } from './confirm-gate';
import { ExportPanel } from './export-panel';
import { JournalHead } from './journal-head';
import { PHASE_LABEL, PHASE_TONE } from './names';
import { ProgressPanel } from './progress-panel';
import { ResumeButton } from './resume-button';
import { ReviewPanel } from './review-panel';
import { SignPanel } from './sign-panel';

const STEPS = ['Review', 'Confirm', 'Sign', 'Finalize and export'] as const;

/** One ceremony: review → "Yes" gate → sign with each token → finalize → export, resumable at any step. */
export function CeremonyPage({ id, onBack }: { id: string; onBack: () => void }): ReactElement {
  const detail = useCeremoniesStore((s) => s.detail);
  const detailError = useCeremoniesStore((s) => s.detailError);
  const confirm = useCeremoniesStore((s) => s.confirm);
  const abort = useCeremoniesStore((s) => s.abort);
  const [aborting, setAborting] = useState(false);

  const current = detail?.summary.id === id ? detail : null;
  const phase = current?.summary.phase ?? null;
  // 0 review … 3 finalize/export; 4 once exported (every step done).
  const step = current === null ? 0 : phase === 'exported' ? 4 : !current.confirmed ? 1 : current.finalizedRoles.length === 0 && !current.summary.complete ? 2 : 3;
  const closed = phase === 'aborted';

  return (
    <section aria-labelledby="page-title" className="ceremony-page">
      <div className="page-header">
        <div>
          <button type="button" className="link-button back-link" onClick={onBack}>
            ← All ceremonies
          </button>
          <h1 id="page-title" tabIndex={-1}>
            {current === null ? 'Ceremony' : `${current.summary.kind} · ${current.summary.repository}`}
          </h1>
          {current === null ? null : (
            <p>
              <span className={`badge ${PHASE_TONE[current.summary.phase] ?? ''}`} data-testid="ceremony-phase">
                {PHASE_LABEL[current.summary.phase] ?? current.summary.phase}
              </span>{' '}
              <span className="mono muted">{current.summary.id}</span>
            </p>
          )}
        </div>
        {current !== null && !closed && phase !== 'exported' ? (
          <div className="row">
            <ResumeButton id={id} />
            <button type="button" className="button danger" onClick={() => setAborting(true)}>
              Abort…
            </button>
          </div>
        ) : null}
      </div>
      {detailError === null ? null : <ErrorAlert title="The ceremony could not be read" error={detailError} />}
      {current === null ? (
        <p className="muted" role="status">
          Reading the journal…
        </p>
      ) : (
        <div className="stack">
          <ol className="ceremony-steps" aria-label="Ceremony steps">
            {STEPS.map((name, i) => (
              <li key={name} className={i < step ? 'step-done' : i === step ? 'step-current' : 'step-todo'} aria-current={i === step ? 'step' : undefined}>
                {name}
              </li>
            ))}
          </ol>
          <JournalHead head={current.summary.journalHead} words={current.summary.journalWords} entries={current.summary.journalEntries} />
          {closed ? <Alert tone="err" title="Aborted">{current.aborted ?? ''}</Alert> : null}
          {current.pendingIntents > 0 ? (
            <Alert tone="warn" title="An interrupted signature">
              The journal shows a signature that was started but not recorded. Signing with that token again finishes it (the same bytes, never different ones).
            </Alert>
          ) : null}
          {aborting ? <AbortForm onCancel={() => setAborting(false)} onAbort={async (reason) => { await abort(id, reason); setAborting(false); }} /> : null}
          <ReviewPanel detail={current} />
          <ProgressPanel detail={current} />
          {closed ? null : !current.confirmed ? (
            <ConfirmGate blocked={current.blocking.length > 0} onConfirm={async (typed) => { const r = await confirm(id, typed); return r.ok ? null : r.error; }} />
          ) : (
            <>
              {current.finalizedRoles.length === 0 ? <SignPanel detail={current} /> : null}
              <ExportPanel detail={current} />
            </>
          )}
        </div>
      )}
    </section>
  );
}

function AbortForm({ onCancel, onAbort }: { onCancel: () => void; onAbort: (reason: string) => Promise<void> }): ReactElement {
  const [reason, setReason] = useState('');
  return (
    <form className="card stack" onSubmit={(e) => { e.preventDefault(); if (reason.trim() !== '') void onAbort(reason.trim()); }}>
      <div className="field">
        <label htmlFor="abort-reason">Why is this ceremony aborted? (journalled)</label>
        <input id="abort-reason" className="input" value={reason} maxLength={500} onChange={(e) => setReason(e.target.value)} />
      </div>
      <div className="row">
        <button type="button" className="button" onClick={onCancel}>
          Keep the ceremony
        </button>
        <button type="submit" className="button danger" disabled={reason.trim() === ''}>
          Abort ceremony
        </button>
      </div>
    </form>
  );
}

import { type FormEvent, type ReactElement, useState } from 'react';

import type { IpcError } from '../../../../shared/ipc/result';
import { Alert, ErrorAlert } from '../../../components/alert';

/** The final gate before any signature: the operator types exactly "Yes" (IANA KSK practice). */
export function ConfirmGate({ blocked, onConfirm }: { blocked: boolean; onConfirm: (typed: string) => Promise<IpcError | null> }): ReactElement {
  const [typed, setTyped] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<IpcError | null>(null);
  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    if (typed !== 'Yes' || busy) return;
    setBusy(true);
    setError(await onConfirm(typed));
    setBusy(false);
  };
  return (
    <section className="card confirm-gate" aria-labelledby="confirm-title">
      <h2 id="confirm-title" className="card-title">
        Confirm
      </h2>
      {blocked ? (
        <Alert tone="err" title="Blocked by failed rule checks">
          Nothing can be signed while a blocking check fails. Start a new ceremony with a corrected plan.
        </Alert>
      ) : (
        <form className="stack" onSubmit={(e) => void submit(e)} noValidate>
          <p>Everyone present has read the changes and the rule checks above. Signing starts after this gate.</p>
          <div className="field">
            <label htmlFor="confirm-yes">Type “Yes” to confirm</label>
            <input id="confirm-yes" className="input confirm-input" autoComplete="off" spellCheck={false} value={typed} onChange={(e) => setTyped(e.target.value)} aria-describedby="confirm-hint" />
            <span className="hint" id="confirm-hint">
              Exactly “Yes”, capital Y. Anything else does not confirm.
            </span>
          </div>
          {error === null ? null : <ErrorAlert title="Not confirmed" error={error} />}
          <div className="row">
            <button type="submit" className="button primary" disabled={typed !== 'Yes' || busy}>
              Confirm and continue to signing
            </button>
          </div>
        </form>
      )}
    </section>
  );
}

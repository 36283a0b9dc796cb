import { type ReactElement, useState } from 'react';

import type { CeremonyDetail } from '../../../../shared/ipc/ceremony';
import type { IpcError } from '../../../../shared/ipc/result';
import { ErrorAlert } from '../../../components/alert';
import { Icon } from '../../../components/icons';
import { useCeremoniesStore } from '../../../stores/ceremonies-store';
import { useKeysStore } from '../../../stores/keys-store';

/** Finalize (thresholds and rules checked again) and export the signed or a partial bundle. */
export function ExportPanel({ detail }: { detail: CeremonyDetail }): ReactElement {
  const finalize = useCeremoniesStore((s) => s.finalize);
  const exportSigned = useCeremoniesStore((s) => s.exportSigned);
  const exportPartial = useCeremoniesStore((s) => s.exportPartial);
  const lastExport = useCeremoniesStore((s) => s.lastExport);
  const pickFile = useKeysStore((s) => s.pickFile);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<IpcError | null>(null);
  const id = detail.summary.id;
  const finalized = detail.finalizedRoles.length > 0;

  const run = async (action: () => Promise<{ ok: true } | { ok: false; error: IpcError }>): Promise<void> => {
    setBusy(true);
    setError(null);
    const result = await action();
    setBusy(false);
    if (!result.ok) setError(result.error);
  };
  const exportTo = (kind: 'signed' | 'partial') =>
    run(async () => {
      const picked = await pickFile({ mode: 'save', title: kind === 'signed' ? 'Save the signed bundle' : 'Save a partial-signature bundle', suggestedName: `${id}.${kind}.bundle` });
      if (!picked.ok) return picked;
      if (picked.value === null) return { ok: true };
      return kind === 'signed' ? exportSigned(id, picked.value.pickId) : exportPartial(id, picked.value.pickId);
    });

  return (
    <section className="card" aria-labelledby="export-title">
      <h2 id="export-title" className="card-title">
        Finalize and export
      </h2>
      {!detail.summary.complete ? <p className="muted">Finalizing needs every threshold met (see Signatures). A partial bundle carries the signatures so far to another sitting.</p> : null}
      <div className="row">
        {detail.summary.complete && !finalized ? (
          <button type="button" className="button primary" disabled={busy} onClick={() => void run(() => finalize(id))}>
            Finalize
          </button>
        ) : null}
        {finalized ? (
          <button type="button" className="button primary" disabled={busy} onClick={() => void exportTo('signed')}>
            <Icon name="bundle" />
            Export signed bundle…
          </button>
        ) : null}
        {!finalized ? (
          <button type="button" className="button" disabled={busy} onClick={() => void exportTo('partial')}>
            Export partial bundle…
          </button>
        ) : null}
      </div>
      {finalized ? <p className="cell-sub">Finalized: {detail.finalizedRoles.join(', ')} (every signature and threshold verified again).</p> : null}
      {lastExport === null ? null : (
        <div className="alert tone-ok" role="status" data-testid="export-result">
          <Icon name="check" />
          <div>
            <strong>Bundle written</strong>
            <p>
              {lastExport.displayPath}
              <br />
              <span className="mono">SHA-256 {lastExport.sha256}</span>
            </p>
          </div>
        </div>
      )}
      {detail.exported.length > 0 ? (
        <ul className="plain-list cell-sub" aria-label="Exports">
          {detail.exported.map((e) => (
            <li key={`${e.path}-${e.sha256}`}>
              {e.kind} bundle: {e.path} <span className="mono">({e.sha256.slice(0, 16)}…)</span>
            </li>
          ))}
        </ul>
      ) : null}
      {error === null ? null : <ErrorAlert title="Not done" error={error} />}
    </section>
  );
}

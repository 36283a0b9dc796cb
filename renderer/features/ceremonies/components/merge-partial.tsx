import { type ReactElement, useState } from 'react';

import type { CeremonyDetail } from '../../../../shared/ipc/ceremony';
import type { IpcError } from '../../../../shared/ipc/result';
import { ErrorAlert } from '../../../components/alert';
import { Icon } from '../../../components/icons';
import { useCeremoniesStore } from '../../../stores/ceremonies-store';
import { useKeysStore } from '../../../stores/keys-store';

type Signature = CeremonyDetail['signatures'][number];
const sigKey = (s: Signature): string => `${s.role}|${s.version}|${s.keyid}`;

/** "Merge partial bundle…": signatures made at another sitting, each verified again in main; shows what was added. */
export function MergePartial({ detail }: { detail: CeremonyDetail }): ReactElement {
  const mergePartial = useCeremoniesStore((s) => s.mergePartial);
  const pickFile = useKeysStore((s) => s.pickFile);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<IpcError | null>(null);
  const [added, setAdded] = useState<Signature[] | null>(null);

  const merge = async (): Promise<void> => {
    setError(null);
    setAdded(null);
    const picked = await pickFile({ mode: 'open', title: 'Choose a partial-signature bundle' });
    if (!picked.ok) return setError(picked.error);
    if (picked.value === null) return;
    const before = new Set(detail.signatures.map(sigKey));
    setBusy(true);
    const result = await mergePartial(detail.summary.id, picked.value.pickId);
    setBusy(false);
    if (result.ok) setAdded(result.value.signatures.filter((s) => !before.has(sigKey(s))));
    else setError(result.error);
  };

  return (
    <div className="stack merge-partial">
      <div className="row">
        <button type="button" className="button" onClick={() => void merge()} disabled={busy}>
          <Icon name="bundle" />
          {busy ? 'Merging…' : 'Merge partial bundle…'}
        </button>
        <span className="hint">Signatures from another sitting or workstation; each is verified again before it counts.</span>
      </div>
      {added === null ? null : (
        <div className={`alert ${added.length === 0 ? 'tone-info' : 'tone-ok'}`} role="status" data-testid="merge-result">
          <div>
            <strong>{added.length === 0 ? 'Nothing new in that bundle' : `Merged ${added.length} signature${added.length === 1 ? '' : 's'}`}</strong>
            {added.length === 0 ? null : (
              <ul className="plain-list">
                {added.map((s) => (
                  <li key={sigKey(s)}>
                    {s.role} v{s.version} — {s.signerLabel} <span className="mono">({s.keyid.slice(0, 12)}…)</span>
                  </li>
                ))}
              </ul>
            )}
          </div>
        </div>
      )}
      {error === null ? null : <ErrorAlert title="The partial bundle was not merged" error={error} />}
    </div>
  );
}

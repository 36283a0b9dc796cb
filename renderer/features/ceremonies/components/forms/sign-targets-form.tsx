import { type ReactElement, useId, useState } from 'react';

import type { IpcError } from '../../../../../shared/ipc/result';
import { ErrorAlert } from '../../../../components/alert';
import { Icon } from '../../../../components/icons';
import { useKeysStore } from '../../../../stores/keys-store';
import type { TargetChangeDraft } from '../wizard/plan-drafts';
import type { FormProps } from './form-props';

/** sign-targets: targets to add (file hashed in main) or remove, per role; none = the request's own changes. */
export function SignTargetsForm({ request, draft, onChange }: FormProps<'sign-targets'>): ReactElement {
  const id = useId();
  const pickFile = useKeysStore((s) => s.pickFile);
  const [error, setError] = useState<IpcError | null>(null);
  const roles = ['targets', ...request.roles.filter((r) => r.delegatedBy !== null && r.delegatedBy !== 'root').map((r) => r.role)];
  const update = (i: number, change: TargetChangeDraft): void => onChange({ changes: draft.changes.map((c, j) => (j === i ? change : c)) });
  const chooseFile = async (i: number, change: TargetChangeDraft): Promise<void> => {
    setError(null);
    const picked = await pickFile({ mode: 'open', title: 'Choose the target file to add' });
    if (!picked.ok) return setError(picked.error);
    if (picked.value === null) return;
    const fileName = picked.value.displayPath.split(/[\\/]/).pop() ?? picked.value.displayPath;
    update(i, { action: 'add', role: change.role, path: change.path === '' ? fileName : change.path, filePickId: picked.value.pickId, fileName: picked.value.displayPath });
  };
  return (
    <div className="stack">
      <p className="muted">
        {request.targetChanges === 0 ? 'The request carries no target changes: add or remove targets below.' : `The request carries ${request.targetChanges} target change${request.targetChanges === 1 ? '' : 's'}; with no changes listed below, those are signed.`}
      </p>
      <ul className="plain-list target-changes" aria-label="Target changes">
        {draft.changes.map((c, i) => (
          <li key={i} className="card stack">
            <strong>{c.action === 'add' ? `Add target ${i + 1}` : `Remove target ${i + 1}`}</strong>
            <div className="field-grid">
              <div className="field">
                <label htmlFor={`${id}-${i}-role`}>Role</label>
                <select id={`${id}-${i}-role`} className="input" value={c.role} onChange={(e) => update(i, { ...c, role: e.target.value })}>
                  {roles.map((r) => (
                    <option key={r} value={r}>
                      {r}
                    </option>
                  ))}
                </select>
              </div>
              <div className="field">
                <label htmlFor={`${id}-${i}-path`}>Target path (tag)</label>
                <input id={`${id}-${i}-path`} className="input mono" value={c.path} maxLength={1024} onChange={(e) => update(i, { ...c, path: e.target.value })} />
              </div>
            </div>
            <div className="row">
              {c.action === 'add' ? (
                <>
                  <button type="button" className="button small" onClick={() => void chooseFile(i, c)}>
                    <Icon name="folder" />
                    {c.filePickId === '' ? 'Choose file…' : 'Choose another file…'}
                  </button>
                  <span className="hint mono">{c.fileName ?? 'No file chosen: main hashes it (SHA-256, SHA-512, length).'}</span>
                </>
              ) : null}
              <button type="button" className="button small" onClick={() => onChange({ changes: draft.changes.filter((_, j) => j !== i) })} aria-label={`Drop change ${i + 1}`}>
                Drop
              </button>
            </div>
          </li>
        ))}
      </ul>
      <div className="row">
        <button type="button" className="button" onClick={() => onChange({ changes: [...draft.changes, { action: 'add', role: 'targets', path: '', filePickId: '' }] })}>
          <Icon name="plus" />
          Add a target
        </button>
        <button type="button" className="button" onClick={() => onChange({ changes: [...draft.changes, { action: 'remove', role: 'targets', path: '' }] })}>
          Remove a target
        </button>
      </div>
      {error === null ? null : <ErrorAlert title="No file chosen" error={error} />}
    </div>
  );
}

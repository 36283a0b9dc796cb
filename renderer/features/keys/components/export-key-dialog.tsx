import { type FormEvent, type ReactElement, useState } from 'react';

import type { InventoryRow } from '../../../../shared/ipc/custody';
import type { IpcError } from '../../../../shared/ipc/result';
import { ErrorAlert } from '../../../components/alert';
import { Dialog } from '../../../components/dialog';
import { type Picked, useKeysStore } from '../../../stores/keys-store';
import { FilePick } from './file-pick';
import { FormDialogFooter } from './form-dialog-footer';

/** Export a workspace key file: Notary PEM (re-encrypted with its passphrase) or the Keyrite file as is. */
export function ExportKeyDialog({ row, onClose }: { row: InventoryRow; onClose: () => void }): ReactElement {
  const pickFile = useKeysStore((s) => s.pickFile);
  const exportKey = useKeysStore((s) => s.exportKey);
  const [format, setFormat] = useState<'notary' | 'keyrite'>('notary');
  const [picked, setPicked] = useState<Picked | null>(null);
  const [passphrase, setPassphrase] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<IpcError | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const role = row.roles[0] ?? 'key';

  const choose = async (): Promise<void> => {
    setError(null);
    const suggestedName = format === 'notary' ? `${row.id}.key` : `${row.id}.krkey`;
    const result = await pickFile({ mode: 'save', title: 'Export key file to…', suggestedName });
    if (!result.ok) setError(result.error);
    else if (result.value !== null) setPicked(result.value);
  };

  const ready = picked !== null && (format === 'keyrite' || passphrase !== '');
  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    if (!ready || busy || picked === null) return;
    setBusy(true);
    setError(null);
    const entered = passphrase;
    setPassphrase('');
    const result = await exportKey({ keyId: row.id, pickId: picked.pickId, format, ...(format === 'notary' ? { passphrase: entered } : {}) });
    setBusy(false);
    if (result.ok) setDone(`Written to ${result.value.displayPath}.`);
    else setError(result.error);
  };

  return (
    <Dialog
      title={`Export ${role} key ${row.id.slice(0, 12)}`}
      onClose={onClose}
      closable={!busy}
      footer={<FormDialogFooter done={done !== null} busy={busy} ready={ready} onClose={onClose} formId="export-key-form" action="Export" busyAction="Exporting…" />}
    >
      {done !== null ? (
        <p role="status">{done}</p>
      ) : (
        <form id="export-key-form" className="stack" onSubmit={(e) => void submit(e)} noValidate>
          <fieldset className="source-options">
            <legend>Format</legend>
            <label className="source-option">
              <input type="radio" name="format" checked={format === 'notary'} onChange={() => setFormat('notary')} data-autofocus />
              <span>Notary / Docker key file</span>
              <span className="hint">Encrypted PKCS#8 PEM with role and gun headers, for `notary key import`.</span>
            </label>
            <label className="source-option">
              <input type="radio" name="format" checked={format === 'keyrite'} onChange={() => setFormat('keyrite')} />
              <span>Keyrite key file</span>
              <span className="hint">A byte-identical copy of the encrypted workspace file (a backup).</span>
            </label>
          </fieldset>
          <FilePick label="Destination" buttonText="Choose destination…" picked={picked} onChoose={() => void choose()} disabled={busy} hint="An existing file is never overwritten." />
          {format === 'notary' ? (
            <div className="field">
              <label htmlFor="export-passphrase">Key passphrase</label>
              <input id="export-passphrase" className="input" type="password" autoComplete="off" value={passphrase} onChange={(e) => setPassphrase(e.target.value)} disabled={busy} aria-describedby="export-passphrase-hint" />
              <span className="hint" id="export-passphrase-hint">
                Opens the workspace file; the exported file is encrypted with the same passphrase, as notary does.
              </span>
            </div>
          ) : null}
          {error === null ? null : <ErrorAlert title="The key was not exported" error={error} />}
        </form>
      )}
    </Dialog>
  );
}

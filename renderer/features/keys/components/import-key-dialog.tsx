import { type FormEvent, type ReactElement, useState } from 'react';

import type { IpcError } from '../../../../shared/ipc/result';
import { ErrorAlert } from '../../../components/alert';
import { Dialog } from '../../../components/dialog';
import { type Picked, useKeysStore } from '../../../stores/keys-store';
import { FilePick } from './file-pick';
import { FormDialogFooter } from './form-dialog-footer';

/**
 * Import a Notary/Docker key file (PKCS#8 or legacy PEM) or a Keyrite key file. The passphrase
 * opens the file and encrypts the workspace copy; it lives in this dialog's state only.
 */
export function ImportKeyDialog({ onClose }: { onClose: () => void }): ReactElement {
  const pickFile = useKeysStore((s) => s.pickFile);
  const importKey = useKeysStore((s) => s.importKey);
  const [picked, setPicked] = useState<Picked | null>(null);
  const [passphrase, setPassphrase] = useState('');
  const [role, setRole] = useState('');
  const [gun, setGun] = useState('');
  const [holder, setHolder] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<IpcError | null>(null);
  const [done, setDone] = useState<string | null>(null);

  const choose = async (): Promise<void> => {
    setError(null);
    const result = await pickFile({ mode: 'open', title: 'Import a key file' });
    if (!result.ok) setError(result.error);
    else if (result.value !== null) setPicked(result.value);
  };

  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    if (picked === null || passphrase === '' || busy) return;
    setBusy(true);
    setError(null);
    const entered = passphrase;
    setPassphrase('');
    const result = await importKey({
      pickId: picked.pickId,
      passphrase: entered,
      ...(role.trim() === '' ? {} : { role: role.trim() }),
      ...(gun.trim() === '' ? {} : { gun: gun.trim() }),
      ...(holder.trim() === '' ? {} : { holder: holder.trim() }),
    });
    setBusy(false);
    if (result.ok) setDone(`Imported ${result.value.roles.join(', ') || 'key'} key ${result.value.id.slice(0, 12)}.`);
    else setError(result.error);
  };

  return (
    <Dialog
      title="Import key file"
      onClose={onClose}
      closable={!busy}
      footer={<FormDialogFooter done={done !== null} busy={busy} ready={picked !== null && passphrase !== ''} onClose={onClose} formId="import-key-form" action="Import" busyAction="Importing…" />}
    >
      {done !== null ? (
        <p role="status">{done}</p>
      ) : (
        <form id="import-key-form" className="stack" onSubmit={(e) => void submit(e)} noValidate>
          <FilePick label="Key file" buttonText="Choose file…" picked={picked} onChoose={() => void choose()} disabled={busy} hint="A Notary or Docker key (~/.docker/trust/private/*.key) or a Keyrite .krkey file." />
          <div className="field">
            <label htmlFor="import-passphrase">Passphrase</label>
            <input id="import-passphrase" className="input" type="password" autoComplete="off" value={passphrase} onChange={(e) => setPassphrase(e.target.value)} disabled={busy} aria-describedby="import-passphrase-hint" />
            <span className="hint" id="import-passphrase-hint">
              Opens the file; the workspace copy is encrypted with the same passphrase (an unencrypted file needs a new one of 8+ characters).
            </span>
          </div>
          <div className="field">
            <label htmlFor="import-role">Role (if the file does not say)</label>
            <input id="import-role" className="input" value={role} onChange={(e) => setRole(e.target.value)} disabled={busy} placeholder="root, targets, targets/releases" />
          </div>
          <div className="field">
            <label htmlFor="import-gun">Repository (GUN, if the file does not say)</label>
            <input id="import-gun" className="input" value={gun} onChange={(e) => setGun(e.target.value)} disabled={busy} />
          </div>
          <div className="field">
            <label htmlFor="import-holder">Holder</label>
            <input id="import-holder" className="input" value={holder} maxLength={64} onChange={(e) => setHolder(e.target.value)} disabled={busy} />
          </div>
          {error === null ? null : <ErrorAlert title="The key was not imported" error={error} />}
        </form>
      )}
    </Dialog>
  );
}

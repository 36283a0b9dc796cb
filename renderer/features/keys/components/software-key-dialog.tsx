import { type FormEvent, type ReactElement, useState } from 'react';

import type { SoftwareAlgorithm } from '../../../../shared/ipc/custody';
import type { IpcError } from '../../../../shared/ipc/result';
import { ErrorAlert } from '../../../components/alert';
import { Dialog } from '../../../components/dialog';
import { useKeysStore } from '../../../stores/keys-store';
import { FormDialogFooter } from './form-dialog-footer';

const ALGORITHMS: Array<{ value: SoftwareAlgorithm; label: string }> = [
  { value: 'ecdsa-p256', label: 'ECDSA P-256 (Notary default)' },
  { value: 'ed25519', label: 'Ed25519 (TUF)' },
  { value: 'rsa-3072', label: 'RSA 3072' },
  { value: 'rsa-4096', label: 'RSA 4096' },
];

/** A software key (online and delegation roles), encrypted at rest with a passphrase typed twice. */
export function SoftwareKeyDialog({ onClose }: { onClose: () => void }): ReactElement {
  const generateSoftware = useKeysStore((s) => s.generateSoftware);
  const [algorithm, setAlgorithm] = useState<SoftwareAlgorithm>('ecdsa-p256');
  const [role, setRole] = useState('targets');
  const [gun, setGun] = useState('');
  const [label, setLabel] = useState('');
  const [holder, setHolder] = useState('');
  const [passphrase, setPassphrase] = useState('');
  const [again, setAgain] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<IpcError | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const mismatch = again !== '' && again !== passphrase;
  const ready = role.trim() !== '' && passphrase.length >= 8 && passphrase === again;

  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    if (!ready || busy) return;
    setBusy(true);
    setError(null);
    const entered = passphrase;
    setPassphrase('');
    setAgain('');
    const result = await generateSoftware({
      algorithm,
      role: role.trim(),
      passphrase: entered,
      ...(gun.trim() === '' ? {} : { gun: gun.trim() }),
      ...(label.trim() === '' ? {} : { label: label.trim() }),
      ...(holder.trim() === '' ? {} : { holder: holder.trim() }),
    });
    setBusy(false);
    if (result.ok) setDone(`Generated ${result.value.roles.join(', ')} key ${result.value.id.slice(0, 12)}, encrypted in the workspace key store.`);
    else setError(result.error);
  };

  return (
    <Dialog
      title="Generate software key"
      onClose={onClose}
      closable={!busy}
      footer={<FormDialogFooter done={done !== null} busy={busy} ready={ready} onClose={onClose} formId="software-key-form" action="Generate" busyAction="Generating…" />}
    >
      {done !== null ? (
        <p role="status">{done}</p>
      ) : (
        <form id="software-key-form" className="stack" onSubmit={(e) => void submit(e)} noValidate>
          <div className="field">
            <label htmlFor="sw-algorithm">Algorithm</label>
            <select id="sw-algorithm" className="input" value={algorithm} onChange={(e) => setAlgorithm(e.target.value as SoftwareAlgorithm)} data-autofocus>
              {ALGORITHMS.map((a) => (
                <option key={a.value} value={a.value}>
                  {a.label}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="sw-role">Role</label>
            <input id="sw-role" className="input" value={role} onChange={(e) => setRole(e.target.value)} />
          </div>
          <div className="field">
            <label htmlFor="sw-gun">Repository (GUN)</label>
            <input id="sw-gun" className="input" value={gun} onChange={(e) => setGun(e.target.value)} />
          </div>
          <div className="field">
            <label htmlFor="sw-label">Label</label>
            <input id="sw-label" className="input" value={label} maxLength={64} onChange={(e) => setLabel(e.target.value)} />
          </div>
          <div className="field">
            <label htmlFor="sw-holder">Holder</label>
            <input id="sw-holder" className="input" value={holder} maxLength={64} onChange={(e) => setHolder(e.target.value)} />
          </div>
          <div className="field">
            <label htmlFor="sw-pass">Passphrase (8+ characters)</label>
            <input id="sw-pass" className="input" type="password" autoComplete="new-password" value={passphrase} onChange={(e) => setPassphrase(e.target.value)} />
          </div>
          <div className="field">
            <label htmlFor="sw-pass2">Passphrase again</label>
            <input id="sw-pass2" className="input" type="password" autoComplete="new-password" value={again} onChange={(e) => setAgain(e.target.value)} aria-invalid={mismatch} aria-describedby="sw-pass2-hint" />
            <span className="hint" id="sw-pass2-hint">
              {mismatch ? 'The passphrases differ.' : 'There is no way to recover a key whose passphrase is lost.'}
            </span>
          </div>
          {error === null ? null : <ErrorAlert title="The key was not generated" error={error} />}
        </form>
      )}
    </Dialog>
  );
}

import { type FormEvent, type ReactElement, useId, useState } from 'react';
import type { z } from 'zod';

import type { PendingSigner } from '../../../../shared/ipc/ceremony';
import type { IpcError } from '../../../../shared/ipc/result';
import { ErrorAlert } from '../../../components/alert';
import { Dialog } from '../../../components/dialog';
import { FormDialogFooter } from '../../../components/form-dialog-footer';
import { useCeremoniesStore } from '../../../stores/ceremonies-store';

type Pending = z.infer<typeof PendingSigner>;

/**
 * Sign with a workspace key file: its passphrase (typed here, held in this component only and
 * cleared before the call returns) or the one remembered in the OS keychain (never for root or
 * targets keys: main refuses and says to type it).
 */
export function FileSignDialog({ ceremonyId, signer, onClose }: { ceremonyId: string; signer: Pending; onClose: () => void }): ReactElement {
  const id = useId();
  const signWithFile = useCeremoniesStore((s) => s.signWithFile);
  const [passphrase, setPassphrase] = useState('');
  const [useKeychain, setUseKeychain] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<IpcError | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const keyId = signer.keyFileId ?? '';
  const ready = keyId !== '' && (useKeychain || passphrase.length > 0);

  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    if (!ready || busy) return;
    const entered = passphrase;
    setPassphrase('');
    setBusy(true);
    setError(null);
    const result = await signWithFile(useKeychain ? { source: 'keychain', id: ceremonyId, keyId } : { source: 'passphrase', id: ceremonyId, keyId, passphrase: entered });
    setBusy(false);
    if (result.ok) setDone(`The key file added ${result.value.signed.length} verified signature${result.value.signed.length === 1 ? '' : 's'}: ${result.value.signed.map((s) => `${s.role} v${s.version}`).join(', ') || 'none'}.`);
    else setError(result.error);
  };

  return (
    <Dialog
      title="Sign with a key file"
      onClose={onClose}
      closable={!busy}
      footer={<FormDialogFooter formId="file-sign-form" done={done !== null} busy={busy} canSubmit={ready} submitLabel="Sign" busyLabel="Signing…" onClose={onClose} focusDone />}
    >
      <form id="file-sign-form" className="stack" onSubmit={(e) => void submit(e)} noValidate>
        <p>
          {signer.holder ?? 'The holder'} signs {signer.tasks.join(', ')} with the key file <span className="mono">{keyId.slice(0, 12)}…</span> (key{signer.keyids.length === 1 ? '' : 's'}{' '}
          <span className="mono">{signer.keyids.map((k) => `${k.slice(0, 12)}…`).join(', ')}</span>).
        </p>
        {done !== null ? (
          <div className="alert tone-ok" role="status">
            <strong>Signed</strong>
            <p>{done}</p>
          </div>
        ) : (
          <>
            <label className="checkbox-row">
              <input type="checkbox" checked={useKeychain} onChange={(e) => setUseKeychain(e.target.checked)} disabled={busy} />
              <span>Use the passphrase remembered in the keychain</span>
            </label>
            {useKeychain ? null : (
              <div className="field">
                <label htmlFor={`${id}-pass`}>Passphrase of the key file</label>
                <input id={`${id}-pass`} className="input" type="password" autoComplete="off" spellCheck={false} value={passphrase} onChange={(e) => setPassphrase(e.target.value)} disabled={busy} data-autofocus />
                <span className="hint">Used for these signatures only; the decrypted key is wiped after.</span>
              </div>
            )}
          </>
        )}
        {busy ? (
          <p className="muted" role="status">
            Decrypting and signing…
          </p>
        ) : null}
        {error === null ? null : <ErrorAlert title="Nothing was signed with this key file" error={error} />}
      </form>
    </Dialog>
  );
}

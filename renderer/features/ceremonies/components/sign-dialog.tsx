import { type FormEvent, type ReactElement, useState } from 'react';

import type { PendingSigner } from '../../../../shared/ipc/ceremony';
import type { IpcError } from '../../../../shared/ipc/result';
import type { TokenInfo } from '../../../../shared/token/types';
import { ErrorAlert } from '../../../components/alert';
import { Dialog } from '../../../components/dialog';
import { FormDialogFooter } from '../../../components/form-dialog-footer';
import { useCeremoniesStore } from '../../../stores/ceremonies-store';
import { useKeysStore } from '../../../stores/keys-store';
import { PinField, pinReady } from '../../keys/components/pin-field';
import type { z } from 'zod';

type Pending = z.infer<typeof PendingSigner>;

/**
 * Sign with one token: its PIN (tries left, final-try confirmation from the shared PinField), then
 * every open task of its keys, each signature verified on arrival. The PIN lives in this
 * component only and is cleared before the call returns.
 */
export function SignDialog({ ceremonyId, signer, onClose }: { ceremonyId: string; signer: Pending; onClose: () => void }): ReactElement {
  const sign = useCeremoniesStore((s) => s.sign);
  const cancel = useCeremoniesStore((s) => s.cancel);
  const progress = useCeremoniesStore((s) => s.progress);
  const refreshTokens = useKeysStore((s) => s.refresh);
  const token: TokenInfo | null = useKeysStore((s) => s.snapshot?.tokens.find((t) => t.serial === signer.tokenSerial)) ?? null;
  const [pin, setPin] = useState('');
  const [confirmFinalTry, setConfirmFinalTry] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<IpcError | null>(null);
  const [done, setDone] = useState<string | null>(null);

  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    if (token === null || busy || !pinReady(token, pin, confirmFinalTry)) return;
    const entered = pin;
    setPin('');
    setBusy(true);
    setError(null);
    const result = await sign(ceremonyId, token.serial, entered, token.pinState === 'final-try' && confirmFinalTry);
    setBusy(false);
    setConfirmFinalTry(false);
    // The PIN state (tries left) may have changed either way.
    void refreshTokens();
    if (result.ok) setDone(`Token ${token.serial} added ${result.value.signed.length} verified signature${result.value.signed.length === 1 ? '' : 's'}: ${result.value.signed.map((s) => `${s.role} v${s.version}`).join(', ')}.`);
    else setError(result.error);
  };

  const touching = busy && progress?.phase === 'touch' && progress.tokenSerial === signer.tokenSerial;
  return (
    <Dialog
      title={`Sign with token ${signer.tokenSerial ?? ''}`}
      onClose={onClose}
      closable={!busy}
      footer={
        <FormDialogFooter
          formId="sign-form"
          done={done !== null}
          busy={busy}
          canSubmit={token !== null && pinReady(token, pin, confirmFinalTry)}
          submitLabel="Sign"
          busyLabel="Signing…"
          onClose={onClose}
          focusDone
          busyCancel={{ label: 'Cancel signing', onCancel: () => void cancel() }}
        />
      }
    >
      <form id="sign-form" className="stack" onSubmit={(e) => void submit(e)} noValidate>
        <p>
          {signer.holder ?? 'The holder'} signs {signer.tasks.join(', ')} with the key{signer.keyids.length === 1 ? '' : 's'}{' '}
          <span className="mono">{signer.keyids.map((k) => `${k.slice(0, 12)}…`).join(', ')}</span> on token {signer.tokenSerial}.
        </p>
        {done !== null ? (
          <div className="alert tone-ok" role="status">
            <strong>Signed</strong>
            <p>{done}</p>
          </div>
        ) : token === null ? (
          <div className="alert tone-warn" role="status">
            <strong>Insert token {signer.tokenSerial}</strong>
            <p>The token is not attached. Plug it in; this dialog notices it by itself.</p>
          </div>
        ) : (
          <PinField token={token} value={pin} onChange={setPin} confirmFinalTry={confirmFinalTry} onConfirmFinalTry={setConfirmFinalTry} disabled={busy} />
        )}
        {touching ? (
          <div className="touch-prompt" role="status" data-testid="ceremony-touch-prompt">
            <span className="touch-dot" aria-hidden="true" />
            <span>{progress.message}</span>
          </div>
        ) : busy ? (
          <p className="muted" role="status">
            Working with token {signer.tokenSerial}…
          </p>
        ) : null}
        {error === null ? null : <ErrorAlert title="Nothing was signed with this token" error={error} />}
      </form>
    </Dialog>
  );
}

import { type FormEvent, type ReactElement, useState } from 'react';

import type { Login } from '../../../../stores/ceremonies-store';
import { useKeysStore } from '../../../../stores/keys-store';
import { Dialog } from '../../../../components/dialog';
import { PinField, pinReady } from '../../../keys/components/pin-field';
import type { LoginNeed } from './logins';

/**
 * One PIN dialog per token a step needs before signing, one after another. The PINs stay in this
 * component until the last one is entered; then they are handed to the caller's single call and
 * this component's copy is cleared. Nothing goes to a store.
 */
export function LoginDialog({ needs, onDone, onCancel, action }: { needs: LoginNeed[]; onDone: (logins: Login[]) => void; onCancel: () => void; action: string }): ReactElement {
  const [index, setIndex] = useState(0);
  const [collected, setCollected] = useState<Login[]>([]);
  const [pin, setPin] = useState('');
  const [confirmFinalTry, setConfirmFinalTry] = useState(false);
  const need = needs[index] ?? needs[0];
  const token = useKeysStore((s) => s.snapshot?.tokens.find((t) => t.serial === need?.serial)) ?? null;
  const last = index >= needs.length - 1;

  const submit = (event: FormEvent): void => {
    event.preventDefault();
    if (need === undefined || token === null || !pinReady(token, pin, confirmFinalTry)) return;
    const login: Login = { tokenSerial: need.serial, pin, ...(token.pinState === 'final-try' && confirmFinalTry ? { confirmFinalTry: true } : {}) };
    setPin('');
    setConfirmFinalTry(false);
    if (last) {
      const all = [...collected, login];
      setCollected([]);
      onDone(all);
    } else {
      setCollected([...collected, login]);
      setIndex(index + 1);
    }
  };
  const cancel = (): void => {
    setPin('');
    setCollected([]);
    onCancel();
  };

  return (
    <Dialog
      title={`PIN for token ${need?.serial ?? ''}`}
      onClose={cancel}
      footer={
        <>
          <button type="button" className="button" onClick={cancel}>
            Cancel
          </button>
          <button type="submit" form="login-form" className="button primary" disabled={token === null || !pinReady(token, pin, confirmFinalTry)}>
            {last ? action : 'Next token'}
          </button>
        </>
      }
    >
      <form id="login-form" className="stack" onSubmit={submit} noValidate>
        <p>
          {needs.length > 1 ? `Token ${index + 1} of ${needs.length}. ` : ''}
          {need?.reason} The PIN is used for this step only, then the token is logged out.
        </p>
        {token === null ? (
          <div className="alert tone-warn" role="status">
            <strong>Insert token {need?.serial}</strong>
            <p>The token is not attached. Plug it in; this dialog notices it by itself.</p>
          </div>
        ) : (
          <PinField key={need?.serial} token={token} value={pin} onChange={setPin} confirmFinalTry={confirmFinalTry} onConfirmFinalTry={setConfirmFinalTry} />
        )}
      </form>
    </Dialog>
  );
}

import { type ReactElement, useState } from 'react';

import type { IpcError } from '../../../../shared/ipc/result';
import { ErrorAlert } from '../../../components/alert';
import { Icon } from '../../../components/icons';
import { type Login, useCeremoniesStore } from '../../../stores/ceremonies-store';
import { useKeysStore } from '../../../stores/keys-store';
import { LoginDialog } from './wizard/login-dialog';
import { type LoginNeed, pinNeededSerial } from './wizard/logins';

/** Resume: re-derive from the journal and finish interrupted work; if a step needs a token, ask its PIN and retry. */
export function ResumeButton({ id }: { id: string }): ReactElement {
  const resume = useCeremoniesStore((s) => s.resume);
  const refreshTokens = useKeysStore((s) => s.refresh);
  const [needs, setNeeds] = useState<LoginNeed[]>([]);
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<IpcError | null>(null);

  const run = async (logins: Login[]): Promise<void> => {
    setBusy(true);
    setError(null);
    const result = await resume(id, logins);
    // The PINs lived only in this array for this one call.
    logins.length = 0;
    setBusy(false);
    if (needs.length > 0) void refreshTokens();
    if (result.ok) return setNeeds([]);
    const serial = pinNeededSerial(result.error);
    if (serial !== null && !needs.some((n) => n.serial === serial)) {
      setNeeds([...needs, { serial, reason: 'Resuming finishes a step that needs this token (a key generated on it, or a Notary root certificate).' }]);
      setAsking(true);
      return;
    }
    setError(result.error);
  };

  return (
    <>
      <button type="button" className="button" onClick={() => (needs.length > 0 ? setAsking(true) : void run([]))} disabled={busy}>
        <Icon name="refresh" />
        {busy ? 'Resuming…' : 'Resume'}
      </button>
      {asking ? (
        <LoginDialog
          needs={needs}
          action="Resume"
          onCancel={() => setAsking(false)}
          onDone={(logins) => {
            setAsking(false);
            void run(logins);
          }}
        />
      ) : null}
      {error === null ? null : (
        <div className="resume-error">
          <ErrorAlert title="Not resumed" error={error} />
        </div>
      )}
    </>
  );
}

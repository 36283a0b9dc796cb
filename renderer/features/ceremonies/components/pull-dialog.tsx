import { type FormEvent, type ReactElement, useId, useState } from 'react';

import type { IpcError } from '../../../../shared/ipc/result';
import { ErrorAlert } from '../../../components/alert';
import { Dialog } from '../../../components/dialog';
import { FormDialogFooter } from '../../../components/form-dialog-footer';
import { type Pulled, useCeremoniesStore } from '../../../stores/ceremonies-store';
import { useKeysStore } from '../../../stores/keys-store';

type Source = 'notary' | 'tuf';

const isHttpUrl = (text: string): boolean => {
  try {
    const url = new URL(text);
    return url.protocol === 'https:' || url.protocol === 'http:';
  } catch {
    // Not parseable as a URL at all: the field shows why.
    return false;
  }
};

/** Online workstation: pull a request bundle from a Notary server (URL + GUN) or a TUF repository URL. */
export function PullDialog({ onClose }: { onClose: () => void }): ReactElement {
  const id = useId();
  const pull = useCeremoniesStore((s) => s.pull);
  const pickFile = useKeysStore((s) => s.pickFile);
  const [source, setSource] = useState<Source>('notary');
  const [server, setServer] = useState('');
  const [gun, setGun] = useState('');
  const [url, setUrl] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<IpcError | null>(null);
  const [done, setDone] = useState<Pulled | null>(null);
  const ready = source === 'notary' ? isHttpUrl(server.trim()) && gun.trim() !== '' : isHttpUrl(url.trim());

  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    if (!ready || busy) return;
    setError(null);
    const name = source === 'notary' ? gun.trim().replace(/[^A-Za-z0-9._-]+/g, '_') : 'tuf';
    const picked = await pickFile({ mode: 'save', title: 'Save the request bundle', suggestedName: `${name}.request.bundle` });
    if (!picked.ok) return setError(picked.error);
    if (picked.value === null) return;
    setBusy(true);
    const result = await pull({ source: source === 'notary' ? { kind: 'notary', server: server.trim(), gun: gun.trim() } : { kind: 'tuf', url: url.trim() }, pickId: picked.value.pickId });
    setBusy(false);
    if (result.ok) setDone(result.value);
    else setError(result.error);
  };

  return (
    <Dialog
      title="Pull a request bundle"
      onClose={onClose}
      closable={!busy}
      footer={<FormDialogFooter formId="pull-form" done={done !== null} busy={busy} canSubmit={ready} submitLabel="Pull and save…" busyLabel="Pulling…" onClose={onClose} />}
    >
      <form id="pull-form" className="stack" onSubmit={(e) => void submit(e)} noValidate>
        <fieldset className="source-options">
          <legend>From</legend>
          <label className="checkbox-row">
            <input type="radio" name="pull-source" checked={source === 'notary'} onChange={() => setSource('notary')} data-autofocus />
            <span>A Notary server (the GUN’s metadata and the server’s timestamp/snapshot keys)</span>
          </label>
          <label className="checkbox-row">
            <input type="radio" name="pull-source" checked={source === 'tuf'} onChange={() => setSource('tuf')} />
            <span>A TUF repository URL (metadata with the full root history)</span>
          </label>
        </fieldset>
        {source === 'notary' ? (
          <div className="two-col">
            <div className="field">
              <label htmlFor={`${id}-server`}>Notary server URL</label>
              <input id={`${id}-server`} className="input" value={server} onChange={(e) => setServer(e.target.value)} placeholder="https://notary.example.com" autoComplete="off" />
            </div>
            <div className="field">
              <label htmlFor={`${id}-gun`}>GUN (repository)</label>
              <input id={`${id}-gun`} className="input" value={gun} onChange={(e) => setGun(e.target.value)} placeholder="docker.io/acme/app" autoComplete="off" />
            </div>
          </div>
        ) : (
          <div className="field">
            <label htmlFor={`${id}-url`}>TUF repository URL</label>
            <input id={`${id}-url`} className="input" value={url} onChange={(e) => setUrl(e.target.value)} placeholder="https://tuf.example.com/metadata/" autoComplete="off" />
          </div>
        )}
        <p className="hint">Carry the saved bundle to the air-gapped workstation and start a ceremony from it.</p>
        {done === null ? null : (
          <div className="alert tone-ok" role="status" data-testid="pull-result">
            <div>
              <strong>Request bundle written</strong>
              <p>
                {done.repository} ({done.dialect}), root version {done.rootVersion}
                <br />
                {done.displayPath}
                <br />
                <span className="mono">SHA-256 {done.sha256}</span>
              </p>
            </div>
          </div>
        )}
        {error === null ? null : <ErrorAlert title="Nothing was pulled" error={error} />}
      </form>
    </Dialog>
  );
}

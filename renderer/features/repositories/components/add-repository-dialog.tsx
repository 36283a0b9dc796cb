import { type FormEvent, type ReactElement, useState } from 'react';

import type { AddSource, RepositorySummary } from '../../../../shared/ipc/contract';
import type { IpcError } from '../../../../shared/ipc/result';
import { Alert, ErrorAlert } from '../../../components/alert';
import { Dialog } from '../../../components/dialog';
import { Icon } from '../../../components/icons';
import { selectOnline, useAppStore } from '../../../stores/app-store';
import { type PickedFolder, useRepositoriesStore } from '../../../stores/repositories-store';
import { JobProgress } from './job-progress';

type Kind = AddSource['kind'];

const OFFLINE_REASON =
  'Unavailable in air-gapped mode: Keyrite makes no network connections. Fetch the metadata on an online machine and add its folder instead.';

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

export function AddRepositoryDialog({ onClose, onAdded }: { onClose: () => void; onAdded: (added: RepositorySummary[]) => void }): ReactElement {
  const online = useAppStore(selectOnline);
  const job = useRepositoriesStore((s) => s.job);
  const pickDirectory = useRepositoriesStore((s) => s.pickDirectory);
  const add = useRepositoriesStore((s) => s.add);
  const cancel = useRepositoriesStore((s) => s.cancel);

  const [kind, setKind] = useState<Kind>('directory');
  const [picked, setPicked] = useState<PickedFolder | null>(null);
  const [gun, setGun] = useState('');
  const [url, setUrl] = useState('');
  const [error, setError] = useState<IpcError | null>(null);
  const [touched, setTouched] = useState(false);
  const busy = job !== null;

  const urlInvalid = kind !== 'directory' && touched && !isHttpUrl(url);
  const gunMissing = kind === 'notary-server' && touched && gun.trim() === '';
  const ready =
    kind === 'directory' ? picked !== null
    : kind === 'notary-server' ? online && isHttpUrl(url) && gun.trim() !== ''
    : online && isHttpUrl(url);

  const choose = async (): Promise<void> => {
    setError(null);
    const result = await pickDirectory();
    if (result.error !== null) setError(result.error);
    else if (result.picked !== null) setPicked(result.picked);
  };

  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    setTouched(true);
    if (!ready || busy) return;
    setError(null);
    const source: AddSource =
      kind === 'directory' ? { kind, pickId: picked?.pickId ?? '', ...(gun.trim() === '' ? {} : { gun: gun.trim() }) }
      : kind === 'notary-server' ? { kind, url, gun: gun.trim() }
      : { kind, url };
    const label = kind === 'directory' ? 'Inspecting folder' : kind === 'notary-server' ? 'Fetching from Notary server' : 'Fetching TUF repository';
    const result = await add(source, label);
    if (result.error !== null) setError(result.error);
    else onAdded(result.added);
  };

  const option = (value: Kind, title: string, hint: string, disabled: boolean): ReactElement => (
    <label className="source-option">
      <input
        type="radio"
        name="source"
        value={value}
        checked={kind === value}
        disabled={disabled || busy}
        onChange={() => {
          setKind(value);
          setTouched(false);
          setError(null);
        }}
      />
      <span>{title}</span>
      <span className="hint">{hint}</span>
    </label>
  );

  return (
    <Dialog
      title="Add repository"
      onClose={onClose}
      closable={!busy}
      footer={
        <>
          <button type="button" className="button" onClick={onClose} disabled={busy}>
            Close
          </button>
          <button type="submit" form="add-repository-form" className="button primary" disabled={busy || (touched && !ready)}>
            {busy ? 'Inspecting…' : 'Add and inspect'}
          </button>
        </>
      }
    >
      <form id="add-repository-form" className="stack" onSubmit={(e) => void submit(e)} noValidate>
        <fieldset className="source-options">
          <legend>Source</legend>
          {option('directory', 'Folder on this machine', 'A metadata folder, a Docker/Notary trust dir (~/.docker/trust) or a TUF repository folder.', false)}
          {option('notary-server', 'Notary server', online ? 'Fetch a GUN from a Notary server.' : OFFLINE_REASON, !online)}
          {option('tuf-url', 'TUF repository URL', online ? 'Fetch from a TUF repository’s metadata URL.' : OFFLINE_REASON, !online)}
        </fieldset>

        {kind === 'directory' ? (
          <>
            <div className="field">
              <span className="label" id="folder-label">
                Folder
              </span>
              <div className="row">
                <button type="button" className="button" onClick={() => void choose()} disabled={busy} aria-describedby="folder-label">
                  <Icon name="folder" />
                  Choose folder…
                </button>
              </div>
              {picked === null ? (
                <span className="hint">{touched ? 'Choose a folder first.' : 'The folder is opened read-only; nothing in it is changed.'}</span>
              ) : (
                <div className="picked-path" data-testid="picked-path">
                  <Icon name="folder" />
                  {picked.displayPath}
                </div>
              )}
            </div>
            <div className="field">
              <label htmlFor="add-gun">GUN (optional)</label>
              <input id="add-gun" className="input" value={gun} onChange={(e) => setGun(e.target.value)} disabled={busy} placeholder="docker.io/library/alpine" />
              <span className="hint">Only needed when the folder does not name the repository. A trust dir adds every GUN it holds.</span>
            </div>
          </>
        ) : (
          <>
            <div className="field">
              <label htmlFor="add-url">{kind === 'notary-server' ? 'Server URL' : 'Metadata URL'}</label>
              <input
                id="add-url"
                className="input"
                type="url"
                value={url}
                onChange={(e) => setUrl(e.target.value)}
                disabled={busy || !online}
                aria-invalid={urlInvalid}
                aria-describedby="add-url-hint"
                placeholder={kind === 'notary-server' ? 'https://notary.example.com' : 'https://example.com/metadata/'}
              />
              <span className="hint" id="add-url-hint">
                {urlInvalid ? 'Enter an http:// or https:// URL.' : 'Only http and https URLs are accepted.'}
              </span>
            </div>
            {kind === 'notary-server' ? (
              <div className="field">
                <label htmlFor="add-server-gun">GUN</label>
                <input
                  id="add-server-gun"
                  className="input"
                  value={gun}
                  onChange={(e) => setGun(e.target.value)}
                  disabled={busy || !online}
                  aria-invalid={gunMissing}
                  placeholder="docker.io/library/alpine"
                />
                {gunMissing ? <span className="hint">The GUN is required for a Notary server.</span> : null}
              </div>
            ) : null}
          </>
        )}
        {!online && kind !== 'directory' ? <Alert tone="info" title="Air-gapped mode">{OFFLINE_REASON}</Alert> : null}
        {job === null ? null : <JobProgress job={job} onCancel={() => void cancel()} />}
        {error === null ? null : <ErrorAlert title="The repository was not added" error={error} />}
      </form>
    </Dialog>
  );
}

import { type FormEvent, type ReactElement, useMemo, useState } from 'react';

import type { RequestPreview } from '../../../../shared/ipc/ceremony';
import type { IpcError } from '../../../../shared/ipc/result';
import { Alert, ErrorAlert } from '../../../components/alert';
import { Icon } from '../../../components/icons';
import { useCeremoniesStore } from '../../../stores/ceremonies-store';
import { useKeysStore } from '../../../stores/keys-store';
import { keyName } from './names';

type Step = 'request' | 'keys';

/** A key that could join the new root: on a token here, or a workspace key file. */
interface Candidate {
  value: string;
  choice: { kind: 'token'; tokenSerial: string; ckaId: string } | { kind: 'file'; keyId: string };
  title: string;
  sub: string;
  keyIds: string[];
}

/**
 * New rotate-root ceremony: step 1 reads a request bundle (main's file dialog; only a pick id
 * here) and shows the current root; step 2 chooses keys to add and remove, the new threshold and
 * the expiry. "Create proposal" journals the plan and opens the review.
 */
export function NewRotateRoot({ onCancel }: { onCancel: () => void }): ReactElement {
  const pickFile = useKeysStore((s) => s.pickFile);
  const tokenKeys = useKeysStore((s) => s.keys);
  const inventory = useKeysStore((s) => s.inventory);
  const preview = useCeremoniesStore((s) => s.preview);
  const startRotateRoot = useCeremoniesStore((s) => s.startRotateRoot);
  const [step, setStep] = useState<Step>('request');
  const [request, setRequest] = useState<RequestPreview | null>(null);
  const [add, setAdd] = useState<string[]>([]);
  const [remove, setRemove] = useState<string[]>([]);
  const [threshold, setThreshold] = useState(1);
  const [expiryDate, setExpiryDate] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<IpcError | null>(null);

  const inRoot = useMemo(() => new Set(request?.rootKeys.map((k) => k.keyid) ?? []), [request]);
  const candidates = useMemo<Candidate[]>(() => {
    const out: Candidate[] = [];
    for (const rows of Object.values(tokenKeys)) {
      for (const k of rows.rows ?? []) {
        const ids = [k.keyIds.tuf, k.keyIds.notary];
        if (ids.some((id) => inRoot.has(id))) continue;
        out.push({
          value: `token:${k.tokenSerial}:${k.ckaId}`,
          choice: { kind: 'token', tokenSerial: k.tokenSerial, ckaId: k.ckaId },
          title: `Token ${k.tokenSerial}${k.slot === null ? '' : `, slot ${k.slot}`} — ${k.holder ?? 'no holder recorded'}`,
          sub: `${k.label || 'unlabelled'} · ${k.curve} · key ${k.keyIds.tuf.slice(0, 12)}…`,
          keyIds: ids,
        });
      }
    }
    for (const row of inventory ?? []) {
      if (row.location.kind !== 'file' || !row.roles.includes('root')) continue;
      const ids = [row.keyIds.tuf, row.keyIds.notary];
      if (ids.some((id) => inRoot.has(id))) continue;
      out.push({
        value: `file:${row.id}`,
        choice: { kind: 'file', keyId: row.id },
        title: `Key file — ${row.holder ?? 'no holder recorded'}`,
        sub: `${row.label ?? 'unlabelled'} · ${row.algorithm} · key ${row.keyIds.tuf.slice(0, 12)}…`,
        keyIds: ids,
      });
    }
    return out;
  }, [tokenKeys, inventory, inRoot]);

  const keyCount = (request?.rootKeys.length ?? 0) - remove.length + add.length;

  const chooseRequest = async (): Promise<void> => {
    setError(null);
    const picked = await pickFile({ mode: 'open', title: 'Choose a request bundle' });
    if (!picked.ok) return setError(picked.error);
    if (picked.value === null) return;
    setBusy(true);
    const read = await preview(picked.value.pickId);
    setBusy(false);
    if (!read.ok) return setError(read.error);
    setRequest(read.value);
    setThreshold(read.value.rootThreshold ?? 1);
  };

  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    if (step === 'request') {
      if (request !== null) setStep('keys');
      return;
    }
    if (request === null || busy) return;
    setBusy(true);
    setError(null);
    const chosen = candidates.filter((c) => add.includes(c.value)).map((c) => c.choice);
    const result = await startRotateRoot({
      requestPickId: request.pickId,
      add: chosen,
      remove,
      threshold,
      ...(expiryDate === '' ? {} : { expires: `${expiryDate}T00:00:00Z` }),
    });
    setBusy(false);
    if (!result.ok) setError(result.error);
  };

  const toggle = (list: string[], value: string, on: boolean): string[] => (on ? [...list, value] : list.filter((v) => v !== value));
  const thresholdOk = threshold >= 1 && threshold <= Math.max(keyCount, 0);

  return (
    <section aria-labelledby="page-title" className="ceremony-new">
      <div className="page-header">
        <div>
          <h1 id="page-title" tabIndex={-1}>
            New rotate-root ceremony
          </h1>
          <p className="step-indicator" aria-live="polite">
            Step {step === 'request' ? 1 : 2} of 2: {step === 'request' ? 'Request bundle' : 'New root keys and threshold'}
          </p>
        </div>
      </div>
      <form className="stack card wizard-card" onSubmit={(e) => void submit(e)} noValidate>
        {step === 'request' ? (
          <>
            <div className="field">
              <span className="label" id="request-label">
                Request bundle
              </span>
              <div className="row">
                <button type="button" className="button" onClick={() => void chooseRequest()} disabled={busy} aria-describedby="request-label">
                  <Icon name="folder" />
                  Choose request bundle…
                </button>
              </div>
              <span className="hint">Made on the online machine with “keyrite pull”. It is read and checked here; nothing is signed yet.</span>
            </div>
            {request === null ? null : <RequestFacts request={request} />}
          </>
        ) : null}
        {step === 'keys' && request !== null ? (
          <>
            <fieldset className="source-options">
              <legend>Keys to add to the root</legend>
              {candidates.length === 0 ? <p className="muted">No other root-capable key here: enroll one under Keys &amp; Tokens first.</p> : null}
              {candidates.map((c) => (
                <label key={c.value} className="source-option">
                  <input type="checkbox" checked={add.includes(c.value)} onChange={(e) => setAdd((l) => toggle(l, c.value, e.target.checked))} />
                  <span>{c.title}</span>
                  <span className="hint mono">{c.sub}</span>
                </label>
              ))}
            </fieldset>
            <fieldset className="source-options">
              <legend>Keys to remove from the root</legend>
              {request.rootKeys.map((k) => (
                <label key={k.keyid} className="source-option">
                  <input type="checkbox" checked={remove.includes(k.keyid)} onChange={(e) => setRemove((l) => toggle(l, k.keyid, e.target.checked))} />
                  <span>Remove {keyName(k)}</span>
                  <span className="hint">It still signs this rotation as a key of the current root.</span>
                </label>
              ))}
            </fieldset>
            <div className="two-col">
              <div className="field">
                <label htmlFor="rotate-threshold">New root threshold</label>
                <input id="rotate-threshold" className="input" type="number" min={1} max={32} value={threshold} onChange={(e) => setThreshold(Number(e.target.value))} aria-describedby="rotate-threshold-hint" />
                <span className="hint" id="rotate-threshold-hint">
                  {threshold} of {keyCount} root keys must sign (now {request.rootThreshold ?? '—'} of {request.rootKeys.length}).
                </span>
              </div>
              <div className="field">
                <label htmlFor="rotate-expiry">New root expires on (UTC)</label>
                <input id="rotate-expiry" className="input" type="date" value={expiryDate} onChange={(e) => setExpiryDate(e.target.value)} aria-describedby="rotate-expiry-hint" />
                <span className="hint" id="rotate-expiry-hint">
                  Empty: the policy default. The review shows the exact date.
                </span>
              </div>
            </div>
            {thresholdOk ? null : (
              <Alert tone="warn" title="Threshold out of range">
                The threshold must be between 1 and the number of root keys ({keyCount}).
              </Alert>
            )}
          </>
        ) : null}
        {error === null ? null : <ErrorAlert title="The ceremony could not go on" error={error} />}
        <div className="row wizard-actions">
          <button type="button" className="button" onClick={onCancel} disabled={busy}>
            Cancel
          </button>
          {step === 'keys' ? (
            <button type="button" className="button" onClick={() => setStep('request')} disabled={busy}>
              Back
            </button>
          ) : null}
          <button type="submit" className="button primary" disabled={busy || request === null || (step === 'keys' && (!thresholdOk || (add.length === 0 && remove.length === 0 && threshold === request.rootThreshold)))}>
            {step === 'request' ? 'Next' : busy ? 'Creating proposal…' : 'Create proposal'}
          </button>
        </div>
      </form>
    </section>
  );
}

function RequestFacts({ request }: { request: RequestPreview }): ReactElement {
  return (
    <div className="stack" data-testid="request-facts">
      <div className="picked-path">
        <Icon name="folder" />
        {request.displayPath}
      </div>
      <dl className="facts">
        <dt>Repository</dt>
        <dd>
          {request.repository} <span className="muted">({request.dialect})</span>
        </dd>
        <dt>Pulled from</dt>
        <dd className="mono">{request.source}</dd>
        <dt>Pulled at</dt>
        <dd>{request.createdAt}</dd>
        <dt>Current root</dt>
        <dd>
          version {request.rootVersion}, threshold {request.rootThreshold ?? '—'} of {request.rootKeys.length}, expires {request.rootExpires ?? '—'}
        </dd>
        <dt>Root keys</dt>
        <dd>
          <ul className="plain-list">
            {request.rootKeys.map((k) => (
              <li key={k.keyid}>{keyName(k)}</li>
            ))}
          </ul>
        </dd>
      </dl>
    </div>
  );
}

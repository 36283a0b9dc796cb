import { type FormEvent, type ReactElement, useMemo, useState } from 'react';

import type { RequestPreview } from '../../../../../shared/ipc/ceremony';
import type { IpcError } from '../../../../../shared/ipc/result';
import { ErrorAlert } from '../../../../components/alert';
import { Icon } from '../../../../components/icons';
import { type Login, useCeremoniesStore } from '../../../../stores/ceremonies-store';
import { useKeysStore } from '../../../../stores/keys-store';
import { KindForm } from './kind-form';
import { KindStep } from './kind-step';
import { KIND_INFO, type Kind, kindUnavailable } from './kinds';
import { LoginDialog } from './login-dialog';
import { type LoginNeed, loginsNeeded, pinNeededSerial } from './logins';
import { buildPlan } from './plan-build';
import { type Drafts, initialDrafts } from './plan-drafts';
import { RequestFacts } from './request-facts';
import { useKeyOptions } from './use-key-options';

type Step = 'request' | 'kind' | 'plan';
const STEP_NUMBER: Record<Step, number> = { request: 1, kind: 2, plan: 3 };

/**
 * New ceremony: 1 the request bundle (main's file dialog; a pick id here), 2 the kind, 3 its plan
 * form. "Create proposal" asks the PINs the plan needs before signing (one dialog per token), sends
 * them once with the plan, and opens the review. A PIN main asks for afterwards is asked and retried.
 */
export function NewCeremony({ onCancel }: { onCancel: () => void }): ReactElement {
  const pickFile = useKeysStore((s) => s.pickFile);
  const refreshTokens = useKeysStore((s) => s.refresh);
  const preview = useCeremoniesStore((s) => s.preview);
  const startCeremony = useCeremoniesStore((s) => s.startCeremony);
  const [step, setStep] = useState<Step>('request');
  const [request, setRequest] = useState<RequestPreview | null>(null);
  const [kind, setKind] = useState<Kind | null>(null);
  const [drafts, setDrafts] = useState<Drafts | null>(null);
  const [extraLogins, setExtraLogins] = useState<LoginNeed[]>([]);
  const [asking, setAsking] = useState<LoginNeed[] | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<IpcError | null>(null);
  const [tried, setTried] = useState(false);

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
    setDrafts(initialDrafts(read.value));
    setKind(null);
  };

  const built = useMemo(() => (request === null || kind === null || drafts === null ? null : buildPlan(kind, drafts, request)), [request, kind, drafts]);
  const needs = useMemo(() => {
    if (built === null || !built.ok || request === null) return [];
    const planned = loginsNeeded(built.plan, request.dialect);
    return [...planned, ...extraLogins.filter((e) => !planned.some((p) => p.serial === e.serial))];
  }, [built, request, extraLogins]);

  const start = async (logins: Login[]): Promise<void> => {
    if (request === null || built === null || !built.ok) return;
    setBusy(true);
    setError(null);
    const result = await startCeremony({ requestPickId: request.pickId, plan: built.plan, ...(logins.length === 0 ? {} : { logins }) });
    // The PINs were only in `logins`: drop that array with this call; tries left may have changed.
    logins.length = 0;
    setBusy(false);
    if (needs.length > 0) void refreshTokens();
    if (result.ok) return;
    const serial = pinNeededSerial(result.error);
    if (serial !== null && !needs.some((n) => n.serial === serial)) {
      const more = [...extraLogins, { serial, reason: 'Main needs this token before signing.' }];
      setExtraLogins(more);
      setAsking([...needs, more[more.length - 1] as LoginNeed]);
      return;
    }
    setError(result.error);
  };

  const submit = (event: FormEvent): void => {
    event.preventDefault();
    if (step !== 'plan') {
      if (step === 'request' && request !== null) setStep('kind');
      if (step === 'kind' && kind !== null) setStep('plan');
      return;
    }
    setTried(true);
    if (busy || built === null || !built.ok) return;
    if (needs.length > 0) setAsking(needs);
    else void start([]);
  };

  const keys = useKeyOptions(request ?? EMPTY_REQUEST);
  const title = step === 'plan' && kind !== null ? KIND_INFO[kind].title : step === 'kind' ? 'Kind of ceremony' : 'Request bundle';
  const nextDisabled = busy || request === null || (step === 'kind' && (kind === null || kindUnavailable(kind, request) !== null));
  return (
    <section aria-labelledby="page-title" className="ceremony-new">
      <div className="page-header">
        <div>
          <h1 id="page-title" tabIndex={-1}>
            New ceremony
          </h1>
          <p className="step-indicator" aria-live="polite">
            Step {STEP_NUMBER[step]} of 3: {title}
          </p>
        </div>
      </div>
      <form className="stack card wizard-card" onSubmit={submit} noValidate>
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
              <span className="hint">Made on the online machine with “keyrite pull” (or “Pull request bundle…”). It is read and checked here; nothing is signed yet.</span>
            </div>
            {request === null ? null : <RequestFacts request={request} />}
          </>
        ) : null}
        {step === 'kind' && request !== null ? <KindStep request={request} value={kind} onChange={setKind} /> : null}
        {step === 'plan' && request !== null && kind !== null && drafts !== null ? (
          <>
            <p className="muted">
              {request.repository} ({request.dialect}) · {KIND_INFO[kind].help}
            </p>
            <KindForm kind={kind} request={request} drafts={drafts} onChange={setDrafts} keys={keys} />
            {built !== null && !built.ok && tried ? (
              <div className="alert tone-warn" role="status" data-testid="plan-problems">
                <div>
                  <strong>Before the proposal can be made</strong>
                  <ul className="plain-list">
                    {built.problems.map((p) => (
                      <li key={p}>{p}</li>
                    ))}
                  </ul>
                </div>
              </div>
            ) : null}
            {needs.length > 0 ? <p className="hint">The PIN of token {needs.map((n) => n.serial).join(', ')} is asked before the proposal is made.</p> : null}
          </>
        ) : null}
        {error === null ? null : <ErrorAlert title="The ceremony could not go on" error={error} />}
        <div className="row wizard-actions">
          <button type="button" className="button" onClick={onCancel} disabled={busy}>
            Cancel
          </button>
          {step === 'request' ? null : (
            <button type="button" className="button" onClick={() => setStep(step === 'plan' ? 'kind' : 'request')} disabled={busy}>
              Back
            </button>
          )}
          <button type="submit" className="button primary" disabled={nextDisabled}>
            {step !== 'plan' ? 'Next' : busy ? 'Creating proposal…' : 'Create proposal'}
          </button>
        </div>
      </form>
      {asking === null ? null : (
        <LoginDialog
          needs={asking}
          action="Create proposal"
          onCancel={() => setAsking(null)}
          onDone={(logins) => {
            setAsking(null);
            void start(logins);
          }}
        />
      )}
    </section>
  );
}

const EMPTY_REQUEST: RequestPreview = {
  pickId: 'none-none', displayPath: '', dialect: 'tuf-1.0', repository: '', source: '', createdAt: '', rootVersion: 0, rootExpires: null,
  rootThreshold: null, rootKeys: [], roles: [], keys: [], serverKeys: [], targetChanges: 0,
};

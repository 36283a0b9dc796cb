import { type FormEvent, type ReactElement, useEffect, useRef, useState } from 'react';

import type { PivSlot } from '../../../../shared/ipc/custody';
import type { IpcError } from '../../../../shared/ipc/result';
import type { TokenInfo } from '../../../../shared/token/types';
import { Alert, ErrorAlert } from '../../../components/alert';
import { Dialog } from '../../../components/dialog';
import { type Generated, useKeysStore } from '../../../stores/keys-store';
import { AttestationBadge } from './badges';
import { KeyIds } from './key-ids';
import { ManagementKeyField, managementKeyReady, needsManagementKey, PinField, pinReady } from './pin-field';
import { TouchPrompt } from './touch-prompt';

type Step = 'where' | 'what' | 'pin' | 'done';
const STEPS: Step[] = ['where', 'what', 'pin', 'done'];
const STEP_TITLE: Record<Step, string> = { where: 'Token and slot', what: 'Algorithm and holder', pin: 'PIN', done: 'Result' };

const SLOTS: Array<{ slot: PivSlot; title: string; hint: string }> = [
  { slot: '9c', title: '9c Digital Signature', hint: 'The signing slot (default). Asks for the PIN on every signature.' },
  { slot: '9a', title: '9a Authentication', hint: 'PIN once per session.' },
  { slot: '9d', title: '9d Key Management', hint: 'PIN once per session.' },
  { slot: '9e', title: '9e Card Authentication', hint: 'No PIN: avoid for signing keys.' },
];

const ROLES = ['root', 'targets', 'snapshot', 'timestamp'] as const;

/**
 * Enroll a key on a token: token and slot → algorithm, label, holder, role → PIN → result with the
 * attestation badge. The PIN is held in this component only and cleared after every attempt.
 */
export function EnrollWizard({ tokens, initialSerial, onClose }: { tokens: TokenInfo[]; initialSerial: string | null; onClose: () => void }): ReactElement {
  const generate = useKeysStore((s) => s.generate);
  const [step, setStep] = useState<Step>('where');
  const [serial, setSerial] = useState(initialSerial ?? tokens[0]?.serial ?? '');
  const [slot, setSlot] = useState<PivSlot>('9c');
  const [curve, setCurve] = useState<'P-256' | 'P-384'>('P-256');
  const [label, setLabel] = useState('');
  const [holder, setHolder] = useState('');
  const [role, setRole] = useState<string>('root');
  const [gun, setGun] = useState('');
  const [pin, setPin] = useState('');
  const [managementKey, setManagementKey] = useState('');
  const [confirmFinalTry, setConfirmFinalTry] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<IpcError | null>(null);
  const [result, setResult] = useState<Generated | null>(null);
  // Follow the live list: a PIN state change (wrong PIN) shows at once.
  const token = useKeysStore((s) => s.snapshot?.tokens.find((t) => t.serial === serial)) ?? tokens.find((t) => t.serial === serial) ?? null;
  const gunNeeded = role !== 'root';
  const soLogin = token !== null && needsManagementKey(token);
  const secretReady = token !== null && (soLogin ? managementKeyReady(managementKey) : pinReady(token, pin, confirmFinalTry));
  const formRef = useRef<HTMLFormElement>(null);

  // Each step starts with focus on its first field, so the wizard works from the keyboard alone.
  useEffect(() => {
    formRef.current?.querySelector<HTMLElement>('[data-autofocus]')?.focus();
  }, [step]);

  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    setError(null);
    if (step === 'where') {
      if (token !== null) setStep('what');
      return;
    }
    if (step === 'what') {
      if (!gunNeeded || gun.trim() !== '') setStep('pin');
      return;
    }
    if (step !== 'pin' || token === null || !secretReady || busy) return;
    setBusy(true);
    const entered = soLogin ? { managementKey } : { pin };
    // Cleared before the call returns: the secret is not kept while the token works.
    setPin('');
    setManagementKey('');
    const outcome = await generate({
      tokenSerial: token.serial,
      slot,
      curve,
      label: label.trim(),
      ...(holder.trim() === '' ? {} : { holder: holder.trim() }),
      role,
      ...(gunNeeded ? { gun: gun.trim() } : {}),
      ...entered,
      ...(token.pinState === 'final-try' && !soLogin ? { confirmFinalTry } : {}),
    });
    setBusy(false);
    setConfirmFinalTry(false);
    if (outcome.ok) {
      setResult(outcome.value);
      setStep('done');
    } else {
      setError(outcome.error);
      // Back to the (now empty) PIN field for the next attempt.
      requestAnimationFrame(() => formRef.current?.querySelector<HTMLElement>('[data-autofocus]')?.focus());
    }
  };

  const index = STEPS.indexOf(step);
  const back = step === 'what' ? 'where' : step === 'pin' ? 'what' : null;
  const nextLabel = step === 'pin' ? (busy ? 'Generating…' : 'Generate key') : 'Next';
  const nextDisabled =
    busy ||
    (step === 'where' && token === null) ||
    (step === 'what' && gunNeeded && gun.trim() === '') ||
    (step === 'pin' && !secretReady);

  return (
    <Dialog
      title="Enroll a key on a token"
      onClose={onClose}
      closable={!busy}
      footer={
        step === 'done' ? (
          <button type="button" className="button primary" onClick={onClose} autoFocus>
            Done
          </button>
        ) : (
          <>
            <button type="button" className="button" onClick={onClose} disabled={busy}>
              Cancel
            </button>
            {back === null ? null : (
              <button type="button" className="button" onClick={() => setStep(back)} disabled={busy}>
                Back
              </button>
            )}
            <button type="submit" form="enroll-form" className="button primary" disabled={nextDisabled}>
              {nextLabel}
            </button>
          </>
        )
      }
    >
      <p className="muted step-indicator" aria-live="polite">
        Step {index + 1} of {STEPS.length}: {step === 'pin' && soLogin ? 'Management key' : STEP_TITLE[step]}
      </p>
      <form id="enroll-form" ref={formRef} className="stack" onSubmit={(e) => void submit(e)} noValidate>
        {step === 'where' ? (
          <>
            <div className="field">
              <label htmlFor="enroll-token">Token</label>
              <select id="enroll-token" className="input" value={serial} onChange={(e) => setSerial(e.target.value)} data-autofocus>
                {tokens.map((t) => (
                  <option key={t.serial} value={t.serial}>
                    {t.label || 'Unlabelled token'} — {t.model}, serial {t.serial}
                  </option>
                ))}
              </select>
            </div>
            <fieldset className="source-options">
              <legend>PIV slot</legend>
              {SLOTS.map((s) => (
                <label key={s.slot} className="source-option">
                  <input type="radio" name="slot" value={s.slot} checked={slot === s.slot} onChange={() => setSlot(s.slot)} />
                  <span>{s.title}</span>
                  <span className="hint">{s.hint}</span>
                </label>
              ))}
            </fieldset>
            <p className="hint muted">A slot that already holds a key is refused: Keyrite never replaces a key on a token.</p>
          </>
        ) : null}
        {step === 'what' ? (
          <>
            <fieldset className="source-options">
              <legend>Algorithm</legend>
              <label className="source-option">
                <input type="radio" name="curve" value="P-256" checked={curve === 'P-256'} onChange={() => setCurve('P-256')} data-autofocus />
                <span>ECDSA P-256</span>
                <span className="hint">Works with every YubiKey, ykcs11 version, Notary and TUF (recommended).</span>
              </label>
              <label className="source-option">
                <input type="radio" name="curve" value="P-384" checked={curve === 'P-384'} onChange={() => setCurve('P-384')} />
                <span>ECDSA P-384</span>
                <span className="hint">Only if your repositories' clients accept it.</span>
              </label>
            </fieldset>
            <div className="field">
              <label htmlFor="enroll-role">Role</label>
              <select id="enroll-role" className="input" value={role} onChange={(e) => setRole(e.target.value)}>
                {ROLES.map((r) => (
                  <option key={r} value={r}>
                    {r}
                  </option>
                ))}
              </select>
            </div>
            {gunNeeded ? (
              <div className="field">
                <label htmlFor="enroll-gun">Repository (GUN)</label>
                <input id="enroll-gun" className="input" value={gun} onChange={(e) => setGun(e.target.value)} placeholder="docker.io/example/app" aria-describedby="enroll-gun-hint" />
                <span className="hint" id="enroll-gun-hint">
                  A {role} key serves one repository.
                </span>
              </div>
            ) : null}
            <div className="field">
              <label htmlFor="enroll-label">Label</label>
              <input id="enroll-label" className="input" value={label} maxLength={64} onChange={(e) => setLabel(e.target.value)} placeholder="Root key A" />
            </div>
            <div className="field">
              <label htmlFor="enroll-holder">Holder</label>
              <input id="enroll-holder" className="input" value={holder} maxLength={64} onChange={(e) => setHolder(e.target.value)} placeholder="Who keeps this token" />
            </div>
          </>
        ) : null}
        {step === 'pin' && token !== null ? (
          <>
            <p>
              Generate an ECDSA {curve} key in slot <strong>{slot}</strong> of <strong>{token.label || token.serial}</strong> (serial {token.serial}).
            </p>
            {soLogin ? (
              <ManagementKeyField token={token} value={managementKey} onChange={setManagementKey} disabled={busy} />
            ) : (
              <PinField token={token} value={pin} onChange={setPin} confirmFinalTry={confirmFinalTry} onConfirmFinalTry={setConfirmFinalTry} disabled={busy} />
            )}
            {busy ? <TouchPrompt /> : null}
          </>
        ) : null}
        {step === 'done' && result !== null ? (
          <>
            <Alert tone="ok" title="Key generated on the token">
              Slot {result.key.slot ?? result.key.ckaId} of token {result.key.tokenSerial}, recorded in the inventory.
            </Alert>
            <div className="field">
              <span className="label">Attestation</span>
              <AttestationBadge attestation={result.key.attestation} withReason />
            </div>
            <KeyIds ids={result.key.keyIds} />
          </>
        ) : null}
        {error === null ? null : <ErrorAlert title={step === 'pin' ? 'The key was not generated' : 'Something went wrong'} error={error} />}
      </form>
    </Dialog>
  );
}

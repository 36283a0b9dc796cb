import { type ReactElement, useId } from 'react';

import type { TokenInfo } from '../../../../shared/token/types';
import { Alert } from '../../../components/alert';
import { PIN_ADVICE } from './badges';

interface PinFieldProps {
  token: TokenInfo;
  value: string;
  onChange: (value: string) => void;
  confirmFinalTry: boolean;
  onConfirmFinalTry: (value: boolean) => void;
  disabled?: boolean;
}

/**
 * The PIN entry: masked, never autocompleted, with the token's tries-left state in words. The
 * final try needs an explicit confirmation; a locked PIN disables entry and names the unblock
 * path. The value lives only in the calling dialog's state, never in a store.
 */
export function PinField({ token, value, onChange, confirmFinalTry, onConfirmFinalTry, disabled = false }: PinFieldProps): ReactElement {
  const id = useId();
  const locked = token.pinState === 'locked';
  return (
    <div className="stack">
      <div className="field">
        <label htmlFor={`${id}-pin`}>PIN for {token.label || token.serial}</label>
        <input
          id={`${id}-pin`}
          className="input pin-input"
          type="password"
          inputMode="numeric"
          autoComplete="off"
          spellCheck={false}
          value={value}
          onChange={(e) => onChange(e.target.value)}
          disabled={disabled || locked}
          aria-describedby={`${id}-tries`}
          data-autofocus
        />
        <span className="hint" id={`${id}-tries`} data-testid="pin-tries">
          {PIN_ADVICE[token.pinState]}
        </span>
      </div>
      {token.pinState === 'final-try' ? (
        <>
          <Alert tone="err" title="Final PIN try">
            A wrong PIN now locks this token. Check the PIN before you continue.
          </Alert>
          <label className="checkbox-row">
            <input type="checkbox" checked={confirmFinalTry} onChange={(e) => onConfirmFinalTry(e.target.checked)} disabled={disabled} />
            <span>I understand that a wrong PIN locks this token</span>
          </label>
        </>
      ) : null}
      {locked ? <Alert tone="err" title="PIN locked">{PIN_ADVICE.locked}</Alert> : null}
    </div>
  );
}

/** Whether a PIN may be submitted for this token now. */
export function pinReady(token: TokenInfo, pin: string, confirmFinalTry: boolean): boolean {
  if (token.pinState === 'locked') return false;
  if (token.pinState === 'final-try' && !confirmFinalTry) return false;
  return pin.length >= 4;
}

/** YubiKey PIV tokens generate keys only with the PIV management key (hardware.md §1), never a default one. */
export const needsManagementKey = (token: TokenInfo): boolean => /yubico/i.test(token.manufacturer);

export const managementKeyReady = (value: string): boolean => /^(?:[0-9a-fA-F]{32}|[0-9a-fA-F]{48}|[0-9a-fA-F]{64})$/.test(value);

/** The management key entry, masked like the PIN; shown instead of the PIN for YubiKey enrolment. */
export function ManagementKeyField({ token, value, onChange, disabled = false }: { token: TokenInfo; value: string; onChange: (value: string) => void; disabled?: boolean }): ReactElement {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={`${id}-mk`}>PIV management key for {token.label || token.serial}</label>
      <input
        id={`${id}-mk`}
        className="input"
        type="password"
        autoComplete="off"
        spellCheck={false}
        value={value}
        onChange={(e) => onChange(e.target.value.trim())}
        disabled={disabled}
        aria-describedby={`${id}-mk-hint`}
        data-autofocus
      />
      <span className="hint" id={`${id}-mk-hint`}>
        A YubiKey generates keys only with its management key (48 hex characters for 3DES, 32/48/64 for AES). Keyrite never tries the default key. The PIN
        is asked for when the key signs.
      </span>
    </div>
  );
}

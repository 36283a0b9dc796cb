import type { ReactElement } from 'react';

import type { AttestationView } from '../../../../shared/ipc/custody';
import type { PinState } from '../../../../shared/token/types';
import { Icon, type IconName } from '../../../components/icons';

type Tone = 'ok' | 'warn' | 'err' | 'info' | 'neutral';

const PIN: Record<PinState, { tone: Tone; icon: IconName; label: string }> = {
  ok: { tone: 'ok', icon: 'check', label: 'PIN ok' },
  'count-low': { tone: 'warn', icon: 'alert', label: 'PIN: few tries left' },
  'final-try': { tone: 'err', icon: 'alert', label: 'PIN: final try' },
  locked: { tone: 'err', icon: 'error', label: 'PIN locked' },
  'not-initialized': { tone: 'neutral', icon: 'info', label: 'PIN not set' },
};

/** What to do about a PIN state, in words (shown next to the badge and in the PIN dialog). */
export const PIN_ADVICE: Record<PinState, string> = {
  ok: 'No wrong PIN has been counted.',
  'count-low': 'A wrong PIN was entered: few tries are left before the PIN locks.',
  'final-try': 'One try left: the next wrong PIN locks the PIN.',
  locked:
    'The PIN is locked. Unblock it with the PUK (ykman piv access unblock-pin) or reset it with the SO PIN; Keyrite never tries a default PIN.',
  'not-initialized': 'The token has no user PIN yet. Set one with the token’s own tool first.',
};

/** PIN state is text plus icon, never colour alone. */
export function PinStateBadge({ state }: { state: PinState }): ReactElement {
  const p = PIN[state];
  return (
    <span className={`badge tone-${p.tone}`} data-pin-state={state}>
      <Icon name={p.icon} />
      {p.label}
    </span>
  );
}

const ATTESTATION: Record<AttestationView['badge'], { tone: Tone; icon: IconName; label: string }> = {
  'attested-on-device': { tone: 'ok', icon: 'shield', label: 'Attested on-device' },
  imported: { tone: 'warn', icon: 'alert', label: 'Imported' },
  unverifiable: { tone: 'neutral', icon: 'info', label: 'Unverifiable' },
};

/** The per-key attestation badge, with the verifier's reason as visible small print. */
export function AttestationBadge({ attestation, withReason = false }: { attestation: AttestationView; withReason?: boolean }): ReactElement {
  const a = ATTESTATION[attestation.badge];
  return (
    <span className="attestation">
      <span className={`badge tone-${a.tone}`} data-attestation={attestation.badge} title={attestation.reason}>
        <Icon name={a.icon} />
        {a.label}
      </span>
      {withReason ? <span className="cell-sub">{attestation.reason}</span> : <span className="visually-hidden">: {attestation.reason}</span>}
    </span>
  );
}

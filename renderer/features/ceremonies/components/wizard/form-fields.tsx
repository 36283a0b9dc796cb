import { type ReactElement, useId } from 'react';

import { daysFromNow, type ExpiryDraft, expiryOf } from './expiry';

/** m of n: the threshold with the key count it applies to, in words. */
export function ThresholdField({ label, value, onChange, keys, now }: { label: string; value: number; onChange: (n: number) => void; keys: number; now?: string | undefined }): ReactElement {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input id={id} className="input threshold-input" type="number" min={1} max={32} value={Number.isNaN(value) ? '' : value} onChange={(e) => onChange(e.target.value === '' ? Number.NaN : Number(e.target.value))} aria-describedby={`${id}-hint`} />
      <span className="hint" id={`${id}-hint`}>
        {Number.isNaN(value) ? '—' : value} of {keys} key{keys === 1 ? '' : 's'} must sign{now === undefined ? '' : ` (now ${now})`}.
      </span>
    </div>
  );
}

/** One date per role, each shown as the absolute RFC 3339 expiry it becomes; empty = policy default. */
export function ExpiryFields({ roles, value, onChange, current }: { roles: string[]; value: ExpiryDraft; onChange: (next: ExpiryDraft) => void; current?: Record<string, string | null> }): ReactElement {
  const id = useId();
  const now = Date.now();
  return (
    <fieldset className="source-options expiry-fields">
      <legend>Expiry dates (UTC)</legend>
      <div className="field-grid">
        {roles.map((role) => {
          const day = value[role] ?? '';
          const days = day === '' ? null : daysFromNow(day, now);
          const was = current?.[role] ?? null;
          return (
            <div className="field" key={role}>
              <label htmlFor={`${id}-${role}`}>{role} expires on</label>
              <input id={`${id}-${role}`} className="input" type="date" value={day} onChange={(e) => onChange({ ...value, [role]: e.target.value })} aria-describedby={`${id}-${role}-hint`} />
              <span className="hint" id={`${id}-${role}-hint`} data-testid={`expiry-${role}`}>
                {day === '' ? 'Policy default; the review shows the exact date.' : `${expiryOf(day)} (${days === null || days < 0 ? 'in the past' : `in ${days} days`}).`}
                {was === null ? '' : ` Now ${was}.`}
              </span>
            </div>
          );
        })}
      </div>
    </fieldset>
  );
}

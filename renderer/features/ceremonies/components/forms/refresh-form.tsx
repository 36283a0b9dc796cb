import type { ReactElement } from 'react';

import { ExpiryFields } from '../wizard/form-fields';
import type { FormProps } from './form-props';

/** refresh: the roles to re-sign with new versions and expiries (those due are preselected). */
export function RefreshForm({ request, draft, onChange }: FormProps<'refresh'>): ReactElement {
  const toggle = (role: string, on: boolean): void => onChange({ ...draft, roles: on ? [...draft.roles, role] : draft.roles.filter((r) => r !== role) });
  return (
    <div className="stack">
      <fieldset className="source-options">
        <legend>Roles to re-sign</legend>
        {request.roles.map((r) => (
          <label key={r.role} className="source-option" data-refresh-role={r.role}>
            <input type="checkbox" checked={draft.roles.includes(r.role)} onChange={(e) => toggle(r.role, e.target.checked)} />
            <span>
              {r.role} {r.dueForRefresh ? <span className="badge tone-warn">due</span> : null}
            </span>
            <span className="hint">
              {r.version === null ? 'no metadata yet' : `version ${r.version}`}, expires {r.expires ?? '—'}
            </span>
          </label>
        ))}
      </fieldset>
      {draft.roles.length === 0 ? null : (
        <ExpiryFields roles={request.roles.map((r) => r.role).filter((r) => draft.roles.includes(r))} value={draft.expires} onChange={(expires) => onChange({ ...draft, expires })} current={Object.fromEntries(request.roles.map((r) => [r.role, r.expires]))} />
      )}
    </div>
  );
}

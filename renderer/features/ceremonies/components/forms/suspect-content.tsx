import type { ReactElement } from 'react';

import type { SuspectChoice } from '../wizard/plan-drafts';

/**
 * review F4: the recover re-signs these roles, but a compromised key could have signed their
 * current targets. The engine blocks (RESIGNS_COMPROMISED_CONTENT) until, per role, the suspect
 * targets are dropped (dropTargets[role] = 'all') or kept after checking (acknowledgeTargets).
 * Targets unchanged since the last ceremony this workstation finalized are not suspect.
 */
export function SuspectContent({ roles, value, onChange }: { roles: string[]; value: Record<string, SuspectChoice>; onChange: (value: Record<string, SuspectChoice>) => void }): ReactElement | null {
  if (roles.length === 0) return null;
  const set = (role: string, choice: SuspectChoice | ''): void => {
    const next = { ...value };
    if (choice === '') delete next[role];
    else next[role] = choice;
    onChange(next);
  };
  return (
    <fieldset className="source-options" data-testid="suspect-content">
      <legend>Targets the compromised keys could have signed</legend>
      <p className="hint">
        The recovery re-signs these roles with good keys, but the compromised key could have signed their current targets (and delegations). Those that
        changed since the version this workstation last trusted are suspect: drop them, or keep them only after checking each one. If any are suspect and
        you choose nothing, the review blocks and the recovery must be started again. A role this recovery removes re-signs nothing.
      </p>
      {roles.map((role) => (
        <div key={role} className="stack" role="radiogroup" aria-label={`Suspect targets of ${role}`} data-suspect-role={role}>
          <strong>{role}</strong>
          <label className="source-option">
            <input type="radio" name={`suspect-${role}`} checked={value[role] === undefined} onChange={() => set(role, '')} />
            <span>Not decided (blocks)</span>
          </label>
          <label className="source-option">
            <input type="radio" name={`suspect-${role}`} checked={value[role] === 'drop'} onChange={() => set(role, 'drop')} />
            <span>Drop suspect targets</span>
          </label>
          <label className="source-option">
            <input type="radio" name={`suspect-${role}`} checked={value[role] === 'keep'} onChange={() => set(role, 'keep')} />
            <span>I checked them; keep</span>
          </label>
        </div>
      ))}
    </fieldset>
  );
}

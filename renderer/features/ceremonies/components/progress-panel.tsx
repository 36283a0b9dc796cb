import type { ReactElement } from 'react';

import type { CeremonyDetail } from '../../../../shared/ipc/ceremony';
import { keyName } from './names';

/** Per role and requirement: valid/required signatures (old root threshold too), who signed, who still has to. */
export function ProgressPanel({ detail }: { detail: CeremonyDetail }): ReactElement {
  const offline = detail.roles.filter((r) => r.signing === 'offline');
  return (
    <section className="card" aria-labelledby="progress-title">
      <h2 id="progress-title" className="card-title">
        Signatures
      </h2>
      {offline.map((role) => (
        <div key={role.role} className="role-progress" data-role-progress={role.role}>
          <h3 className="subsection-title">
            {role.role} v{role.version} {role.complete ? <span className="badge tone-ok">complete</span> : <span className="badge tone-warn">needs signatures</span>}
          </h3>
          <ul className="requirement-list">
            {role.requirements.map((req) => (
              <li key={req.label} className="requirement" data-requirement={req.label} data-met={req.met}>
                <div className="requirement-head">
                  <strong>{req.label}</strong>
                  <span className="requirement-count" aria-label={`${req.valid} of ${req.threshold} valid signatures`}>
                    {req.valid}/{req.threshold}
                  </span>
                  <meter className="requirement-meter" min={0} max={req.threshold} value={Math.min(req.valid, req.threshold)} aria-hidden="true" />
                </div>
                {req.signedBy.length > 0 ? <div className="cell-sub">Signed: {req.signedBy.map(keyName).join('; ')}</div> : null}
                {!req.met && req.missing.length > 0 ? (
                  <div className="cell-sub">
                    Still to sign ({req.threshold - req.valid} more of): {req.missing.map(keyName).join('; ')}
                  </div>
                ) : null}
              </li>
            ))}
          </ul>
        </div>
      ))}
    </section>
  );
}

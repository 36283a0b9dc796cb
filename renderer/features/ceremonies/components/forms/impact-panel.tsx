import type { ReactElement } from 'react';

import type { ImpactView } from '../../../../../shared/ipc/ceremony-plans';

/** What the marked keys mean now: affected roles, thresholds, the attacker's reach, and the ordered minimal plan. */
export function ImpactPanel({ impact }: { impact: ImpactView }): ReactElement {
  const affected = impact.roles.filter((r) => r.compromised.length + r.lost.length > 0);
  return (
    <section className="card stack impact-panel" aria-labelledby="impact-title" data-testid="impact">
      <h3 id="impact-title" className="card-title">
        Impact
      </h3>
      {impact.attackerCan.length === 0 ? (
        <p>No role: an attacker with these keys cannot reach any threshold.</p>
      ) : (
        <div className="alert tone-err" role="alert">
          <div>
            <strong>An attacker can now</strong>
            <ul className="plain-list" aria-label="What an attacker can sign">
              {impact.attackerCan.map((s) => (
                <li key={s}>{s}</li>
              ))}
            </ul>
          </div>
        </div>
      )}
      {impact.stranded.length === 0 ? null : (
        <p>
          <span className="badge tone-warn">Stranded without new keys</span> {impact.stranded.join(', ')}
        </p>
      )}
      <table className="table" aria-label="Affected roles">
        <thead>
          <tr>
            <th scope="col">Role</th>
            <th scope="col">Delegated by</th>
            <th scope="col">Compromised / lost</th>
            <th scope="col">Keys left / threshold</th>
            <th scope="col">Threshold holds</th>
            <th scope="col">Attacker can sign</th>
          </tr>
        </thead>
        <tbody>
          {affected.map((r) => (
            <tr key={r.role} data-impact-role={r.role}>
              <td>{r.role}</td>
              <td>{r.delegatedBy}</td>
              <td className="num">
                {r.compromised.length} / {r.lost.length}
              </td>
              <td className="num">
                {r.remaining} / {r.threshold}
              </td>
              <td>{r.thresholdHolds ? <span className="badge tone-ok">Yes</span> : <span className="badge tone-err">No</span>}</td>
              <td>{r.attackerCanSign ? <span className="badge tone-err">Yes</span> : <span className="badge tone-ok">No</span>}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h4 className="subsection-title">Minimal recovery plan, in order</h4>
      <ol className="impact-steps" aria-label="Recovery steps">
        {impact.steps.map((s) => (
          <li key={`${s.order}-${s.role}`}>
            <strong>{s.role}</strong>: {s.note}{' '}
            <span className="cell-sub">
              (threshold {s.oldThreshold === null ? '' : `${s.oldThreshold} → `}
              {s.threshold}; signed by {s.signerNames.length > 0 ? s.signerNames.join(', ') : s.signers.map((k) => `${k.slice(0, 8)}…`).join(', ') || 'the new keys'})
            </span>
          </li>
        ))}
      </ol>
    </section>
  );
}

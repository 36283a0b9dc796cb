import type { ReactElement } from 'react';

import type { RoleView } from '../../../../shared/inspection/report';
import { Icon } from '../../../components/icons';
import { daysUntil, shortId } from '../../../lib/format';
import { CopyButton } from './copy-button';
import { RoleFacts } from './role-facts';
import { RoleStatusBadge, SEVERITY } from './health-badge';
import { type ReportView, WARN_DAYS } from './report-types';

export const ROLE_DETAILS_ID = 'role-details';

function PathList({ label, items }: { label: string; items: readonly string[] | null }): ReactElement | null {
  if (items === null) return null;
  return (
    <>
      <dt>{label}</dt>
      <dd>
        {items.length === 0 ? (
          <span className="muted">none</span>
        ) : (
          <ul className="plain-list mono">
            {items.map((item) => (
              // Notary writes [""] for "every path": an empty prefix matches everything.
              <li key={item}>{item === '' ? <span className="muted">"" (every path)</span> : item}</li>
            ))}
          </ul>
        )}
      </dd>
    </>
  );
}

/** Everything the inspection knows about one role: what a node in the graph only summarises. */
export function RoleDetailsPanel({ report, role }: { report: ReportView; role: RoleView | null }): ReactElement {
  if (role === null) {
    return (
      <aside id={ROLE_DETAILS_ID} className="card role-details" aria-label="Role details">
        <p className="muted">Select a role in the graph (click it, or focus it and press Enter) or in the table below to see its keys, signatures and findings.</p>
      </aside>
    );
  }
  const now = new Date(report.evaluatedAt).getTime();
  const expiringSoon = role.expires !== null && daysUntil(role.expires, now) < WARN_DAYS;
  const findings = report.findings.filter((f) => f.role === role.name);
  const keysById = new Map(report.keys.map((k) => [k.id, k]));
  const headingId = `${ROLE_DETAILS_ID}-heading`;
  return (
    <aside id={ROLE_DETAILS_ID} className="card role-details" aria-labelledby={headingId} data-role={role.name}>
      <h2 id={headingId} className="mono">
        {role.name}
      </h2>
      <RoleStatusBadge status={role.status} expiringSoon={expiringSoon} />
      <dl className="role-details-list">
        <dt>Kind</dt>
        <dd>{role.kind}</dd>
        {role.parent === null ? null : (
          <>
            <dt>Delegated by</dt>
            <dd className="mono">{role.parent}</dd>
          </>
        )}
        <RoleFacts role={role} />
        {role.terminating === null ? null : (
          <>
            <dt>Terminating</dt>
            <dd>{role.terminating ? 'Yes' : 'No'}</dd>
          </>
        )}
        <PathList label="Paths" items={role.paths} />
        <PathList label="Path hash prefixes" items={role.pathHashPrefixes} />
      </dl>
      <h3>Keys ({role.keyids.length})</h3>
      {role.keyids.length === 0 ? (
        <p className="muted">This role lists no keys.</p>
      ) : (
        <ul className="plain-list role-keys">
          {role.keyids.map((keyid) => {
            const key = keysById.get(keyid);
            const signed = role.signers.includes(keyid);
            return (
              <li key={keyid} data-keyid={keyid}>
                <code title={keyid}>{shortId(keyid)}</code>
                <CopyButton value={keyid} label={`key ID ${shortId(keyid)}`} />
                <span className="muted">{key?.algorithm ?? 'unknown'}</span>
                {signed ? <span className="badge tone-ok">Signed</span> : <span className="badge tone-neutral">No valid signature</span>}
              </li>
            );
          })}
        </ul>
      )}
      <h3>Findings ({findings.length})</h3>
      {findings.length === 0 ? (
        <p className="muted">No findings for this role.</p>
      ) : (
        <ul className="finding-list">
          {findings.map((f, index) => {
            const s = SEVERITY[f.severity];
            return (
              <li key={`${f.code}-${f.keyid ?? ''}-${index}`} className="finding" data-severity={f.severity} data-code={f.code}>
                <code>{f.code}</code>
                <div>
                  <span className={`badge tone-${s.tone}`}>
                    <Icon name={s.icon} />
                    {s.label}
                  </span>{' '}
                  {f.message}
                  {f.keyid === undefined ? null : <span className="finding-meta"> — key {shortId(f.keyid)}</span>}
                </div>
                {f.detail === undefined ? null : <span className="finding-detail">{f.detail}</span>}
              </li>
            );
          })}
        </ul>
      )}
    </aside>
  );
}

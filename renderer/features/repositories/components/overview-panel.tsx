import type { ReactElement } from 'react';

import type { RepositoryDetail } from '../../../../shared/ipc/contract';
import { daysUntil, formatDate, formatDateTime, formatNumber } from '../../../lib/format';
import { FindingsPanel } from './findings-panel';
import { RoleStatusBadge } from './health-badge';
import { WARN_DAYS } from './report-types';
import { ScrollRegion } from '../../../components/scroll-region';

export function OverviewPanel({ detail }: { detail: RepositoryDetail }): ReactElement {
  const { report, summary } = detail;
  const now = new Date(report.evaluatedAt).getTime();
  const delegations = report.roles.filter((r) => r.kind === 'delegation').length;
  const stats: [string, string, (string | undefined)?][] = [
    ['Roles', String(report.roles.length), delegations > 0 ? `${delegations} delegated` : undefined],
    ['Keys', formatNumber(report.keys.length)],
    ['Targets', formatNumber(summary.targetCount), report.targetsTotal === undefined ? undefined : 'the Targets tab lists the first rows'],
    ['Root version', String(summary.rootVersion)],
    [
      'Signatures verified',
      formatNumber(report.stats.signaturesVerified),
      report.stats.skippedUnchanged === undefined ? undefined : `${formatNumber(report.stats.skippedUnchanged)} unchanged files not re-verified`,
    ],
    ['Private keys beside metadata', formatNumber(report.privateKeys.length)],
  ];
  return (
    <div className="stack">
      <dl className="stat-grid" aria-label="Repository counts">
        {stats.map(([label, value, sub]) => (
          <div className="stat" key={label}>
            <dt>{label}</dt>
            <dd>
              {value}
              {sub === undefined ? null : <span className="stat-sub">{sub}</span>}
            </dd>
          </div>
        ))}
      </dl>
      <div className="two-col">
        <section className="card" aria-labelledby="roles-heading">
          <div className="card-header">
            <h2 id="roles-heading">Roles</h2>
            <span className="muted">Evaluated {formatDateTime(report.evaluatedAt)}</span>
          </div>
          <ScrollRegion label="Roles table">
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">Role</th>
                  <th scope="col" className="num">
                    Version
                  </th>
                  <th scope="col" className="num">
                    Signatures
                  </th>
                  <th scope="col">Expires</th>
                  <th scope="col">Status</th>
                </tr>
              </thead>
              <tbody>
                {report.roles.map((role) => (
                  <tr key={role.name}>
                    <th scope="row" className="mono">
                      {role.name}
                    </th>
                    <td className="num">{role.version ?? '—'}</td>
                    <td className="num" title="valid signatures / threshold">
                      {role.validSignatures}/{role.requiredSignatures}
                    </td>
                    <td className="nowrap">{formatDate(role.expires)}</td>
                    <td>
                      <RoleStatusBadge
                        status={role.status}
                        expiringSoon={role.expires !== null && daysUntil(role.expires, now) < WARN_DAYS}
                      />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </ScrollRegion>
        </section>
        <section className="card" aria-labelledby="findings-heading">
          <div className="card-header">
            <h2 id="findings-heading">Findings</h2>
            <span className="muted">{report.findings.length} total</span>
          </div>
          <FindingsPanel findings={report.findings} />
        </section>
      </div>
    </div>
  );
}

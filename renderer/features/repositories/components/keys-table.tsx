import type { ReactElement } from 'react';

import { daysUntil, formatDate, shortId } from '../../../lib/format';
import { CopyButton } from './copy-button';
import type { ReportView } from './report-types';
import { ScrollRegion } from '../../../components/scroll-region';

const LOCATION_LABEL = { server: 'Server', file: 'File', token: 'Token', offline: 'Offline', unknown: 'Unknown' } as const;

export function KeysTable({ report }: { report: ReportView }): ReactElement {
  const now = new Date(report.evaluatedAt).getTime();
  if (report.keys.length === 0) return <p className="muted">This repository lists no keys.</p>;
  return (
    <ScrollRegion label="Keys table">
      <table className="table" aria-label="Keys">
        <thead>
          <tr>
            <th scope="col">Key ID</th>
            <th scope="col">Algorithm</th>
            <th scope="col">Roles</th>
            <th scope="col">Location</th>
            <th scope="col">Certificate</th>
            <th scope="col">ID = hash of key</th>
          </tr>
        </thead>
        <tbody>
          {report.keys.map((key) => {
            const certDays = key.cert === null ? null : daysUntil(key.cert.notAfter, now);
            return (
              <tr key={key.id} data-keyid={key.id}>
                <td>
                  <span className="row nowrap">
                    <code title={key.id}>{shortId(key.id)}</code>
                    <CopyButton value={key.id} label={`key ID ${shortId(key.id)}`} />
                  </span>
                  {key.canonicalId !== null && key.canonicalId !== key.id ? (
                    <span className="cell-sub nowrap">
                      canonical <code>{shortId(key.canonicalId)}</code>
                    </span>
                  ) : null}
                </td>
                <td className="nowrap">
                  {key.algorithm}
                  {/* Curve names already carry their size; RSA needs its modulus length. */}
                  {key.bits === null || !key.algorithm.startsWith('rsa') ? '' : ` ${key.bits}`}
                  <span className="cell-sub">{key.keytype}</span>
                </td>
                <td className="mono">{key.roles.length === 0 ? <span className="muted">none</span> : key.roles.join(', ')}</td>
                <td>
                  {LOCATION_LABEL[key.location.kind]}
                  {key.location.detail === undefined ? null : <span className="cell-sub mono">{key.location.detail}</span>}
                </td>
                <td>
                  {key.cert === null ? (
                    <span className="muted">—</span>
                  ) : (
                    <>
                      CN <code>{key.cert.subjectCN}</code>
                      <span className="cell-sub">
                        expires {formatDate(key.cert.notAfter)}
                        {certDays !== null && certDays < 0 ? ' (expired)' : ''}
                      </span>
                    </>
                  )}
                </td>
                <td>
                  {key.idMatchesHash ? (
                    <span className="badge tone-ok">Yes</span>
                  ) : (
                    <span className="badge tone-err">No — mismatch</span>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </ScrollRegion>
  );
}

import type { ReactElement } from 'react';

import type { CeremonyDetail } from '../../../../shared/ipc/ceremony';
import { Icon } from '../../../components/icons';
import { ReviewAlerts } from './review-alerts';

/** Failed checks as alerts first, then the human-readable diff against the trusted state, and every rule check (blocking ones first). */
export function ReviewPanel({ detail }: { detail: CeremonyDetail }): ReactElement {
  const order = { blocking: 0, warning: 1, info: 2 } as const;
  const checks = [...detail.checks].sort((a, b) => Number(a.passed) - Number(b.passed) || order[a.severity] - order[b.severity]);
  const failed = checks.filter((c) => !c.passed);
  const passed = checks.filter((c) => c.passed);
  return (
    <div className="stack">
      <ReviewAlerts detail={detail} />
      <section className="card" aria-labelledby="diff-title">
        <h2 id="diff-title" className="card-title">
          What changes
        </h2>
        <p className="muted">
          Against the trusted state (root v{detail.basisRootVersion ?? 0}). Read each line aloud before anyone signs.
        </p>
        <ul className="diff-list" aria-label="Changes">
          {detail.diff.map((d, i) => (
            <li key={`${d.role}-${d.kind}-${i}`} className={`diff-item diff-${d.kind}`} data-diff-kind={d.kind}>
              <span className="diff-role">{d.role}</span>
              <span>{d.summary}</span>
            </li>
          ))}
        </ul>
        <h3 className="subsection-title">Roles in this proposal</h3>
        <table className="table" aria-label="Proposed roles">
          <thead>
            <tr>
              <th scope="col">Role</th>
              <th scope="col">Version</th>
              <th scope="col">Expires (UTC)</th>
              <th scope="col">Signed</th>
              <th scope="col">Payload SHA-256</th>
            </tr>
          </thead>
          <tbody>
            {detail.roles.map((r) => (
              <tr key={r.role}>
                <td>{r.role}</td>
                <td className="num">{r.version}</td>
                <td className="nowrap">{r.expires}</td>
                <td>{r.signing === 'offline' ? 'in this ceremony' : r.signing === 'online' ? 'online key at publish' : 'by the server'}</td>
                <td className="mono cell-sub">{r.payloadSha256}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <h3 className="subsection-title">Keys in the proposal</h3>
        <ul className="plain-list" aria-label="Keys in the proposal">
          {detail.keys.map((k) => (
            <li key={k.keyid}>
              <span className="mono">{k.keyid.slice(0, 16)}…</span> {k.algorithm} — {k.tokenSerial === null ? (k.where === 'file' ? 'key file' : 'held elsewhere') : `token ${k.tokenSerial}`}
              {k.holder === null ? '' : `, ${k.holder}`}
            </li>
          ))}
        </ul>
      </section>
      <section className="card" aria-labelledby="checks-title">
        <h2 id="checks-title" className="card-title">
          Rule checks
        </h2>
        <p data-testid="checks-summary">
          {passed.length} of {checks.length} checks passed
          {failed.length === 0 ? '.' : `; ${failed.filter((c) => c.severity === 'blocking').length} blocking, ${failed.filter((c) => c.severity !== 'blocking').length} warnings (listed first).`}
        </p>
        <CheckTable label="Rule checks" checks={failed} />
        <details className="checks-details">
          <summary>All passed checks ({passed.length})</summary>
          <CheckTable label="Passed rule checks" checks={passed} />
        </details>
      </section>
    </div>
  );
}

type Check = CeremonyDetail['checks'][number];

function CheckTable({ label, checks }: { label: string; checks: Check[] }): ReactElement | null {
  if (checks.length === 0) return null;
  return (
    <table className="table" aria-label={label}>
      <thead>
        <tr>
          <th scope="col">Result</th>
          <th scope="col">Rule</th>
          <th scope="col">Role</th>
          <th scope="col">Detail</th>
        </tr>
      </thead>
      <tbody>
        {checks.map((c, i) => (
          <tr key={`${c.code}-${c.role ?? ''}-${i}`} data-check={c.code} data-passed={c.passed}>
            <td className="nowrap">
              <span className={`badge ${c.passed ? 'tone-ok' : c.severity === 'blocking' ? 'tone-err' : 'tone-warn'}`}>
                <Icon name={c.passed ? 'check' : c.severity === 'blocking' ? 'error' : 'alert'} />
                {c.passed ? 'Passed' : c.severity === 'blocking' ? 'Blocking' : 'Warning'}
              </span>
            </td>
            <td className="mono">{c.code}</td>
            <td>{c.role ?? '—'}</td>
            <td>{c.message}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

import type { ReactElement } from 'react';

import type { Finding, Severity } from '../../../../shared/inspection/report';
import { Alert } from '../../../components/alert';
import { Icon } from '../../../components/icons';
import { shortId } from '../../../lib/format';
import { SEVERITY } from './health-badge';

const ORDER: readonly Severity[] = ['error', 'warning', 'info'];

/** Findings grouped by severity, each with its stable code so officers can look it up. */
export function FindingsPanel({ findings }: { findings: readonly Finding[] }): ReactElement {
  if (findings.length === 0) {
    return <Alert tone="ok" title="No findings">Every role verified, nothing expires within the warning window.</Alert>;
  }
  return (
    <div>
      {ORDER.map((severity) => {
        const group = findings.filter((f) => f.severity === severity);
        if (group.length === 0) return null;
        const s = SEVERITY[severity];
        const headingId = `findings-${severity}`;
        return (
          <section key={severity} className="findings-group" aria-labelledby={headingId}>
            <h3 id={headingId}>
              <span className={`badge tone-${s.tone}`}>
                <Icon name={s.icon} />
                {s.plural}
              </span>
              <span className="muted">{group.length}</span>
            </h3>
            <ul className="finding-list">
              {group.map((f, index) => (
                <li key={`${f.code}-${f.role ?? ''}-${f.keyid ?? ''}-${index}`} className="finding" data-severity={f.severity} data-code={f.code}>
                  <code>{f.code}</code>
                  <div>
                    <span>{f.message}</span>
                    {f.role === undefined && f.keyid === undefined ? null : (
                      <span className="finding-meta">
                        {' '}
                        — {f.role === undefined ? '' : `role ${f.role}`}
                        {f.role !== undefined && f.keyid !== undefined ? ', ' : ''}
                        {f.keyid === undefined ? '' : `key ${shortId(f.keyid)}`}
                      </span>
                    )}
                  </div>
                  {f.detail === undefined ? null : <span className="finding-detail">{f.detail}</span>}
                </li>
              ))}
            </ul>
          </section>
        );
      })}
    </div>
  );
}

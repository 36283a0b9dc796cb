import type { ReactElement } from 'react';

import type { CeremonyDetail } from '../../../../shared/ipc/ceremony';

type Check = CeremonyDetail['checks'][number];

/** What a blocking RESIGNS_COMPROMISED_CONTENT asks of the GUI user (the engine's message names CLI flags). */
const SUSPECT_HINT =
  'Start the recovery again (New ceremony… → Recover) and, under "Targets the compromised keys could have signed", choose for this role "Drop suspect targets" or, after checking each one, "I checked them; keep".';

function alertTitle(c: Check): string {
  if (c.code === 'REQUEST_FIRST_USE') return 'First use: nothing trusted here vouches for this request';
  if (c.code === 'KEY_UNKNOWN_HERE') return 'A key unknown to this workstation';
  if (c.code === 'RESIGNS_COMPROMISED_CONTENT') return c.severity === 'blocking' ? 'Suspect targets would be re-signed' : 'Suspect targets kept';
  if (c.code === 'CERT_EXPIRING') return 'A root certificate expires soon';
  return c.severity === 'blocking' ? 'Blocking' : 'Warning';
}

/**
 * Failed checks (blocking, then warnings: first use, unknown keys, expiring certificates…) as
 * alerts ABOVE the diff, so nobody reads the changes without them; then every root/targets key
 * with its fingerprint (ROLE_KEYS) to compare aloud with the holders.
 */
export function ReviewAlerts({ detail }: { detail: CeremonyDetail }): ReactElement | null {
  const failed = detail.checks.filter((c) => !c.passed).sort((a, b) => Number(b.severity === 'blocking') - Number(a.severity === 'blocking'));
  const roleKeys = detail.checks.filter((c) => c.code === 'ROLE_KEYS');
  if (failed.length === 0 && roleKeys.length === 0) return null;
  return (
    <div className="stack" data-testid="review-alerts">
      {failed.map((c, i) => (
        <div key={`${c.code}-${c.role ?? ''}-${i}`} className={`alert ${c.severity === 'blocking' ? 'tone-err' : 'tone-warn'}`} role={c.severity === 'blocking' ? 'alert' : 'status'} data-alert={c.code} data-severity={c.severity}>
          <div>
            <strong>
              {alertTitle(c)}
              {c.role === null ? '' : ` (${c.role})`}
            </strong>{' '}
            <span className="mono cell-sub">{c.code}</span>
            <p>{c.message}</p>
            {c.code === 'RESIGNS_COMPROMISED_CONTENT' && c.severity === 'blocking' && detail.summary.kind === 'recover' ? <p data-testid="suspect-hint">{SUSPECT_HINT}</p> : null}
          </div>
        </div>
      ))}
      {roleKeys.length === 0 ? null : (
        <section className="card" aria-labelledby="role-keys-title" data-testid="role-keys">
          <h2 id="role-keys-title" className="card-title">
            Root and targets keys after this ceremony
          </h2>
          <p className="muted">Compare each fingerprint with its holder before signing.</p>
          <ul className="plain-list" aria-label="Root and targets keys">
            {roleKeys.map((c, i) => (
              <li key={`${c.role ?? ''}-${i}`} className="mono">
                {c.message}
              </li>
            ))}
          </ul>
        </section>
      )}
    </div>
  );
}

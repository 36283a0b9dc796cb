import { type ReactElement, useState } from 'react';

import type { BundleReport } from '../../../../shared/ipc/ceremony';
import type { IpcError } from '../../../../shared/ipc/result';
import { ErrorAlert } from '../../../components/alert';
import { Icon } from '../../../components/icons';
import { formatBytes } from '../../../lib/format';
import { useBundlesStore } from '../../../stores/ceremonies-bundles-store';
import { useKeysStore } from '../../../stores/keys-store';
import { JournalHead } from '../../ceremonies/components/journal-head';

/** One bundle: verdict, every check, manifest entries, metadata, signatures, journal head words. */
export function BundleReportCard({ report }: { report: BundleReport }): ReactElement {
  const exportCopy = useBundlesStore((s) => s.exportCopy);
  const pickFile = useKeysStore((s) => s.pickFile);
  const [exported, setExported] = useState<string | null>(null);
  const [error, setError] = useState<IpcError | null>(null);
  const name = report.displayPath.split(/[\\/]/).pop() ?? report.displayPath;

  const doExport = async (): Promise<void> => {
    setError(null);
    const picked = await pickFile({ mode: 'save', title: 'Export a copy of the bundle', suggestedName: name });
    if (!picked.ok) return setError(picked.error);
    if (picked.value === null) return;
    const result = await exportCopy(report.pickId, picked.value.pickId);
    if (result.ok) setExported(`${result.value.displayPath} (SHA-256 ${result.value.sha256})`);
    else setError(result.error);
  };

  return (
    <article className="card stack" aria-labelledby={`bundle-${report.pickId}`} data-bundle-ok={report.ok}>
      <div className="card-header row">
        <h2 id={`bundle-${report.pickId}`} className="card-title">
          {name}
        </h2>
        <span className={`badge ${report.ok ? 'tone-ok' : 'tone-err'}`} data-testid="bundle-verdict">
          <Icon name={report.ok ? 'check' : 'error'} />
          {report.ok ? 'Verified' : 'Rejected'}
        </span>
        {report.ok ? (
          <button type="button" className="button small" onClick={() => void doExport()}>
            Export copy…
          </button>
        ) : null}
      </div>
      <dl className="facts">
        <dt>File</dt>
        <dd className="mono">{report.displayPath}</dd>
        <dt>Kind</dt>
        <dd>{report.kind ?? 'unknown'}</dd>
        <dt>Repository</dt>
        <dd>{report.repository === null ? '—' : `${report.repository.name} (${report.repository.dialect})`}</dd>
        <dt>Created</dt>
        <dd>{report.createdAt ?? '—'}</dd>
        <dt>SHA-256</dt>
        <dd className="mono">{report.sha256 ?? '—'}</dd>
        <dt>Size</dt>
        <dd>{report.size === null ? '—' : formatBytes(report.size)}</dd>
      </dl>
      {report.journal === null ? null : <JournalHead head={report.journal.head} words={report.journal.headWords} entries={report.journal.entries} />}
      <table className="table bundle-checks" aria-label={`Checks of ${name}`}>
        <thead>
          <tr>
            <th scope="col">Result</th>
            <th scope="col">Check</th>
            <th scope="col">Detail</th>
          </tr>
        </thead>
        <tbody>
          {report.checks.map((c, i) => (
            <tr key={`${c.code}-${i}`} data-check={c.code} data-passed={c.passed}>
              <td>
                <span className={`badge ${c.passed ? 'tone-ok' : 'tone-err'}`}>{c.passed ? 'Passed' : 'Failed'}</span>
              </td>
              <td className="mono">{c.code}</td>
              <td>
                {c.message}
                {c.entry === null ? null : <span className="cell-sub mono"> ({c.entry})</span>}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {report.metadata.length > 0 ? (
        <table className="table" aria-label={`Metadata in ${name}`}>
          <thead>
            <tr>
              <th scope="col">Role</th>
              <th scope="col">Version</th>
              <th scope="col">Expires</th>
              <th scope="col">Signatures</th>
              <th scope="col">SHA-256</th>
            </tr>
          </thead>
          <tbody>
            {report.metadata.map((m) => (
              <tr key={m.role}>
                <td>{m.role}</td>
                <td className="num">{m.version ?? '—'}</td>
                <td className="nowrap">{m.expires ?? m.error ?? '—'}</td>
                <td className="num">{m.signatures ?? '—'}</td>
                <td className="mono cell-sub">{m.sha256.slice(0, 16)}…</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {report.proposal === null ? null : (
        <div>
          <h3 className="subsection-title">
            Proposal {report.proposal.kind} <span className="mono muted">{report.proposal.ceremonyId}</span>
          </h3>
          <ul className="plain-list">
            {report.proposal.diff.map((d) => (
              <li key={d}>{d}</li>
            ))}
          </ul>
        </div>
      )}
      {report.signatures.length > 0 ? (
        <ul className="plain-list cell-sub" aria-label={`Signatures in ${name}`}>
          {report.signatures.map((s) => (
            <li key={`${s.role}-${s.keyid}`}>
              {s.role} v{s.version}: {s.signerLabel} <span className="mono">({s.keyid.slice(0, 12)}…)</span>, verified {s.verifiedAt}
            </li>
          ))}
        </ul>
      ) : null}
      <details>
        <summary>Manifest entries ({report.entries.length})</summary>
        <ul className="plain-list mono cell-sub">
          {report.entries.map((e) => (
            <li key={e.path}>
              {e.path} · {e.length} bytes · {e.sha256.slice(0, 16)}…
            </li>
          ))}
        </ul>
      </details>
      {exported === null ? null : (
        <div className="alert tone-ok" role="status">
          <strong>Copy written</strong>
          <p>{exported}</p>
        </div>
      )}
      {error === null ? null : <ErrorAlert title="Not exported" error={error} />}
    </article>
  );
}

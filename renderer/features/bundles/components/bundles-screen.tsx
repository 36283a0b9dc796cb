import { type ReactElement, useState } from 'react';

import type { IpcError } from '../../../../shared/ipc/result';
import { ErrorAlert } from '../../../components/alert';
import { EmptyState } from '../../../components/empty-state';
import { Icon } from '../../../components/icons';
import { useBundlesStore } from '../../../stores/ceremonies-bundles-store';
import { useKeysStore } from '../../../stores/keys-store';
import { BundleReportCard } from './bundle-report';
import '../../ceremonies/ceremonies.css';

/** Bundles: what crosses the air gap. Import a bundle file, verify it, see its contents, export a copy. */
export function BundlesScreen(): ReactElement {
  const reports = useBundlesStore((s) => s.reports);
  const inspect = useBundlesStore((s) => s.inspect);
  const pickFile = useKeysStore((s) => s.pickFile);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<IpcError | null>(null);

  const choose = async (): Promise<void> => {
    setError(null);
    const picked = await pickFile({ mode: 'open', title: 'Choose a bundle file' });
    if (!picked.ok) return setError(picked.error);
    if (picked.value === null) return;
    setBusy(true);
    const result = await inspect(picked.value.pickId);
    setBusy(false);
    if (!result.ok) setError(result.error);
  };

  return (
    <section aria-labelledby="page-title" className="bundles-screen">
      <div className="page-header">
        <div>
          <h1 id="page-title" tabIndex={-1}>
            Bundles
          </h1>
          <p>Request bundles in, signed and partial-signature bundles out: each one checked before you trust it.</p>
        </div>
        <div className="row">
          <button type="button" className="button primary" onClick={() => void choose()} disabled={busy}>
            <Icon name="folder" />
            {busy ? 'Verifying…' : 'Import bundle file…'}
          </button>
        </div>
      </div>
      {error === null ? null : <ErrorAlert title="The bundle could not be read" error={error} />}
      {reports.length === 0 ? (
        <EmptyState icon="bundle" title="No bundle opened yet">
          <p>Choose a bundle file from removable media. Keyrite checks every manifest digest, the journal chain and the signatures, and writes nothing while reading it.</p>
        </EmptyState>
      ) : (
        <div className="stack">
          {reports.map((r) => (
            <BundleReportCard key={r.displayPath} report={r} />
          ))}
        </div>
      )}
    </section>
  );
}

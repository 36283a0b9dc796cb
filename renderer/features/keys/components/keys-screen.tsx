import { type ReactElement, useEffect, useState } from 'react';

import type { InventoryRow } from '../../../../shared/ipc/custody';
import { Alert, ErrorAlert } from '../../../components/alert';
import { EmptyState } from '../../../components/empty-state';
import { Icon } from '../../../components/icons';
import { formatDateTime } from '../../../lib/format';
import { useKeysStore } from '../../../stores/keys-store';
import { EnrollWizard } from './enroll-wizard';
import { ExportKeyDialog } from './export-key-dialog';
import { ImportKeyDialog } from './import-key-dialog';
import { InventoryTable } from './inventory-table';
import { SoftwareKeyDialog } from './software-key-dialog';
import { TokenCard } from './token-card';
import { TouchPrompt } from './touch-prompt';
import '../keys.css';

type Open = { kind: 'enroll'; serial: string | null } | { kind: 'import' } | { kind: 'software' } | { kind: 'export'; row: InventoryRow } | null;

/** Keys & Tokens: the live token list with each token's keys, and the key inventory. */
export function KeysScreen(): ReactElement {
  const start = useKeysStore((s) => s.start);
  const refresh = useKeysStore((s) => s.refresh);
  const snapshot = useKeysStore((s) => s.snapshot);
  const listError = useKeysStore((s) => s.listError);
  const keys = useKeysStore((s) => s.keys);
  const inventory = useKeysStore((s) => s.inventory);
  const inventoryError = useKeysStore((s) => s.inventoryError);
  const [open, setOpen] = useState<Open>(null);

  useEffect(() => start(), [start]);

  const tokens = snapshot?.tokens ?? [];
  return (
    <section aria-labelledby="page-title" className="keys-screen">
      <div className="page-header">
        <div>
          <h1 id="page-title" tabIndex={-1}>
            Keys &amp; Tokens
          </h1>
          <p>Hardware tokens, the keys on them, and where every signing key lives.</p>
        </div>
        <div className="row">
          <button type="button" className="button" onClick={() => void refresh()}>
            <Icon name="refresh" />
            Rescan
          </button>
          <button type="button" className="button" onClick={() => setOpen({ kind: 'import' })}>
            Import key file…
          </button>
          <button type="button" className="button" onClick={() => setOpen({ kind: 'software' })}>
            Software key…
          </button>
          <button type="button" className="button primary" onClick={() => setOpen({ kind: 'enroll', serial: null })} disabled={tokens.length === 0}>
            <Icon name="plus" />
            Enroll key on token
          </button>
        </div>
      </div>

      <TouchPrompt />

      <h2 className="section-title">Tokens</h2>
      {listError !== null ? <ErrorAlert title="The token list could not be read" error={listError} /> : null}
      {snapshot === null ? (
        <p className="muted" role="status">
          Looking for tokens…
        </p>
      ) : snapshot.problem !== null ? (
        <Alert tone="warn" title="Tokens unavailable">
          {snapshot.problem}
        </Alert>
      ) : tokens.length === 0 ? (
        <EmptyState icon="key" title="No token connected">
          <p>Plug in a YubiKey (or another PKCS#11 token). The list updates by itself.</p>
          <p className="muted">Module: {snapshot.modulePath ?? 'none'}</p>
        </EmptyState>
      ) : (
        <div className="token-list" aria-live="polite">
          {tokens.map((token) => (
            <TokenCard key={token.serial} token={token} keys={keys[token.serial]} onEnroll={(serial) => setOpen({ kind: 'enroll', serial })} />
          ))}
          <p className="muted scan-note">
            Module {snapshot.modulePath ?? '—'} · last scan {formatDateTime(snapshot.scannedAt)}
          </p>
        </div>
      )}

      <h2 className="section-title">Inventory</h2>
      {inventoryError !== null ? <ErrorAlert title="The key inventory could not be read" error={inventoryError} /> : null}
      {inventory === null ? null : inventory.length === 0 ? (
        <EmptyState icon="key" title="No keys recorded yet">
          <p>Enroll a key on a token, import a Notary or Docker key file, or generate a software key.</p>
        </EmptyState>
      ) : (
        <InventoryTable rows={inventory} onExport={(row) => setOpen({ kind: 'export', row })} />
      )}

      {open?.kind === 'enroll' ? <EnrollWizard tokens={tokens} initialSerial={open.serial} onClose={() => setOpen(null)} /> : null}
      {open?.kind === 'import' ? <ImportKeyDialog onClose={() => setOpen(null)} /> : null}
      {open?.kind === 'software' ? <SoftwareKeyDialog onClose={() => setOpen(null)} /> : null}
      {open?.kind === 'export' ? <ExportKeyDialog row={open.row} onClose={() => setOpen(null)} /> : null}
    </section>
  );
}

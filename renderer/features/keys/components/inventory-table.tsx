import type { ReactElement } from 'react';

import type { InventoryRow } from '../../../../shared/ipc/custody';
import { ScrollRegion } from '../../../components/scroll-region';
import { formatDate } from '../../../lib/format';
import { AttestationBadge } from './badges';
import { ShortKeyId } from './key-ids';

const ALGORITHM: Record<InventoryRow['algorithm'], string> = {
  ed25519: 'Ed25519',
  'ecdsa-p256': 'ECDSA P-256',
  'ecdsa-p384': 'ECDSA P-384',
  rsa: 'RSA',
};

function Location({ row }: { row: InventoryRow }): ReactElement {
  const l = row.location;
  if (l.kind === 'token') {
    return (
      <>
        Token {l.tokenLabel ?? ''} <span className="mono">{l.tokenSerial}</span>
        <span className="cell-sub">slot {l.slot ?? `CKA_ID ${l.ckaId}`}</span>
      </>
    );
  }
  if (l.kind === 'file') {
    return (
      <>
        Key file{row.status === 'quarantined' ? ' (quarantined)' : ''}
        <span className="cell-sub mono" title={l.fileName}>
          {l.fileName}
        </span>
      </>
    );
  }
  return (
    <>
      Server-managed<span className="cell-sub">{l.server ?? 'Notary server'}</span>
    </>
  );
}

/** Which key is where, what it serves and who holds it. */
export function InventoryTable({ rows, onExport }: { rows: InventoryRow[]; onExport: (row: InventoryRow) => void }): ReactElement {
  return (
    <ScrollRegion label="Key inventory table">
      <table className="table" aria-label="Key inventory">
        <thead>
          <tr>
            <th scope="col">Key</th>
            <th scope="col">Where</th>
            <th scope="col">Role</th>
            <th scope="col">Repository</th>
            <th scope="col">Holder</th>
            <th scope="col">Attestation</th>
            <th scope="col">Added</th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.id} data-inventory-id={row.id}>
              <td>
                {row.label ?? <span className="muted">no label</span>}
                <span className="cell-sub">
                  {ALGORITHM[row.algorithm]} · <ShortKeyId id={row.keyIds.notary} dialect="Notary" /> · TUF <ShortKeyId id={row.keyIds.tuf} dialect="TUF" />
                </span>
              </td>
              <td>
                <Location row={row} />
              </td>
              <td>{row.roles.length > 0 ? row.roles.join(', ') : <span className="muted">none</span>}</td>
              <td>{row.gun ?? <span className="muted">—</span>}</td>
              <td>{row.holder ?? <span className="muted">—</span>}</td>
              <td>
                {row.attestation ? (
                  <AttestationBadge attestation={row.attestation} />
                ) : row.location.kind === 'file' ? (
                  <span className="muted">software key</span>
                ) : (
                  <span className="muted">not checked</span>
                )}
              </td>
              <td className="nowrap">{formatDate(row.addedAt)}</td>
              <td>
                {row.location.kind === 'file' && row.status === 'active' ? (
                  <button type="button" className="button small" onClick={() => onExport(row)} aria-label={`Export ${row.label ?? row.id.slice(0, 12)}`}>
                    Export…
                  </button>
                ) : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </ScrollRegion>
  );
}

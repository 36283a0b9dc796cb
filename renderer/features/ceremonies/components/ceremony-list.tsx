import type { ReactElement } from 'react';

import type { CeremonySummary } from '../../../../shared/ipc/ceremony';
import { formatDateTime } from '../../../lib/format';
import { PHASE_LABEL, PHASE_TONE } from './names';

/** Every ceremony of this workspace with phase, repository and the journal head words. */
export function CeremonyList({ rows, onOpen }: { rows: CeremonySummary[]; onOpen: (id: string) => void }): ReactElement {
  return (
    <table className="table ceremony-table" aria-label="Ceremonies">
      <thead>
        <tr>
          <th scope="col">Ceremony</th>
          <th scope="col">Repository</th>
          <th scope="col">Phase</th>
          <th scope="col">Started</th>
          <th scope="col">Journal head</th>
          <th scope="col">
            <span className="visually-hidden">Actions</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => {
          const unfinished = row.phase !== 'exported' && row.phase !== 'aborted';
          return (
            <tr key={row.id} data-ceremony-id={row.id}>
              <td>
                <strong>{row.kind}</strong>
                <div className="cell-sub mono">{row.id}</div>
              </td>
              <td>
                {row.repository}
                <div className="cell-sub">{row.dialect}</div>
              </td>
              <td>
                <span className={`badge ${PHASE_TONE[row.phase] ?? ''}`}>{PHASE_LABEL[row.phase] ?? row.phase}</span>
              </td>
              <td className="nowrap">{formatDateTime(row.createdAt)}</td>
              <td>
                <span className="journal-words-short">{row.journalWords.slice(0, 6).join(' ')} …</span>
                <div className="cell-sub mono">{row.journalHead.slice(0, 16)}…</div>
              </td>
              <td>
                <button type="button" className={unfinished ? 'button small primary' : 'button small'} onClick={() => onOpen(row.id)} aria-label={`${unfinished ? 'Resume' : 'Open'} ${row.kind} ${row.id}`}>
                  {unfinished ? 'Resume' : 'Open'}
                </button>
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

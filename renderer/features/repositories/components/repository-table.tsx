import type { ReactElement } from 'react';

import type { RepositorySummary } from '../../../../shared/ipc/contract';
import { formatDateTime, formatNumber } from '../../../lib/format';
import { HealthBadge } from './health-badge';
import { DIALECT_LABEL, SOURCE_LABEL } from './source-label';
import { ScrollRegion } from '../../../components/scroll-region';

export function RepositoryTable({ list, onOpen }: { list: RepositorySummary[]; onOpen: (id: string) => void }): ReactElement {
  return (
    <ScrollRegion label="Repositories table">
      <table className="table" aria-label="Repositories">
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Dialect</th>
            <th scope="col">Source</th>
            <th scope="col">Health</th>
            <th scope="col" className="num">
              Errors
            </th>
            <th scope="col" className="num">
              Warnings
            </th>
            <th scope="col" className="num">
              Root v.
            </th>
            <th scope="col" className="num">
              Targets
            </th>
            <th scope="col">Inspected</th>
          </tr>
        </thead>
        <tbody>
          {list.map((repo) => (
            <tr key={repo.id} data-repository={repo.name}>
              <td>
                <button type="button" className="link-button" onClick={() => onOpen(repo.id)}>
                  {repo.name}
                </button>
              </td>
              <td className="nowrap">{DIALECT_LABEL[repo.dialect]}</td>
              <td>
                {SOURCE_LABEL[repo.source.kind]}
                <span className="cell-sub mono" title={repo.source.location}>
                  {repo.source.location}
                </span>
              </td>
              <td>
                <HealthBadge health={repo.health} />
              </td>
              <td className="num">{formatNumber(repo.errors)}</td>
              <td className="num">{formatNumber(repo.warnings)}</td>
              <td className="num">{repo.rootVersion}</td>
              <td className="num">{formatNumber(repo.targetCount)}</td>
              <td className="nowrap">{formatDateTime(repo.inspectedAt)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </ScrollRegion>
  );
}

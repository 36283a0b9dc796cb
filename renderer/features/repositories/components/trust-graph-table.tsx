import type { ReactElement } from 'react';

import type { RoleView } from '../../../../shared/inspection/report';
import { ScrollRegion } from '../../../components/scroll-region';
import { formatDate } from '../../../lib/format';
import { RoleStatusBadge } from './health-badge';
import { ROLE_DETAILS_ID } from './role-details-panel';

/**
 * The graph's nodes and edges as a table: the canvas cannot be read by a screen reader, so this is
 * the accessible equivalent, and selecting a role here opens the same details panel.
 */
export function TrustGraphTable({
  roles,
  parentOf,
  expiringSoon,
  selected,
  onSelect,
}: {
  roles: readonly RoleView[];
  parentOf: (role: RoleView) => string | null;
  expiringSoon: (role: RoleView) => boolean;
  selected: string | null;
  onSelect: (name: string) => void;
}): ReactElement {
  return (
    <ScrollRegion label="Trust graph table">
      <table className="table" aria-label="Trust graph roles">
        <thead>
          <tr>
            <th scope="col">Role</th>
            <th scope="col">Delegated by</th>
            <th scope="col">Status</th>
            <th scope="col">Signatures</th>
            <th scope="col">Keys</th>
            <th scope="col">Version</th>
            <th scope="col">Expires</th>
          </tr>
        </thead>
        <tbody>
          {roles.map((role) => (
            <tr key={role.name} data-role={role.name} data-selected={role.name === selected ? true : undefined}>
              <th scope="row">
                <button
                  type="button"
                  className="link-button mono"
                  onClick={() => onSelect(role.name)}
                  aria-controls={ROLE_DETAILS_ID}
                  aria-pressed={role.name === selected}
                >
                  {role.name}
                </button>
              </th>
              <td className="mono">{parentOf(role) ?? <span className="muted">—</span>}</td>
              <td>
                <RoleStatusBadge status={role.status} expiringSoon={expiringSoon(role)} />
              </td>
              <td className="nowrap">
                {role.validSignatures} valid / {role.requiredSignatures} required
              </td>
              <td>
                {role.keyids.length} (threshold {role.threshold})
              </td>
              <td>{role.version ?? '—'}</td>
              <td className="nowrap">{formatDate(role.expires)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </ScrollRegion>
  );
}

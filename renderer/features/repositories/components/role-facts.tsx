import type { ReactElement } from 'react';

import type { RoleView } from '../../../../shared/inspection/report';
import { formatDate } from '../../../lib/format';

/**
 * The <dt>/<dd> pairs every view of a role shows the same way (graph node and details panel), so
 * threshold and signature counts never read differently in two places.
 */
export function RoleFacts({ role }: { role: RoleView }): ReactElement {
  return (
    <>
      <dt>Threshold</dt>
      <dd>{role.threshold}</dd>
      <dt>Signatures</dt>
      <dd>
        {role.validSignatures} valid / {role.requiredSignatures} required
      </dd>
      <dt>Version</dt>
      <dd>{role.version ?? '—'}</dd>
      <dt>Expires</dt>
      <dd>{formatDate(role.expires)}</dd>
    </>
  );
}

import type { ReactElement } from 'react';

import type { RequestPreview } from '../../../../../shared/ipc/ceremony';
import { Icon } from '../../../../components/icons';
import { keyName } from '../names';

/** The request bundle as read and checked in main: repository, source, current root. */
export function RequestFacts({ request }: { request: RequestPreview }): ReactElement {
  return (
    <div className="stack" data-testid="request-facts">
      <div className="picked-path">
        <Icon name="folder" />
        {request.displayPath}
      </div>
      <dl className="facts">
        <dt>Repository</dt>
        <dd>
          {request.repository} <span className="muted">({request.dialect})</span>
        </dd>
        <dt>Pulled from</dt>
        <dd className="mono">{request.source}</dd>
        <dt>Pulled at</dt>
        <dd>{request.createdAt}</dd>
        <dt>Current root</dt>
        <dd>
          {request.rootVersion === 0
            ? 'none yet (a new repository)'
            : `version ${request.rootVersion}, threshold ${request.rootThreshold ?? '—'} of ${request.rootKeys.length}, expires ${request.rootExpires ?? '—'}`}
        </dd>
        {request.rootKeys.length === 0 ? null : (
          <>
            <dt>Root keys</dt>
            <dd>
              <ul className="plain-list">
                {request.rootKeys.map((k) => (
                  <li key={k.keyid}>{keyName(k)}</li>
                ))}
              </ul>
            </dd>
          </>
        )}
        {request.roles.length === 0 ? null : (
          <>
            <dt>Roles</dt>
            <dd>{request.roles.map((r) => `${r.role}${r.dueForRefresh ? ' (due for refresh)' : ''}`).join(', ')}</dd>
          </>
        )}
        {request.serverKeys.length === 0 ? null : (
          <>
            <dt>Server keys</dt>
            <dd>{request.serverKeys.map((k) => `${k.role} ${k.keyid.slice(0, 12)}…`).join(', ')}</dd>
          </>
        )}
        {request.targetChanges === 0 ? null : (
          <>
            <dt>Target changes</dt>
            <dd>{request.targetChanges}</dd>
          </>
        )}
      </dl>
    </div>
  );
}

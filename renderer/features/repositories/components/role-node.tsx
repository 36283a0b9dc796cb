import { Handle, type Node, type NodeProps, Position } from '@xyflow/react';
import type { ReactElement } from 'react';

import type { RoleView } from '../../../../shared/inspection/report';
import { RoleFacts } from './role-facts';
import { RoleStatusBadge } from './health-badge';

export type RoleNodeData = { role: RoleView; expiringSoon: boolean; tone: 'ok' | 'warn' | 'err'; selected: boolean };
export type RoleNodeType = Node<RoleNodeData, 'role'>;

export const ROLE_NODE_WIDTH = 230;
export const ROLE_NODE_HEIGHT = 172;

/** One role in the trust graph: status in colour AND text, keys, threshold, signatures, version, expiry. */
export function RoleNode({ data }: NodeProps<RoleNodeType>): ReactElement {
  const { role, expiringSoon, tone, selected } = data;
  return (
    <div className="role-node" data-tone={tone} data-role={role.name} data-selected={selected}>
      <Handle type="target" position={Position.Top} isConnectable={false} />
      <div className="role-node-title">
        <strong className="mono" title={role.name}>
          {role.name}
        </strong>
        <RoleStatusBadge status={role.status} expiringSoon={expiringSoon} />
      </div>
      <dl>
        <dt>Keys</dt>
        <dd>{role.keyids.length}</dd>
        <RoleFacts role={role} />
      </dl>
      <Handle type="source" position={Position.Bottom} isConnectable={false} />
    </div>
  );
}

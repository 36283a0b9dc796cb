import { Background, Controls, type Edge, MarkerType, ReactFlow } from '@xyflow/react';
import { type ReactElement, useMemo } from 'react';

import type { RoleView } from '../../../../shared/inspection/report';
import { Alert } from '../../../components/alert';
import { daysUntil } from '../../../lib/format';
import { useElkLayout } from '../hooks/use-elk-layout';
import { ROLE_STATUS_TONE } from './health-badge';
import { type ReportView, WARN_DAYS } from './report-types';
import { ROLE_NODE_HEIGHT, ROLE_NODE_WIDTH, RoleNode, type RoleNodeType } from './role-node';

const NODE_TYPES = { role: RoleNode };

/** Who vouches for whom: root delegates to the top-level roles, targets to its delegations. */
function parentOf(role: RoleView): string | null {
  if (role.kind === 'root') return null;
  if (role.kind === 'delegation') return role.parent ?? 'targets';
  return 'root';
}

export function TrustGraph({ report }: { report: ReportView }): ReactElement {
  const now = new Date(report.evaluatedAt).getTime();
  const names = useMemo(() => new Set(report.roles.map((r) => r.name)), [report.roles]);
  const layoutInput = useMemo(
    () => ({
      nodes: report.roles.map((r) => ({ id: r.name, width: ROLE_NODE_WIDTH, height: ROLE_NODE_HEIGHT })),
      edges: report.roles.flatMap((r) => {
        const parent = parentOf(r);
        return parent !== null && names.has(parent) ? [{ id: `${parent}->${r.name}`, source: parent, target: r.name }] : [];
      }),
    }),
    [report.roles, names],
  );
  const { positions, error } = useElkLayout(layoutInput);

  const nodes = useMemo<RoleNodeType[]>(() => {
    if (positions === null) return [];
    return report.roles.map((role) => {
      const expiringSoon = role.expires !== null && daysUntil(role.expires, now) < WARN_DAYS;
      const base = ROLE_STATUS_TONE[role.status];
      const tone = base === 'ok' ? (expiringSoon ? 'warn' : 'ok') : 'err';
      return {
        id: role.name,
        type: 'role',
        position: positions[role.name] ?? { x: 0, y: 0 },
        data: { role, expiringSoon, tone },
        width: ROLE_NODE_WIDTH,
        height: ROLE_NODE_HEIGHT,
        ariaLabel: `${role.name}: ${role.status}, ${role.validSignatures} of ${role.requiredSignatures} signatures, version ${role.version ?? 'unknown'}`,
      };
    });
  }, [positions, report.roles, now]);

  const edges = useMemo<Edge[]>(
    () => layoutInput.edges.map((e) => ({ ...e, markerEnd: { type: MarkerType.ArrowClosed }, selectable: false })),
    [layoutInput.edges],
  );

  if (error !== null) return <Alert tone="err" title="The graph could not be laid out">{error}</Alert>;
  return (
    <div>
      <div className="graph-frame" aria-label="Trust graph: root delegates to targets, snapshot and timestamp; targets to its delegations" role="figure">
        {positions === null ? (
          <p className="muted" role="status">
            Laying out the graph…
          </p>
        ) : (
          <ReactFlow
            nodes={nodes}
            edges={edges}
            nodeTypes={NODE_TYPES}
            fitView
            fitViewOptions={{ padding: 0.15 }}
            nodesDraggable={false}
            nodesConnectable={false}
            elementsSelectable={false}
            minZoom={0.2}
            proOptions={{ hideAttribution: true }}
          >
            <Background gap={24} />
            <Controls showInteractive={false} />
          </ReactFlow>
        )}
      </div>
      <p className="legend">
        <span>Top bar colour and badge text give each role’s status.</span>
        <span>Arrows point from the delegating role to the role it vouches for.</span>
      </p>
    </div>
  );
}

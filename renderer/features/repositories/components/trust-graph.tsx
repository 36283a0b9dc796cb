import { Background, Controls, type Edge, MarkerType, ReactFlow } from '@xyflow/react';
import { type KeyboardEvent, type ReactElement, useMemo, useState } from 'react';

import type { RoleView } from '../../../../shared/inspection/report';
import { Alert } from '../../../components/alert';
import { daysUntil } from '../../../lib/format';
import { useElkLayout } from '../hooks/use-elk-layout';
import { ROLE_STATUS_TONE } from './health-badge';
import { type ReportView, WARN_DAYS } from './report-types';
import { ROLE_DETAILS_ID, RoleDetailsPanel } from './role-details-panel';
import { ROLE_NODE_HEIGHT, ROLE_NODE_WIDTH, RoleNode, type RoleNodeType } from './role-node';
import { TrustGraphTable } from './trust-graph-table';

const NODE_TYPES = { role: RoleNode };

/** Who vouches for whom: root delegates to the top-level roles, targets to its delegations. */
function parentOf(role: RoleView): string | null {
  if (role.kind === 'root') return null;
  if (role.kind === 'delegation') return role.parent ?? 'targets';
  return 'root';
}

export function TrustGraph({ report }: { report: ReportView }): ReactElement {
  const now = new Date(report.evaluatedAt).getTime();
  const [selected, setSelected] = useState<string | null>(null);
  const expiringSoon = (role: RoleView): boolean => role.expires !== null && daysUntil(role.expires, now) < WARN_DAYS;
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
      const soon = role.expires !== null && daysUntil(role.expires, now) < WARN_DAYS;
      const base = ROLE_STATUS_TONE[role.status];
      const tone = base === 'ok' ? (soon ? 'warn' : 'ok') : 'err';
      return {
        id: role.name,
        type: 'role',
        position: positions[role.name] ?? { x: 0, y: 0 },
        data: { role, expiringSoon: soon, tone, selected: role.name === selected },
        width: ROLE_NODE_WIDTH,
        height: ROLE_NODE_HEIGHT,
        // A button: Enter (handled on the frame) or a click opens the role's details.
        ariaRole: 'button' as const,
        domAttributes: { 'aria-pressed': role.name === selected, 'aria-controls': ROLE_DETAILS_ID },
        ariaLabel: `${role.name}: ${role.status}, ${role.validSignatures} of ${role.requiredSignatures} signatures, version ${role.version ?? 'unknown'}`,
      };
    });
  }, [positions, report.roles, now, selected]);

  const edges = useMemo<Edge[]>(
    () => layoutInput.edges.map((e) => ({ ...e, markerEnd: { type: MarkerType.ArrowClosed }, selectable: false })),
    [layoutInput.edges],
  );

  // React Flow only acts on Enter when elements are selectable; the graph is read-only, so the
  // key is caught here as it bubbles up from the focused node wrapper (which carries data-id).
  const onFrameKeyDown = (event: KeyboardEvent<HTMLDivElement>): void => {
    if (event.key !== 'Enter' && event.key !== ' ') return;
    const target = event.target instanceof HTMLElement ? event.target.closest<HTMLElement>('.react-flow__node') : null;
    const id = target?.dataset['id'];
    if (id === undefined || !names.has(id)) return;
    event.preventDefault();
    setSelected(id);
  };

  const visibleParent = (role: RoleView): string | null => {
    const parent = parentOf(role);
    return parent !== null && names.has(parent) ? parent : null;
  };
  const selectedRole = report.roles.find((r) => r.name === selected) ?? null;
  if (error !== null) return <Alert tone="err" title="The graph could not be laid out">{error}</Alert>;
  return (
    <div className="stack">
      <div className="graph-layout">
        <div
          className="graph-frame"
          role="figure"
          aria-label="Trust graph: root delegates to targets, snapshot and timestamp; targets to its delegations"
          onKeyDown={onFrameKeyDown}
        >
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
              onNodeClick={(_event, node) => setSelected(node.id)}
              minZoom={0.2}
              proOptions={{ hideAttribution: true }}
            >
              <Background gap={24} />
              <Controls showInteractive={false} />
            </ReactFlow>
          )}
        </div>
        <RoleDetailsPanel report={report} role={selectedRole} />
      </div>
      <p className="legend">
        <span>Top bar colour and badge text give each role’s status; select a role for its details.</span>
        <span>Arrows point from the delegating role to the role it vouches for.</span>
      </p>
      <TrustGraphTable roles={report.roles} parentOf={visibleParent} expiringSoon={expiringSoon} selected={selected} onSelect={setSelected} />
    </div>
  );
}

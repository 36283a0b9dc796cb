import ELK from 'elkjs/lib/elk.bundled.js';
import { useEffect, useState } from 'react';

export interface LayoutInput {
  nodes: { id: string; width: number; height: number }[];
  edges: { id: string; source: string; target: string }[];
}

export type Positions = Record<string, { x: number; y: number }>;

// One ELK instance; the bundled build runs in-thread (no worker URL, nothing fetched: CSP).
const elk = new ELK();

/** Layered (top-down) layout: root on top, top-level roles below it, delegations further down. */
export function useElkLayout(input: LayoutInput): { positions: Positions | null; error: string | null } {
  const [state, setState] = useState<{ key: string; positions: Positions | null; error: string | null }>({ key: '', positions: null, error: null });
  const key = JSON.stringify(input);

  useEffect(() => {
    let live = true;
    const graph = {
      id: 'root',
      layoutOptions: {
        'elk.algorithm': 'layered',
        'elk.direction': 'DOWN',
        'elk.layered.spacing.nodeNodeBetweenLayers': '70',
        'elk.spacing.nodeNode': '40',
        'elk.layered.nodePlacement.strategy': 'BRANDES_KOEPF',
      },
      children: input.nodes.map((n) => ({ id: n.id, width: n.width, height: n.height })),
      edges: input.edges.map((e) => ({ id: e.id, sources: [e.source], targets: [e.target] })),
    };
    elk
      .layout(graph)
      .then((laid) => {
        if (!live) return;
        const positions: Positions = {};
        for (const child of laid.children ?? []) positions[child.id] = { x: child.x ?? 0, y: child.y ?? 0 };
        setState({ key, positions, error: null });
      })
      .catch((error: unknown) => {
        if (live) setState({ key, positions: null, error: error instanceof Error ? error.message : String(error) });
      });
    return () => {
      live = false;
    };
    // `key` captures the whole input by value; the object identity changes every render.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key]);

  return state.key === key ? { positions: state.positions, error: state.error } : { positions: null, error: null };
}

/**
 * Delegation graph traversal, shared by both dialects: preorder depth-first from `targets` in
 * the order each role lists its delegations (the order the TUF client searches them, §5.6.7.2),
 * visiting every role once, reporting edges that close a cycle, and bounded in the number of
 * roles visited (catalogue #15: cycles, diamonds, huge graphs never run away).
 */

export interface DelegationEdge {
  parent: string;
  name: string;
  /** Position of the edge in its parent's `roles` list. */
  index: number;
  terminating: boolean;
  paths: readonly string[] | null;
  pathHashPrefixes: readonly string[] | null;
}

export interface VisitedRole {
  name: string;
  /** The edge through which the role was first reached (null for the top-level `targets`). */
  via: DelegationEdge | null;
  /** The role this one was first reached from (null for `targets`). */
  parent: VisitedRole | null;
  depth: number;
}

/** Edges from the top role down to `role`, top first (walked lazily: deep chains stay linear). */
export function chainOf(role: VisitedRole): DelegationEdge[] {
  const chain: DelegationEdge[] = [];
  for (let r: VisitedRole | null = role; r !== null && r.via !== null; r = r.parent) chain.push(r.via);
  return chain.reverse();
}

export interface DelegationWalk {
  order: VisitedRole[];
  /** Edges that lead back to a role on the current path. */
  cycles: DelegationEdge[];
  /** Role names reached a second time through another parent (diamonds), visited once. */
  revisited: string[];
  /** True when the walk stopped at `maxRoles`. */
  truncated: boolean;
}

/**
 * `childrenOf` returns the delegations a role makes, or null when the role could not be loaded
 * (its children are then unknown, not an error of the walk).
 */
export function walkDelegations(
  top: string,
  childrenOf: (role: string) => readonly DelegationEdge[] | null,
  maxRoles: number,
): DelegationWalk {
  const order: VisitedRole[] = [];
  const cycles: DelegationEdge[] = [];
  const revisited: string[] = [];
  const visited = new Set<string>();
  let truncated = false;

  // Explicit stack (no recursion) so a 10^5-deep chain cannot overflow the JS stack.
  type Frame = { role: VisitedRole; edges: readonly DelegationEdge[]; next: number };
  const start: VisitedRole = { name: top, via: null, parent: null, depth: 0 };
  visited.add(top);
  order.push(start);
  const onPath = new Set([top]);
  const stack: Frame[] = [{ role: start, edges: childrenOf(top) ?? [], next: 0 }];

  while (stack.length > 0) {
    const frame = stack[stack.length - 1];
    if (frame === undefined) break;
    if (frame.next >= frame.edges.length) {
      stack.pop();
      onPath.delete(frame.role.name);
      continue;
    }
    const edge = frame.edges[frame.next++];
    if (edge === undefined) continue;
    if (onPath.has(edge.name)) {
      cycles.push(edge);
      continue;
    }
    if (visited.has(edge.name)) {
      revisited.push(edge.name);
      continue;
    }
    if (order.length >= maxRoles) {
      truncated = true;
      break;
    }
    visited.add(edge.name);
    const role: VisitedRole = { name: edge.name, via: edge, parent: frame.role, depth: frame.role.depth + 1 };
    order.push(role);
    onPath.add(edge.name);
    stack.push({ role, edges: childrenOf(edge.name) ?? [], next: 0 });
  }
  return { order, cycles, revisited, truncated };
}

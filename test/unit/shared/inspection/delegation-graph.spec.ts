import { describe, expect, it } from 'vitest';
import { chainOf, walkDelegations, type DelegationEdge } from '../../../../shared/inspection/delegation-graph';

function graph(spec: Record<string, string[]>): (role: string) => DelegationEdge[] | null {
  return (role) =>
    spec[role]?.map((name, index) => ({ parent: role, name, index, terminating: false, paths: ['*'], pathHashPrefixes: null })) ?? null;
}

describe('walkDelegations', () => {
  it('visits in preorder, in listed order', () => {
    const walk = walkDelegations('targets', graph({ targets: ['a', 'b'], a: ['a1', 'a2'], b: ['b1'] }), 100);
    expect(walk.order.map((r) => r.name)).toEqual(['targets', 'a', 'a1', 'a2', 'b', 'b1']);
    const a2 = walk.order.find((r) => r.name === 'a2');
    expect(a2 && chainOf(a2).map((e) => `${e.parent}->${e.name}`)).toEqual(['targets->a', 'a->a2']);
    expect(walk.cycles).toEqual([]);
    expect(walk.truncated).toBe(false);
  });

  it('reports a cycle and terminates', () => {
    const walk = walkDelegations('targets', graph({ targets: ['a'], a: ['b'], b: ['a', 'targets'] }), 100);
    expect(walk.order.map((r) => r.name)).toEqual(['targets', 'a', 'b']);
    expect(walk.cycles.map((e) => `${e.parent}->${e.name}`)).toEqual(['b->a', 'b->targets']);
  });

  it('visits a diamond once and records the second arrival', () => {
    const walk = walkDelegations('targets', graph({ targets: ['a', 'b'], a: ['d'], b: ['d'] }), 100);
    expect(walk.order.map((r) => r.name)).toEqual(['targets', 'a', 'd', 'b']);
    expect(walk.revisited).toEqual(['d']);
    expect(walk.cycles).toEqual([]);
  });

  it('stops at the role cap', () => {
    const wide: Record<string, string[]> = { targets: Array.from({ length: 1000 }, (_, i) => `r${i}`) };
    const walk = walkDelegations('targets', graph(wide), 50);
    expect(walk.order).toHaveLength(50);
    expect(walk.truncated).toBe(true);
  });

  it('walks a 100k-deep chain without recursion', () => {
    const deep = (role: string): DelegationEdge[] => {
      const n = role === 'targets' ? 0 : Number(role.slice(1)) + 1;
      return n < 100_000 ? [{ parent: role, name: `r${n}`, index: 0, terminating: false, paths: null, pathHashPrefixes: null }] : [];
    };
    const walk = walkDelegations('targets', deep, 200_000);
    expect(walk.order).toHaveLength(100_001);
  });
});

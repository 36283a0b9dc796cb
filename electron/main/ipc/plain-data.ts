/**
 * A structural pre-check on every IPC request, before zod sees it (reference/security.md §6 #43).
 * Zod checks shapes, but it reads inherited properties and accepts objects with any prototype, so
 * `Object.create({ id: 'x' })` would satisfy `{ id: string }`. Requests must be plain data: what
 * structured clone of JSON-like values produces.
 */

export interface PlainDataLimits {
  maxDepth: number;
  maxNodes: number;
}

export const DEFAULT_PLAIN_DATA_LIMITS: PlainDataLimits = { maxDepth: 32, maxNodes: 100_000 };

// Keys that mean prototype pollution when a consumer later merges the object.
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** Returns null when `value` is plain data, or a short description of the first problem. */
export function findPlainDataProblem(value: unknown, limits: PlainDataLimits = DEFAULT_PLAIN_DATA_LIMITS): string | null {
  let nodes = 0;
  const seen = new Set<object>();
  const visit = (node: unknown, depth: number, path: string): string | null => {
    nodes += 1;
    if (nodes > limits.maxNodes) return `more than ${limits.maxNodes} values`;
    if (depth > limits.maxDepth) return `${path}: nested deeper than ${limits.maxDepth}`;
    switch (typeof node) {
      case 'undefined':
      case 'boolean':
      case 'string':
        return null;
      case 'number':
        return Number.isFinite(node) ? null : `${path}: not a finite number`;
      case 'object':
        break;
      default:
        return `${path}: a ${typeof node} is not plain data`;
    }
    if (node === null) return null;
    if (seen.has(node)) return `${path}: a cyclic or shared reference`;
    seen.add(node);
    if (Array.isArray(node)) {
      if (Object.getPrototypeOf(node) !== Array.prototype) return `${path}: an array with a foreign prototype`;
      for (let i = 0; i < node.length; i += 1) {
        if (!Object.hasOwn(node, i)) return `${path}[${i}]: a sparse array`;
        const problem = visit(node[i], depth + 1, `${path}[${i}]`);
        if (problem !== null) return problem;
      }
      return null;
    }
    const proto: unknown = Object.getPrototypeOf(node);
    if (proto !== Object.prototype && proto !== null) return `${path}: not a plain object`;
    if (Object.getOwnPropertySymbols(node).length > 0) return `${path}: symbol keys`;
    for (const key of Object.getOwnPropertyNames(node)) {
      if (FORBIDDEN_KEYS.has(key)) return `${path}: forbidden key "${key}"`;
      const descriptor = Object.getOwnPropertyDescriptor(node, key);
      if (descriptor === undefined || !('value' in descriptor)) return `${path}.${key}: an accessor property`;
      const problem = visit(descriptor.value, depth + 1, `${path}.${key}`);
      if (problem !== null) return problem;
    }
    return null;
  };
  return visit(value, 0, '$');
}

/**
 * The 16-bin (PEP 458 style) TUF repository the parallel-bins specs inspect, built the same way in
 * the pretty and the canonical format so both specs compare the parallel path against the
 * sequential engine on the same per-bin findings: a bad signature (bin-7), an expired bin (bin-c),
 * one expiring soon (bin-a), a rollback against trusted version 5 (bin-d), paths outside their
 * bin (bin-3) and an unsafe target path.
 */
import { createHash } from 'node:crypto';
import path from 'node:path';

import { buildTufRepo, type DelegationSpec, type TestRepo } from './repo-builder';
import type { FileFormat } from './repo-envelope';

/** The bin worker run from source (tsx), as the Preverifier's `worker` option expects. */
export const BIN_WORKER = { path: path.resolve(import.meta.dirname, '../../electron/core/inspection/bin-worker.ts'), execArgv: ['--import', 'tsx'] };
export const PREFIXES = '0123456789abcdef'.split('');
export const pathHash = (p: string) => createHash('sha256').update(p).digest('hex');

/** `count` paths whose sha256 starts with `prefix` (hash-bin placement). */
export function pathsFor(prefix: string, count: number, stem: string): string[] {
  const out: string[] = [];
  for (let i = 0; out.length < count; i++) {
    const p = `${stem}/pkg-${i}.whl`;
    if (pathHash(p).startsWith(prefix)) out.push(p);
  }
  return out;
}

/** The bins repository with expiries relative to `at`; bin-7's signature is broken after signing. */
export async function buildHashBinRepo(at: Date, format?: FileFormat): Promise<TestRepo> {
  const now = at.getTime();
  const delegations: DelegationSpec[] = PREFIXES.map((prefix) => {
    const targets: Record<string, string> = {};
    for (const p of pathsFor(prefix, 4, `packages/${prefix}`)) targets[p] = `content of ${p}`;
    if (prefix === '3') for (const p of pathsFor('e', 5, 'stray')) targets[p] = 'outside its bin';
    if (prefix === pathHash('../evil.whl')[0]) targets['../evil.whl'] = 'unsafe';
    return { name: `bin-${prefix}`, paths: null, pathHashPrefixes: [prefix], keys: 1, targets };
  });
  const repo = await buildTufRepo({
    format,
    delegations,
    expires: { 'bin-c': new Date(now - 86_400_000), 'bin-a': new Date(now + 5 * 86_400_000) },
    versions: { 'bin-d': 2 },
  });
  repo.tamperSigned('bin-7', (s) => {
    s['version'] = 9;
  });
  return repo;
}

import { promises as fsp } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { InspectOptions, RepositoryInput } from '../../../../shared/inspection/input';
import type { InspectionReport } from '../../../../shared/inspection/report';
import { createInspectEngine } from '../../../../electron/core/inspection/engine';
import { InProcessInspectRunner } from '../../../../electron/core/inspection/inspect-runner';
import { InspectionService } from '../../../../electron/core/inspection/inspection-service';
import { Preverifier } from '../../../../electron/core/inspection/preverifier';
import { CancelledError, PolicyHttpGetter } from '../../../../electron/core/net/http-fetch';
import { createNetworkPolicy } from '../../../../electron/core/net/network-policy';
import { loadMetadataDirectory } from '../../../../electron/core/sources/metadata-dir';
import { DefaultSourceLoader } from '../../../../electron/core/sources/source-loader';
import { Workspace } from '../../../../electron/core/workspace/workspace';
import { BIN_WORKER, buildHashBinRepo, PREFIXES, pathsFor } from '../../../support/hash-bin-repo';
import { buildTufRepo } from '../../../support/repo-builder';

/**
 * The parallel path (deferred bins verified from disk on worker threads, preverified facts fed to
 * the engine) must give the same report as the sequential engine on the same repository: same
 * findings in the same order, same roles, same rows, same stats (except the duration).
 */

const AT = new Date();
let tmp: string;
let pep458: string;
let nested: string;

beforeAll(async () => {
  tmp = await fsp.mkdtemp(path.join(os.tmpdir(), 'keyrite-bins-'));
  const repo = await buildHashBinRepo(AT);
  repo.setRawBytes('bin-9', '{"signed": not json');
  pep458 = path.join(tmp, 'pep458');
  await repo.writeTo(pep458);
  // A missing bin (both the plain and the consistent-snapshot name).
  for (const f of await fsp.readdir(path.join(pep458, 'metadata'))) if (/(^|\.)bin-b\.json$/.test(f)) await fsp.rm(path.join(pep458, 'metadata', f));

  // A bin that delegates further: the parallel path does not apply and the service falls back.
  const nestedRepo = await buildTufRepo({
    format: 'canonical',
    delegations: [
      ...PREFIXES.map((prefix) => ({ name: `bin-${prefix}`, paths: null, pathHashPrefixes: [prefix], keys: 1, targets: { [pathsFor(prefix, 1, 'n')[0] as string]: 'x' } })),
      { name: 'deeper', parent: 'bin-5', paths: ['*'], keys: 1, targets: { 'deep.txt': 'd' } },
    ],
  });
  nested = path.join(tmp, 'nested');
  await nestedRepo.writeTo(nested);
});

afterAll(async () => {
  await fsp.rm(tmp, { recursive: true, force: true });
});

const options = (extra: Partial<InspectOptions> = {}): Omit<InspectOptions, 'onProgress'> => ({
  at: AT,
  warnDays: 30,
  trusted: { rootVersion: 1, rootBytes: null, versions: { 'bin-d': 5 } },
  ...extra,
});

function comparable(report: InspectionReport) {
  return { ...report, stats: { ...report.stats, durationMs: 0 } };
}

async function sequential(dir: string, extra: Partial<InspectOptions> = {}): Promise<InspectionReport> {
  const input = await loadMetadataDirectory(dir);
  expect(input.deferred).toBeUndefined();
  return new InProcessInspectRunner(createInspectEngine(), new Preverifier({ worker: null })).run(input, options(extra));
}

async function parallel(dir: string, preverifier: Preverifier, extra: Partial<InspectOptions> = {}): Promise<{ input: RepositoryInput; report: InspectionReport }> {
  const input = await loadMetadataDirectory(dir, { deferDelegationsFrom: 1 });
  const report = await new InProcessInspectRunner(createInspectEngine(), preverifier).run(input, options(extra));
  return { input, report };
}

describe('parallel verification of hash bins', () => {
  it('defers the bins in the loader: located, not read', async () => {
    const input = await loadMetadataDirectory(pep458, { deferDelegationsFrom: 1 });
    expect(input.deferred?.roles.map((r) => r.name)).toEqual(PREFIXES.map((p) => `bin-${p}`));
    expect([...input.files.keys()].sort()).toEqual(['root', 'snapshot', 'targets', 'timestamp']);
  });

  it('gives the sequential report on worker threads, findings and order included', async () => {
    const expected = await sequential(pep458);
    // The repository exercises every per-bin finding the facts carry.
    const codes = new Set(expected.findings.map((f) => `${f.code}:${f.role ?? ''}`));
    for (const c of ['INVALID_SIGNATURE:bin-7', 'MALFORMED_ROLE:bin-9', 'MISSING_ROLE:bin-b', 'EXPIRED:bin-c', 'EXPIRING_SOON:bin-a', 'ROLLBACK:bin-d', 'DELEGATION_PATH_OUTSIDE_PARENT:bin-3']) {
      expect(codes, c).toContain(c);
    }
    expect(expected.findings.some((f) => f.code === 'TARGET_PATH_UNSAFE')).toBe(true);
    const { input, report } = await parallel(pep458, new Preverifier({ worker: BIN_WORKER, threads: 2, batchSize: 3 }));
    expect(input.files.size).toBe(4);
    expect(comparable(report)).toEqual(comparable(expected));
  });

  it('gives the same report verifying inline (no worker script available)', async () => {
    const expected = await sequential(pep458);
    const { report } = await parallel(pep458, new Preverifier({ worker: null, batchSize: 5 }));
    expect(comparable(report)).toEqual(comparable(expected));
  });

  it('keeps the same first rows and reports the total when rows are capped', async () => {
    const expected = await sequential(pep458, { maxTargetRows: 10 });
    expect(expected.targets).toHaveLength(10);
    expect(expected.targetsTotal).toBeGreaterThan(10);
    const { report } = await parallel(pep458, new Preverifier({ worker: BIN_WORKER, threads: 2, batchSize: 2 }), { maxTargetRows: 10 });
    expect(comparable(report)).toEqual(comparable(expected));
  });

  it('falls back to the full sequential load when a bin delegates further', async () => {
    const make = (deferDelegationsFrom: number | null) =>
      new InspectionService({
        workspace: new Workspace(path.join(tmp, `ws-${String(deferDelegationsFrom)}`)),
        loader: new DefaultSourceLoader(new PolicyHttpGetter(createNetworkPolicy('offline'))),
        runner: new InProcessInspectRunner(createInspectEngine(), new Preverifier({ worker: BIN_WORKER, threads: 2 })),
        clock: () => new Date('2026-11-22T00:00:00Z'),
        deferDelegationsFrom,
      });
    const params = { jobId: 'j', save: false, at: '2026-11-22T00:00:00Z' };
    const [viaParallel] = await make(1).inspectSource({ kind: 'directory', path: nested }, params);
    const [viaSequential] = await make(null).inspectSource({ kind: 'directory', path: nested }, params);
    expect(viaParallel?.report.roles.map((r) => r.name)).toContain('deeper');
    expect(comparable(viaParallel!.report)).toEqual(comparable(viaSequential!.report));
  });

  it('stops its worker threads and rejects with CancelledError when cancelled', async () => {
    const input = await loadMetadataDirectory(pep458, { deferDelegationsFrom: 1 });
    const controller = new AbortController();
    const preverifier = new Preverifier({ worker: BIN_WORKER, threads: 2, batchSize: 1 });
    const run = preverifier.resolve(input, { signal: controller.signal, onProgress: () => controller.abort() });
    await expect(run).rejects.toBeInstanceOf(CancelledError);
  });

  it('refuses deferred input that never went through a runner', async () => {
    const input = await loadMetadataDirectory(pep458, { deferDelegationsFrom: 1 });
    expect(() => createInspectEngine()(input, { ...options(), onProgress: () => undefined })).toThrow(/never read/);
  });
});

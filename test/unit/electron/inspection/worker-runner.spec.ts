import { promises as fsp } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { InspectionInputError } from '../../../../shared/inspection/errors';
import { InspectionReport } from '../../../../shared/inspection/report';
import { CancelledError } from '../../../../electron/core/net/http-fetch';
import { INSPECT_WORKER_BUNDLE, resolveInspectWorkerPath, WorkerInspectRunner } from '../../../../electron/core/inspection/worker-runner';
import { buildNotaryRepo } from '../../../support/repo-builder';

// Bundle the worker entry the way the build does (dist/workers/inspect-worker.cjs): worker threads
// do not inherit tsx's loader, and this also proves the entry bundles on its own.
const entry = path.resolve(__dirname, '../../../../electron/core/inspection/inspect-worker.ts');
let dir: string;
let bundle: string;
beforeAll(async () => {
  dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'keyrite-worker-'));
  bundle = path.join(dir, 'inspect-worker.cjs');
  await build({ entryPoints: [entry], bundle: true, platform: 'node', format: 'cjs', target: 'node20', outfile: bundle, logLevel: 'error' });
});
afterAll(async () => {
  await fsp.rm(dir, { recursive: true, force: true });
});
const runner = (): WorkerInspectRunner => new WorkerInspectRunner(bundle);

describe('WorkerInspectRunner', () => {
  it('resolves the bundled worker next to a dist bundle', () => {
    expect(resolveInspectWorkerPath('/app/dist/main')).toBe(path.resolve('/app/dist', INSPECT_WORKER_BUNDLE));
  });

  it('verifies in a worker thread and returns a schema-valid report with progress', async () => {
    const repo = await buildNotaryRepo({ targets: { a: 'a' } });
    const progress: number[] = [];
    const report = await runner().run(repo.toRepositoryInput(), { at: new Date(), warnDays: 30, trusted: null }, { onProgress: (done) => progress.push(done) });
    expect(InspectionReport.parse(report).health).toBe('healthy');
    expect(report.targets.map((t) => t.name)).toEqual(['a']);
    expect(progress.length).toBeGreaterThan(0);
  });

  it('rebuilds the engine named error (unusable input)', async () => {
    const repo = await buildNotaryRepo();
    const input = repo.toRepositoryInput();
    const files = new Map(input.files);
    files.set('root', new TextEncoder().encode('{not json'));
    const error = await runner()
      .run({ ...input, files }, { at: new Date(), warnDays: 30, trusted: null })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InspectionInputError);
  });

  it('cancels by terminating the worker', async () => {
    const repo = await buildNotaryRepo();
    const controller = new AbortController();
    const job = runner().run(repo.toRepositoryInput(), { at: new Date(), warnDays: 30, trusted: null }, { signal: controller.signal });
    controller.abort();
    await expect(job).rejects.toBeInstanceOf(CancelledError);
  });
});

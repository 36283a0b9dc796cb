import path from 'node:path';
import { Worker } from 'node:worker_threads';

import { deserializeError } from '../../../shared/errors';
// Registers InspectionInputError so a worker's error is rebuilt as that class.
import '../../../shared/inspection/errors';
import type { InspectOptions, RepositoryInput } from '../../../shared/inspection/input';
import { InspectionReport } from '../../../shared/inspection/report';
import { CancelledError } from '../net/http-fetch';
import type { InspectRunner, RunHooks } from './inspect-runner';
import { decodeRoles, decodeRows } from './row-chunks';
import type { WorkerRequest, WorkerResponse } from './worker-protocol';

/**
 * The worker's report, schema-checked on this (Electron main) thread without the target rows: zod
 * over 262,144 rows blocked the main thread for seconds at PEP 458 scale. The rows come from our
 * own engine in our own worker; only their container is checked here.
 */
export function acceptReport(raw: InspectionReport): InspectionReport {
  const { targets, ...rest } = raw;
  if (!Array.isArray(targets)) throw new Error('inspection worker returned a report without a targets array');
  return { ...InspectionReport.parse({ ...rest, targets: [] }), targets };
}

/** Where the build puts the bundled worker, relative to `dist/` (scripts/build.mjs bundles inspect-worker.ts there). */
export const INSPECT_WORKER_BUNDLE = 'workers/inspect-worker.cjs';

/** The worker bundle next to a bundle in `dist/<zone>/` (e.g. dist/main/index.cjs -> dist/workers/inspect-worker.cjs). */
export function resolveInspectWorkerPath(bundleDir: string): string {
  return path.resolve(bundleDir, '..', INSPECT_WORKER_BUNDLE);
}

export interface WorkerRunnerOptions {
  /** Extra Node flags for the worker (tests run the .ts entry with `--import tsx`). */
  execArgv?: string[];
}

/**
 * One short-lived worker thread per inspection: verification of a large repository stays off the
 * Electron main thread, and cancelling is a hard `terminate()` that cannot leave state behind.
 */
export class WorkerInspectRunner implements InspectRunner {
  private readonly live = new Set<Worker>();

  constructor(
    private readonly workerPath: string,
    private readonly options: WorkerRunnerOptions = {},
  ) {}

  run(input: RepositoryInput, options: Omit<InspectOptions, 'onProgress'>, hooks: RunHooks = {}): Promise<InspectionReport> {
    if (hooks.signal?.aborted) return Promise.reject(new CancelledError('inspection'));
    const worker = new Worker(this.workerPath, this.options.execArgv ? { execArgv: this.options.execArgv } : {});
    this.live.add(worker);
    return new Promise<InspectionReport>((resolve, reject) => {
      let settled = false;
      const finish = (outcome: () => void): void => {
        if (settled) return;
        settled = true;
        hooks.signal?.removeEventListener('abort', onAbort);
        this.live.delete(worker);
        void worker.terminate().finally(outcome);
      };
      const onAbort = (): void => finish(() => reject(new CancelledError('inspection')));
      hooks.signal?.addEventListener('abort', onAbort, { once: true });
      worker.on('message', (message: WorkerResponse) => {
        if (message.type === 'progress') hooks.onProgress?.(message.done, message.total);
        else if (message.type === 'result') {
          const head = acceptReport(message.report);
          finish(() => {
            const rest = async (): Promise<InspectionReport> => {
              const roles = await decodeRoles(message.roleChunks);
              return { ...head, roles, targets: await decodeRows(message.rowChunks) };
            };
            rest().then(resolve, reject);
          });
        }
        else finish(() => reject(deserializeError(message.error)));
      });
      worker.on('error', (error) => finish(() => reject(error)));
      worker.on('exit', (code) => finish(() => reject(new Error(`inspection worker exited with code ${code}`))));
      const request: WorkerRequest = { type: 'inspect', input, options };
      worker.postMessage(request);
    });
  }

  async close(): Promise<void> {
    await Promise.all([...this.live].map((worker) => worker.terminate()));
    this.live.clear();
  }
}

import type { InspectOptions, RepositoryInput } from '../../../shared/inspection/input';
import type { InspectionReport } from '../../../shared/inspection/report';
import { CancelledError } from '../net/http-fetch';

/** The verification engine with its crypto provider bound: `inspect(input, options, crypto)`. */
export type InspectEngine = (input: RepositoryInput, options: InspectOptions) => InspectionReport;

export interface RunHooks {
  signal?: AbortSignal;
  onProgress?: (done: number, total: number) => void;
}

/** Runs the engine somewhere: in this process (CLI, tests) or in a worker thread (Electron main). */
export interface InspectRunner {
  run(input: RepositoryInput, options: Omit<InspectOptions, 'onProgress'>, hooks?: RunHooks): Promise<InspectionReport>;
  /** Releases workers; a no-op for the in-process runner. */
  close(): Promise<void>;
}

/**
 * Runs the synchronous engine on this thread. Fine for the CLI and tests; the Electron main
 * process uses WorkerInspectRunner so a large repository cannot freeze the window.
 */
export class InProcessInspectRunner implements InspectRunner {
  constructor(private readonly engine: InspectEngine) {}

  run(input: RepositoryInput, options: Omit<InspectOptions, 'onProgress'>, hooks: RunHooks = {}): Promise<InspectionReport> {
    if (hooks.signal?.aborted) return Promise.reject(new CancelledError('inspection'));
    try {
      const report = this.engine(input, hooks.onProgress ? { ...options, onProgress: hooks.onProgress } : options);
      return Promise.resolve(report);
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}

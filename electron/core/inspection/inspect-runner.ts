import type { InspectOptions, RepositoryInput } from '../../../shared/inspection/input';
import type { InspectionReport } from '../../../shared/inspection/report';
import { CancelledError } from '../net/http-fetch';
import { Preverifier } from './preverifier';

/** The verification engine with its crypto provider bound: `inspect(input, options, crypto)`. */
export type InspectEngine = ((input: RepositoryInput, options: InspectOptions) => InspectionReport) & {
  /** Optional asynchronous preparation (engine.ts: overlapping a large file's hashing with its scan). */
  prepare?: (input: RepositoryInput) => Promise<RepositoryInput>;
};

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

/** Pre-verify deferred files (in parallel), then run the engine: the one path every runner takes. */
export async function runEngine(
  engine: InspectEngine,
  preverifier: Preverifier,
  input: RepositoryInput,
  options: Omit<InspectOptions, 'onProgress'>,
  hooks: RunHooks = {},
): Promise<InspectionReport> {
  const resolved = await preverifier.resolve(input, {
    ...(hooks.signal ? { signal: hooks.signal } : {}),
    ...(hooks.onProgress ? { onProgress: hooks.onProgress } : {}),
    ...(options.maxTargetRows === undefined ? {} : { maxTargetRows: options.maxTargetRows }),
    ...(options.trusted?.files === undefined ? {} : { known: options.trusted.files }),
  });
  const prepared = engine.prepare === undefined ? resolved : await engine.prepare(resolved);
  if (hooks.signal?.aborted) throw new CancelledError('inspection');
  return engine(prepared, hooks.onProgress ? { ...options, onProgress: hooks.onProgress } : options);
}

/**
 * Runs the synchronous engine on this thread. Fine for the CLI and tests; the Electron main
 * process uses WorkerInspectRunner so a large repository cannot freeze the window.
 */
export class InProcessInspectRunner implements InspectRunner {
  constructor(
    private readonly engine: InspectEngine,
    /** Verifies deferred (PEP 458-scale) role files on worker threads before the engine runs. */
    private readonly preverifier: Preverifier = new Preverifier(),
  ) {}

  async run(input: RepositoryInput, options: Omit<InspectOptions, 'onProgress'>, hooks: RunHooks = {}): Promise<InspectionReport> {
    if (hooks.signal?.aborted) throw new CancelledError('inspection');
    const resolved = await runEngine(this.engine, this.preverifier, input, options, hooks);
    if (hooks.signal?.aborted) throw new CancelledError('inspection');
    return resolved;
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}

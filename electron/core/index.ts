import { InspectionService } from './inspection/inspection-service';
import type { InspectRunner } from './inspection/inspect-runner';
import { InProcessInspectRunner } from './inspection/inspect-runner';
import { createInspectEngine } from './inspection/engine';
import { WorkerInspectRunner } from './inspection/worker-runner';
import { PolicyHttpGetter, type HttpGetter } from './net/http-fetch';
import { createNetworkPolicy, type NetworkMode, type NetworkPolicy } from './net/network-policy';
import { DefaultSourceLoader, type SourceLoader } from './sources/source-loader';
import { Workspace } from './workspace/workspace';
import type { Progress, RepositorySummary } from '../../shared/ipc/contract';

export interface CoreServicesOptions {
  /** Workspace root: Electron userData in the app, `--workspace`/KEYRITE_HOME/~/.keyrite in the CLI. */
  workspaceDir: string;
  /** `offline` refuses every network access; a function lets the app switch modes at run time. */
  networkMode: NetworkMode | (() => NetworkMode);
  clock?: () => Date;
  /** Run verification in a worker thread from this bundle (see resolveInspectWorkerPath); default in-process. */
  inspectWorkerPath?: string;
  /** Node flags for the worker (e.g. `['--import', 'tsx']` to run the .ts entry in tests). */
  inspectWorkerExecArgv?: string[];
  onProgress?: (progress: Progress) => void;
  onChanged?: (summaries: RepositorySummary[]) => void;
}

export interface CoreServices {
  workspace: Workspace;
  network: NetworkPolicy;
  http: HttpGetter;
  loader: SourceLoader;
  inspection: InspectionService;
  /** Stops worker threads; call on app quit / test teardown. */
  close(): Promise<void>;
}

/** Builds the core services with their dependencies wired (the Electron main, the CLI and the e2e harness call this). */
export function createCoreServices(options: CoreServicesOptions): CoreServices {
  const clock = options.clock ?? (() => new Date());
  const workspace = new Workspace(options.workspaceDir);
  const network = createNetworkPolicy(options.networkMode);
  const http = new PolicyHttpGetter(network);
  const loader = new DefaultSourceLoader(http);
  const runner: InspectRunner = options.inspectWorkerPath
    ? new WorkerInspectRunner(options.inspectWorkerPath, options.inspectWorkerExecArgv ? { execArgv: options.inspectWorkerExecArgv } : {})
    : new InProcessInspectRunner(createInspectEngine());
  const inspection = new InspectionService({
    workspace,
    loader,
    runner,
    clock,
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    ...(options.onChanged ? { onChanged: options.onChanged } : {}),
  });
  return { workspace, network, http, loader, inspection, close: () => runner.close() };
}

export { InspectionService } from './inspection/inspection-service';
export type { InspectJobParams, InspectionResult } from './inspection/inspection-service';
export { INSPECT_WORKER_BUNDLE, resolveInspectWorkerPath } from './inspection/worker-runner';
export type { SourceSpec } from './sources/source-loader';
export { NetworkRefusedError } from './net/network-policy';
export type { NetworkMode } from './net/network-policy';

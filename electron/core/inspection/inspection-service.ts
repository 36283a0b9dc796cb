import { FullLoadRequiredError } from '../../../shared/inspection/errors';
import type { RepositoryInput } from '../../../shared/inspection/input';
import type { InspectionReport, TargetView } from '../../../shared/inspection/report';
import type { Progress, RepositoryDetail, RepositorySummary } from '../../../shared/ipc/contract';
import { CancelledError } from '../net/http-fetch';
import type { SourceLoader, SourceSpec } from '../sources/source-loader';
import { repositoryId, repositoryIdentity, type RepoRecord } from '../workspace/repo-record';
import { nextTrustedState } from '../workspace/trust-update';
import type { StoredReport } from '../workspace/report-files';
import { RepositoryNotFoundError, type Workspace } from '../workspace/workspace';
import type { InspectRunner } from './inspect-runner';
import { toDetail, toSummary } from './summaries';
import { ProgressThrottle } from './progress-throttle';
import { TargetSearch, type TargetPage } from './target-search';

export interface InspectionServiceDeps {
  workspace: Workspace;
  loader: SourceLoader;
  runner: InspectRunner;
  clock: () => Date;
  onProgress?: (progress: Progress) => void;
  onChanged?: (summaries: RepositorySummary[]) => void;
  /**
   * Directory repositories whose `targets` delegates to at least this many roles are verified
   * from disk in parallel (default DEFER_DELEGATIONS_FROM; null: always load everything).
   */
  deferDelegationsFrom?: number | null;
  /** Target rows kept per report (default DEFAULT_MAX_TARGET_ROWS); the total is still reported. */
  maxTargetRows?: number;
}

/** PEP 458-style repositories (hundreds of bins and up) take the parallel, streaming path. */
export const DEFER_DELEGATIONS_FROM = 256;
/**
 * Rows a report keeps: 2.28 M rows (PEP 458) fit neither a JSON string nor the renderer; the GUI
 * pages the first 262,144 and the report states the total (`targetsTotal`).
 */
export const DEFAULT_MAX_TARGET_ROWS = 262_144;

export interface InspectJobParams {
  jobId: string;
  /** Evaluation time (ISO), default the clock. */
  at?: string;
  warnDays?: number;
  /** false = inspect only: no repo record, report or trusted state is written (CLI `--no-save`). */
  save?: boolean;
}

export interface InspectionResult {
  id: string;
  report: InspectionReport;
  /** Whether the verified root became the trusted state. */
  trustUpdated: boolean;
  summary: RepositorySummary;
}

export class JobInProgressError extends Error {
  override readonly name = 'JobInProgressError';
  constructor(readonly jobId: string) {
    super(`job ${jobId} is already running`);
  }
}

const DEFAULT_WARN_DAYS = 30;

/**
 * Adds, re-inspects and serves repositories: load a source -> verify in the runner -> persist
 * report and (only if root verified cleanly) the trusted state. The last report of each
 * repository is cached in memory: its head for the list and detail, its rows (read from disk only
 * when a targets page is first asked for) so paging does not re-read the file.
 */
export class InspectionService {
  private readonly jobs = new Map<string, AbortController>();
  private readonly heads = new Map<string, StoredReport>();
  private readonly rows = new Map<string, Promise<TargetView[]>>();
  private readonly search = new TargetSearch();
  private readonly locks = new Map<string, Promise<unknown>>();
  private readonly progressOut: ProgressThrottle | null;

  constructor(private readonly deps: InspectionServiceDeps) {
    this.progressOut = deps.onProgress ? new ProgressThrottle(deps.onProgress) : null;
  }

  /** Loads `source` (a trust dir may hold several GUNs), inspects and stores each repository. */
  async add(source: SourceSpec, params: InspectJobParams): Promise<RepositorySummary[]> {
    const results = await this.inspectSource(source, params);
    await this.emitChanged();
    return results.map((r) => r.summary);
  }

  /** add() with the full results, for the CLI. */
  async inspectSource(source: SourceSpec, params: InspectJobParams): Promise<InspectionResult[]> {
    return this.job(params.jobId, async (signal) => {
      const inputs = await this.load(source, params.jobId, signal);
      const results: InspectionResult[] = [];
      for (const input of inputs) results.push(await this.inspectInput(input, storedSpec(source, input), params, signal));
      this.progress(params.jobId, 'done', inputs.length, inputs.length);
      return results;
    });
  }

  async reinspect(id: string, params: InspectJobParams): Promise<RepositorySummary> {
    const record = await this.requireRecord(id);
    const result = await this.job(params.jobId, async (signal) => {
      const inputs = await this.load(record.spec, params.jobId, signal);
      const input = inputs.find((candidate) => candidate.name === record.name) ?? inputs[0];
      if (!input) throw new RepositoryNotFoundError(id);
      const inspected = await this.inspectInput(input, record.spec, params, signal);
      this.progress(params.jobId, 'done', 1, 1);
      return inspected;
    });
    await this.emitChanged();
    return result.summary;
  }

  cancel(jobId: string): { cancelled: boolean } {
    const controller = this.jobs.get(jobId);
    if (!controller) return { cancelled: false };
    controller.abort();
    return { cancelled: true };
  }

  async list(): Promise<RepositorySummary[]> {
    const summaries: RepositorySummary[] = [];
    for (const record of await this.deps.workspace.listRecords()) {
      const stored = await this.head(record.id);
      if (stored) summaries.push(toSummary(record, stored.report, stored.rowCount));
    }
    return summaries;
  }

  async get(id: string): Promise<RepositoryDetail> {
    const record = await this.requireRecord(id);
    const stored = await this.requireHead(id);
    return toDetail(toSummary(record, stored.report, stored.rowCount), stored.report);
  }

  async getTargets(id: string, offset: number, limit: number, query?: string): Promise<TargetPage> {
    return this.search.page(id, await this.targetRows(id), offset, limit, query);
  }

  async remove(id: string): Promise<{ removed: boolean }> {
    const removed = await this.withLock(id, () => this.deps.workspace.remove(id));
    this.heads.delete(id);
    this.rows.delete(id);
    this.search.forget(id);
    if (removed) await this.emitChanged();
    return { removed };
  }

  private async load(source: SourceSpec, jobId: string, signal: AbortSignal, defer = true): Promise<RepositoryInput[]> {
    this.progress(jobId, 'fetching', 0, 0);
    const deferFrom = this.deps.deferDelegationsFrom === undefined ? DEFER_DELEGATIONS_FROM : this.deps.deferDelegationsFrom;
    const inputs = await this.deps.loader.load(source, {
      signal,
      onFile: (name, filesRead) => this.progress(jobId, 'fetching', filesRead, 0, name),
      ...(defer && deferFrom !== null ? { deferDelegationsFrom: deferFrom } : {}),
    });
    this.progress(jobId, 'parsing', inputs.length, inputs.length);
    return inputs;
  }

  private async inspectInput(loaded: RepositoryInput, spec: SourceSpec, params: InspectJobParams, signal: AbortSignal): Promise<InspectionResult> {
    let input = loaded;
    const save = params.save ?? true;
    const provisionalDialect = input.dialect ?? 'tuf-1.0';
    const id = repositoryId(input.name, repositoryIdentity(provisionalDialect, input.name, input.source.location));
    return this.withLock(id, async () => {
      const trusted = await this.deps.workspace.readTrusted(id);
      const options = {
        at: params.at ? new Date(params.at) : this.deps.clock(),
        warnDays: params.warnDays ?? DEFAULT_WARN_DAYS,
        trusted,
        maxTargetRows: this.deps.maxTargetRows ?? DEFAULT_MAX_TARGET_ROWS,
      };
      const hooks = { signal, onProgress: (done: number, total: number) => this.progress(params.jobId, 'verifying', done, total) };
      let report: InspectionReport;
      try {
        report = await this.deps.runner.run(input, options, hooks);
      } catch (error) {
        if (!(error instanceof FullLoadRequiredError) || input.deferred === undefined) throw error;
        // Not the shape the parallel path is exact for (e.g. a bin delegating further): read it all.
        const full = (await this.load(spec, params.jobId, signal, false)).find((candidate) => candidate.name === input.name);
        if (!full) throw error;
        input = full;
        report = await this.deps.runner.run(input, options, hooks);
      }
      if (signal.aborted) throw new CancelledError('inspection');
      const now = this.deps.clock().toISOString();
      const existing = await this.deps.workspace.readRecord(id);
      const record: RepoRecord = {
        schemaVersion: 1,
        id,
        name: report.name,
        dialect: report.dialect,
        source: { ...report.source },
        spec: toStored(spec),
        createdAt: existing?.createdAt ?? now,
        updatedAt: now,
      };
      let trustUpdated = false;
      if (save) {
        this.progress(params.jobId, 'saving', 0, 1);
        await this.deps.workspace.writeRecord(record);
        // Cached as soon as it is durable: a list() while the trusted state is written need not read it back.
        this.heads.set(id, await this.deps.workspace.writeReport(id, report));
        this.rows.set(id, Promise.resolve(report.targets));
        const update = nextTrustedState(report, input, trusted);
        if (update) {
          await this.deps.workspace.writeTrusted(id, update.state, update.history, this.deps.clock());
          trustUpdated = true;
        }
        this.progress(params.jobId, 'saving', 1, 1);
      }
      return { id, report, trustUpdated, summary: toSummary(record, report, report.targets.length) };
    });
  }

  /** Runs a cancellable job and reports its terminal phase. */
  private async job<T>(jobId: string, run: (signal: AbortSignal) => Promise<T>): Promise<T> {
    if (this.jobs.has(jobId)) throw new JobInProgressError(jobId);
    const controller = new AbortController();
    this.jobs.set(jobId, controller);
    try {
      return await run(controller.signal);
    } catch (error) {
      const cancelled = controller.signal.aborted;
      this.progress(jobId, cancelled ? 'cancelled' : 'failed', 0, 0, cancelled ? 'cancelled' : (error as Error).message);
      throw cancelled && !(error instanceof CancelledError) ? new CancelledError('inspection') : error;
    } finally {
      this.jobs.delete(jobId);
    }
  }

  /** Serialises work on one repository id (two re-inspects must not interleave their writes). */
  private async withLock<T>(id: string, run: () => Promise<T>): Promise<T> {
    const previous = this.locks.get(id) ?? Promise.resolve();
    const next = previous.catch(() => undefined).then(run);
    this.locks.set(id, next);
    try {
      return await next;
    } finally {
      if (this.locks.get(id) === next) this.locks.delete(id);
    }
  }

  private async head(id: string): Promise<StoredReport | null> {
    const cached = this.heads.get(id);
    if (cached) return cached;
    const stored = await this.deps.workspace.readReportHead(id);
    // An inspection may have stored a newer head while this one was read.
    if (stored && !this.heads.has(id)) this.heads.set(id, stored);
    return this.heads.get(id) ?? stored;
  }

  private async requireHead(id: string): Promise<StoredReport> {
    const stored = await this.head(id);
    if (!stored) throw new RepositoryNotFoundError(id);
    return stored;
  }

  /** The rows, read once per repository (concurrent pages share the read); a failed read is retried next time. */
  private targetRows(id: string): Promise<TargetView[]> {
    const cached = this.rows.get(id);
    if (cached) return cached;
    const loading: Promise<TargetView[]> = this.requireHead(id)
      .then((stored) => this.deps.workspace.readReportRows(id, stored))
      .catch((error: unknown) => {
        // An inspection that saved meanwhile removed the rows file this read started from: its rows stand.
        const newer = this.rows.get(id);
        if (newer !== undefined && newer !== loading) return newer;
        this.rows.delete(id);
        throw error;
      });
    this.rows.set(id, loading);
    return loading;
  }

  private async requireRecord(id: string): Promise<RepoRecord> {
    const record = await this.deps.workspace.readRecord(id);
    if (!record) throw new RepositoryNotFoundError(id);
    return record;
  }

  private progress(jobId: string, phase: Progress['phase'], done: number, total: number, message?: string): void {
    this.progressOut?.push(message === undefined ? { jobId, phase, done, total } : { jobId, phase, done, total, message });
  }

  private async emitChanged(): Promise<void> {
    if (this.deps.onChanged) this.deps.onChanged(await this.list());
  }
}

/** For a directory, remember the exact repository: its resolved path and (Notary) GUN. */
function storedSpec(source: SourceSpec, input: RepositoryInput): SourceSpec {
  if (source.kind !== 'directory') return source;
  const base = input.source.kind === 'trust-dir' || input.source.kind === 'metadata-dir' ? { gun: input.name } : {};
  return { kind: 'directory', path: input.source.location, ...base };
}

function toStored(spec: SourceSpec): RepoRecord['spec'] {
  return spec.kind === 'directory' && spec.gun === undefined ? { kind: 'directory', path: spec.path } : spec;
}

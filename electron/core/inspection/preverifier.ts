import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';

import { deserializeError } from '../../../shared/errors';
import { DEFAULT_LIMITS } from '../../../shared/inspection/context';
import { FullLoadRequiredError } from '../../../shared/inspection/errors';
import type { RepositoryInput, VerifiedFile } from '../../../shared/inspection/input';
import type { PreverifiedRole } from '../../../shared/inspection/preverified';
import { NodeCryptoProvider } from '../crypto/node-crypto-provider';
import { FileTooLargeError } from '../fs/atomic-write';
import { CancelledError } from '../net/http-fetch';
import { LIMITS } from '../sources/limits';
import type { BinWorkerRequest, BinWorkerResponse } from './bin-worker-protocol';
import { LeafBatchVerifier, type LeafBatch, type LeafBatchInit } from './leaf-batch';
import { planLeafVerification } from './leaf-plan';

/** Where the build puts the bin worker, relative to `dist/` (scripts/build.mjs). */
export const BIN_WORKER_BUNDLE = 'workers/bin-worker.cjs';

export interface BinWorkerSpec {
  path: string;
  execArgv?: string[];
}

export interface PreverifierOptions {
  /** The bin-worker script; null verifies on the calling thread (same code, one core). */
  worker: BinWorkerSpec | null;
  /** Worker threads (default: available cores, at most 4). */
  threads?: number;
  /** Files per batch posted to a worker. */
  batchSize?: number;
}

export interface PreverifyHooks {
  signal?: AbortSignal;
  onProgress?: (done: number, total: number) => void;
  /** InspectOptions.maxTargetRows: rows are collected (and posted back) only for the first ones. */
  maxTargetRows?: number;
  /** TrustedState.files: files verified cleanly before; unchanged ones are not verified again. */
  known?: Readonly<Record<string, VerifiedFile>>;
}

declare const __dirname: string | undefined;

/**
 * The bin worker next to this code: `dist/workers/bin-worker.cjs` from any bundle in dist/ (or
 * the bench's build dir), or the .ts source under tsx when running from source (vitest).
 */
export function defaultBinWorker(): BinWorkerSpec | null {
  if (typeof __dirname !== 'string') return null;
  for (const candidate of [path.join(__dirname, 'bin-worker.cjs'), path.resolve(__dirname, '..', BIN_WORKER_BUNDLE)]) {
    if (existsSync(candidate)) return { path: candidate };
  }
  const source = path.join(__dirname, 'bin-worker.ts');
  return existsSync(source) ? { path: source, execArgv: ['--import', 'tsx'] } : null;
}

/**
 * Turns an input's deferred role files into pre-verified facts (preverified.ts), spreading the
 * files over worker threads that each read, hash, parse and verify their share straight from
 * disk. Throws FullLoadRequiredError when the repository is not the shape this path is exact for.
 */
export class Preverifier {
  constructor(private readonly options: PreverifierOptions = { worker: defaultBinWorker() }) {}

  async resolve(input: RepositoryInput, hooks: PreverifyHooks = {}): Promise<RepositoryInput> {
    const deferred = input.deferred;
    if (deferred === undefined || deferred.roles.length === 0) return input;
    const plan = planLeafVerification(input, DEFAULT_LIMITS);
    const init: LeafBatchInit = { directory: deferred.directory, keys: plan.keys, dialect: plan.dialect, limits: DEFAULT_LIMITS, wantSha512: plan.wantSha512 };
    const known = knownUnderThisDelegation(hooks.known, input.files.get('targets') as Uint8Array);
    // A batch carries its own delegations (parsed once, by the planner), file names and records.
    const batchOf = (b: { from: number; to: number; wantRows: boolean }): LeafBatch => {
      const roles = plan.roles.slice(b.from, b.to);
      return {
        from: b.from,
        roles,
        candidates: deferred.roles.slice(b.from, b.to).map((r) => r.candidates),
        wantRows: b.wantRows,
        ...(known === null ? {} : { known: roles.map((r) => (Object.hasOwn(known, r.name) ? (known[r.name] ?? null) : null)) }),
      };
    };
    const count = deferred.roles.length;
    const threads = Math.max(1, Math.min(this.options.threads ?? Math.min(4, availableParallelism()), Math.ceil(count / 16)));
    const batchSize = this.options.batchSize ?? Math.max(8, Math.min(256, Math.ceil(count / (threads * 16))));
    const collector = new FactCollector(input, count, batchSize, hooks);
    if (this.options.worker === null || threads === 1) await runInline(init, batchOf, collector, hooks.signal);
    else await runPool(this.options.worker, threads, init, batchOf, collector, hooks.signal);
    return { ...input, preverified: collector.facts(), preparsed: new Map([['targets', plan.envelope]]) };
  }
}

/**
 * The records that apply: only files verified under these very delegating bytes (a changed
 * `targets` may change any delegation's keys, threshold or paths), else none.
 */
function knownUnderThisDelegation(known: Readonly<Record<string, VerifiedFile>> | undefined, targetsBytes: Uint8Array): Readonly<Record<string, VerifiedFile>> | null {
  if (known === undefined) return null;
  const parentSha256 = createHash('sha256').update(targetsBytes).digest('hex');
  const out: Record<string, VerifiedFile> = {};
  let any = false;
  for (const [name, record] of Object.entries(known)) {
    if (record.parentSha256 !== parentSha256) continue;
    out[name] = record;
    any = true;
  }
  return any ? out : null;
}

/** Collects batch results in order, decides which batches bring rows, enforces the byte cap. */
class FactCollector {
  private readonly results: Array<PreverifiedRole[] | undefined>;
  private next = 0;
  private prefix = 0;
  private prefixRows = 0;
  private done = 0;
  private bytes = 0;
  private readonly totalFiles: number;
  private readonly maxRows: number;

  constructor(
    private readonly input: RepositoryInput,
    private readonly count: number,
    readonly batchSize: number,
    private readonly hooks: PreverifyHooks,
  ) {
    this.results = new Array<PreverifiedRole[] | undefined>(Math.ceil(count / batchSize));
    this.totalFiles = input.files.size + count + input.rootHistory.size;
    this.maxRows = hooks.maxTargetRows ?? Number.POSITIVE_INFINITY;
    for (const b of input.files.values()) this.bytes += b.length;
  }

  /** The next batch to verify, or null when all are handed out. */
  take(): { id: number; from: number; to: number; wantRows: boolean } | null {
    if (this.next >= this.results.length) return null;
    const id = this.next++;
    const from = id * this.batchSize;
    // Rows are wanted while the in-order rows so far may not fill the report (a few batches in
    // flight may bring more than needed; the engine keeps the first maxRows).
    return { id, from, to: Math.min(this.count, from + this.batchSize), wantRows: this.prefixRows < this.maxRows };
  }

  put(id: number, facts: PreverifiedRole[]): void {
    for (const f of facts) {
      if (f.hasDelegations) throw new FullLoadRequiredError(`${f.name} delegates further; the sequential walk handles nested delegations`);
      this.bytes += f.length ?? 0;
    }
    if (this.bytes > LIMITS.totalBytes) throw new FileTooLargeError(`${this.input.deferred?.directory ?? ''} (all files)`, LIMITS.totalBytes);
    this.results[id] = facts;
    while (this.prefix < this.results.length && this.results[this.prefix] !== undefined) {
      for (const f of this.results[this.prefix] ?? []) this.prefixRows += f.scan?.admitted ?? 0;
      this.prefix++;
    }
    this.done += facts.length;
    this.hooks.onProgress?.(this.input.files.size + this.input.rootHistory.size + this.done, this.totalFiles);
  }

  facts(): Map<string, PreverifiedRole> {
    const out = new Map<string, PreverifiedRole>();
    for (const batch of this.results) for (const f of batch ?? []) out.set(f.name, f);
    return out;
  }
}

type BatchOf = (b: { from: number; to: number; wantRows: boolean }) => LeafBatch;

async function runInline(init: LeafBatchInit, batchOf: BatchOf, collector: FactCollector, signal?: AbortSignal): Promise<void> {
  const verifier = new LeafBatchVerifier(init, new NodeCryptoProvider());
  for (let batch = collector.take(); batch !== null; batch = collector.take()) {
    if (signal?.aborted) throw new CancelledError('inspection');
    collector.put(batch.id, verifier.run(batchOf(batch)));
    // Let a cancel request (and progress messages) through between batches.
    await new Promise((resolve) => setImmediate(resolve));
  }
}

function runPool(spec: BinWorkerSpec, threads: number, init: LeafBatchInit, batchOf: BatchOf, collector: FactCollector, signal?: AbortSignal): Promise<void> {
  const workers: Worker[] = [];
  return new Promise<void>((resolve, reject) => {
    let settled = false;
    let busy = 0;
    const finish = (error: unknown): void => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      void Promise.all(workers.map((w) => w.terminate())).finally(() => (error === null ? resolve() : reject(error instanceof Error ? error : new Error('bin worker failed'))));
    };
    const onAbort = (): void => finish(new CancelledError('inspection'));
    signal?.addEventListener('abort', onAbort, { once: true });
    if (signal?.aborted) return onAbort();
    const feed = (worker: Worker): void => {
      const batch = collector.take();
      if (batch === null) {
        if (busy === 0) finish(null);
        return;
      }
      busy++;
      const request: BinWorkerRequest = { type: 'batch', id: batch.id, ...batchOf(batch) };
      worker.postMessage(request);
    };
    for (let i = 0; i < threads; i++) {
      const worker = new Worker(spec.path, spec.execArgv ? { execArgv: spec.execArgv } : {});
      workers.push(worker);
      worker.on('message', (message: BinWorkerResponse) => {
        if (settled) return;
        busy--;
        if (message.type === 'error') return finish(deserializeError(message.error));
        try {
          collector.put(message.id, message.facts);
        } catch (error) {
          return finish(error);
        }
        feed(worker);
      });
      worker.on('error', (error) => finish(error));
      worker.on('exit', (code) => finish(new Error(`bin worker exited with code ${code}`)));
      const initRequest: BinWorkerRequest = { type: 'init', init };
      worker.postMessage(initRequest);
      // Two batches in flight per worker: it starts the next one while this thread is still
      // taking the last one's results in (a row batch takes tens of ms to deserialize).
      feed(worker);
      feed(worker);
    }
  });
}

import { setImmediate as nextTurn } from 'node:timers/promises';

import type { DeferredRole } from '../../../shared/inspection/preverified';
import type { Dialect } from '../../../shared/inspection/report';
import { FileTooLargeError } from '../fs/atomic-write';
import { isSafeName } from '../fs/safe-names';
import { CancelledError } from '../net/http-fetch';
import { SourceFormatError } from './errors';
import { LIMITS } from './limits';
import { DirectoryReader, type MetadataReader } from './metadata-reader';
import { jsonObject, parseJsonLoose, signedOf } from './peek-json';
import { delegatedRoleNames } from './peek-members';

/**
 * How the root history is found:
 * - `probe`: fetch 1.root.json, 2.root.json, ... until one is absent (TUF repositories over HTTP),
 * - `current`: 1..N where N is the version of root.json (Notary server: its history is complete),
 * - `list`: the N.root.json files a directory holds.
 */
export type RootHistoryMode = 'probe' | 'current' | 'list';

/** Delegated role files read in parallel (HTTP and disk latency, not CPU, bound the loader). */
const READ_CONCURRENCY = 16;
/** Deferred bins located per event-loop turn (a few ms of work each turn at PEP 458 scale). */
const DEFER_TURN_EVERY = 1024;

export interface WalkOptions {
  rootHistory: RootHistoryMode;
  signal?: AbortSignal;
  onFile?: (name: string, filesRead: number) => void;
  /**
   * Directory sources only: when `targets` delegates to at least this many roles, locate those
   * files but do not read them (`deferred`); the inspection runner verifies them from disk in
   * parallel, so PEP 458's 820 MB of bins is never held at once. Default: read everything.
   */
  deferDelegationsFrom?: number;
}

export interface WalkResult {
  dialect: Dialect | null;
  files: Map<string, Uint8Array>;
  rootHistory: Map<number, Uint8Array>;
  unavailable: string[];
  root: unknown;
  /** Located, unread delegated role files (see WalkOptions.deferDelegationsFrom). */
  deferred: DeferredRole[];
}

/**
 * Collects a repository's metadata bytes by following its own references: root (and history),
 * then timestamp -> snapshot -> targets -> delegations. Parsing here only discovers what to fetch;
 * nothing read is trusted: the engine verifies the exact bytes.
 */
export class RepositoryWalker {
  private readonly files = new Map<string, Uint8Array>();
  private readonly history = new Map<number, Uint8Array>();
  private readonly unavailable: string[] = [];
  private readonly deferred: DeferredRole[] = [];
  private totalBytes = 0;
  private filesRead = 0;

  constructor(
    private readonly reader: MetadataReader,
    private readonly options: WalkOptions,
  ) {}

  async walk(): Promise<WalkResult> {
    const rootBytes = await this.readRoot();
    const root = signedOf(parseJsonLoose(rootBytes));
    const type = root?.['_type'];
    const dialect: Dialect | null = type === 'Root' ? 'notary-v1' : type === 'root' ? 'tuf-1.0' : null;
    const consistent = root?.['consistent_snapshot'] === true;

    const timestamp = parseJsonLoose(await this.role('timestamp', null, consistent));
    const snapshotVersion = metaVersion(timestamp, 'snapshot.json');
    const snapshot = parseJsonLoose(await this.role('snapshot', snapshotVersion, consistent));
    const snapshotMeta = signedOf(snapshot)?.['meta'];
    const targets = await this.role('targets', metaVersion(snapshot, 'targets.json'), consistent);
    const names = delegatedRoleNames(targets);
    const deferFrom = this.options.deferDelegationsFrom;
    if (deferFrom !== undefined && names.length >= deferFrom && this.reader instanceof DirectoryReader) await this.defer(names, snapshotMeta, consistent);
    else await this.delegations(names, snapshotMeta, consistent);
    return { dialect, files: this.files, rootHistory: this.history, unavailable: this.unavailable, root, deferred: this.deferred };
  }

  private async readRoot(): Promise<Uint8Array> {
    const current = await this.read('root.json', LIMITS.rootBytes);
    const mode = this.options.rootHistory;
    if (mode === 'list') {
      for (const n of (await (this.reader as DirectoryReader).versionsOf('root')).slice(-LIMITS.rootHistory)) {
        const bytes = await this.read(`${n}.root.json`, LIMITS.rootBytes);
        if (bytes) this.history.set(n, bytes);
      }
    } else if (mode === 'probe') {
      for (let n = 1; n <= LIMITS.rootHistory; n++) {
        const bytes = await this.read(`${n}.root.json`, LIMITS.rootBytes);
        if (!bytes) break;
        this.history.set(n, bytes);
      }
    } else if (current) {
      const version = signedOf(parseJsonLoose(current))?.['version'];
      const newest = typeof version === 'number' && Number.isSafeInteger(version) ? Math.min(version, LIMITS.rootHistory) : 0;
      for (let n = 1; n <= newest; n++) {
        const bytes = await this.read(`${n}.root.json`, LIMITS.rootBytes);
        if (bytes) this.history.set(n, bytes);
      }
    }
    const newestHistoric = Math.max(0, ...this.history.keys());
    const root = current ?? this.history.get(newestHistoric) ?? null;
    if (!root) throw new SourceFormatError(`no root.json (nor 1.root.json) at ${this.reader.location}`);
    this.files.set('root', root);
    return root;
  }

  /** Reads a top-level or delegated role, trying the consistent-snapshot name first; its bytes or null. */
  private async role(name: string, version: number | null, consistent: boolean): Promise<Uint8Array | null> {
    const maxBytes = name === 'timestamp' ? LIMITS.timestampBytes : name === 'snapshot' ? LIMITS.snapshotBytes : LIMITS.targetsBytes;
    for (const candidate of await this.candidates(name, version, consistent)) {
      const bytes = await this.read(candidate, maxBytes);
      if (bytes) {
        this.files.set(name, bytes);
        return bytes;
      }
    }
    this.unavailable.push(name);
    return null;
  }

  /** File names to try for a role, in order. */
  private async candidates(name: string, version: number | null, consistent: boolean): Promise<string[]> {
    const candidates = [`${name}.json`];
    if (version !== null && name !== 'timestamp') {
      const prefixed = prefixVersion(name, version);
      if (consistent) candidates.unshift(prefixed);
      else candidates.push(prefixed);
    }
    if (this.options.rootHistory === 'list' && version === null && name !== 'timestamp' && !name.includes('/')) {
      // A consistent-snapshot directory without the referencing file: take its newest version.
      const versions = await (this.reader as DirectoryReader).versionsOf(name);
      const newest = versions.at(-1);
      if (newest !== undefined) candidates.push(`${newest}.${name}.json`);
    }
    return candidates;
  }

  /** `targets`' delegations located, not read (same name rules and caps as `delegations`). */
  private async defer(names: string[], snapshotMeta: unknown, consistent: boolean): Promise<void> {
    const seen = new Set<string>(['root', 'targets', 'snapshot', 'timestamp']);
    let located = 0;
    for (const [index, name] of names.entries()) {
      // 16,384 bins are located without file I/O: give the (Electron main) event loop a turn now and then.
      if (index > 0 && index % DEFER_TURN_EVERY === 0) await nextTurn();
      if (this.options.signal?.aborted) throw new CancelledError('loading');
      if (seen.has(name)) continue;
      seen.add(name);
      if (!isSafeName(name) || located >= LIMITS.delegations) {
        this.unavailable.push(name);
        continue;
      }
      located++;
      this.deferred.push({ name, candidates: await this.candidates(name, metaVersionFrom(snapshotMeta, `${name}.json`), consistent) });
    }
  }

  private async delegations(names: string[], snapshotMeta: unknown, consistent: boolean): Promise<void> {
    const queue = names;
    const seen = new Set<string>(['root', 'targets', 'snapshot', 'timestamp']);
    let fetched = 0;
    // An index, not shift(): PEP 458's 16,384-entry queue made shift() quadratic. Files are read
    // READ_CONCURRENCY at a time (each read is several fs round trips), then handled in queue order.
    let head = 0;
    while (head < queue.length) {
      const batch: string[] = [];
      while (head < queue.length && batch.length < READ_CONCURRENCY) {
        const name = queue[head++] as string;
        if (seen.has(name)) continue; // cycles and diamonds: fetch each role once; the engine reports cycles
        seen.add(name);
        if (!isSafeName(name) || fetched >= LIMITS.delegations) {
          // Unsafe names are never turned into paths (security.md §6 #11); the engine flags them.
          this.unavailable.push(name);
          continue;
        }
        fetched++;
        batch.push(name);
      }
      const read = await Promise.all(batch.map((name) => this.role(name, metaVersionFrom(snapshotMeta, `${name}.json`), consistent)));
      for (const bytes of read) for (const child of delegatedRoleNames(bytes)) queue.push(child);
    }
  }

  private async read(name: string, maxBytes: number): Promise<Uint8Array | null> {
    if (this.options.signal?.aborted) throw new CancelledError('loading');
    const bytes = await this.reader.read(name, maxBytes, this.options.signal);
    if (!bytes) return null;
    this.totalBytes += bytes.byteLength;
    if (this.totalBytes > LIMITS.totalBytes) throw new FileTooLargeError(`${this.reader.location} (all files)`, LIMITS.totalBytes);
    this.filesRead++;
    this.options.onFile?.(name, this.filesRead);
    return bytes;
  }
}

/** `N.name.json`, with the version on the last path segment for nested Notary-style names. */
function prefixVersion(name: string, version: number): string {
  const slash = name.lastIndexOf('/');
  return slash < 0 ? `${version}.${name}.json` : `${name.slice(0, slash + 1)}${version}.${name.slice(slash + 1)}.json`;
}

function metaVersion(parsed: unknown, entry: string): number | null {
  return metaVersionFrom(signedOf(parsed)?.['meta'], entry);
}

function metaVersionFrom(meta: unknown, entry: string): number | null {
  const version = jsonObject(jsonObject(meta)?.[entry])?.['version'];
  return typeof version === 'number' && Number.isSafeInteger(version) && version > 0 ? version : null;
}

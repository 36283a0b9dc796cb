import type { DeferredRole, PreverifiedRole } from './preverified';
import type { Envelope } from '../tuf/model';
import type { Dialect, SourceKind } from './report';

/**
 * What a source loader hands the verification engine: raw bytes, never parsed objects, so the
 * engine alone decides what is trusted (hashes and signatures are checked on the exact bytes).
 */
export interface RepositoryInput {
  source: { kind: SourceKind; location: string };
  /** Known dialect, or null to detect it from root's `_type` ("Root" = notary-v1). */
  dialect: Dialect | null;
  /** Notary GUN or TUF display name. */
  name: string;
  /** Current role files by role name without `.json`: `root`, `targets`, `targets/releases`, `snapshot`, `timestamp`. */
  files: ReadonlyMap<string, Uint8Array>;
  /** Versioned roots `N.root.json` by N, when the source has them (TUF repos, Notary server). */
  rootHistory: ReadonlyMap<number, Uint8Array>;
  /** Delegated role files that could not be fetched (so the engine reports MISSING_ROLE, not a crash). */
  unavailable?: readonly string[];
  privateKeys?: ReadonlyArray<{ id: string; role: string; gun: string | null; path: string; encrypted: boolean }>;
  /**
   * Delegated role files the loader located but left on disk (PEP 458 scale: never all in memory).
   * A runner turns them into `preverified` facts before the engine runs; the engine refuses input
   * with deferred files that are neither in `files` nor pre-verified.
   */
  deferred?: { directory: string; roles: readonly DeferredRole[] };
  /** Facts for delegated role files computed off-thread, by role name (see preverified.ts). */
  preverified?: ReadonlyMap<string, PreverifiedRole>;
  /**
   * Envelopes a runner already parsed (strictly, with parseMetadata) from exactly these bytes,
   * by role name: the engine uses one only when its `bytes` is the very Uint8Array in `files` and
   * its dialect is the engine's, instead of parsing the file a second time (PEP 458's 3 MB
   * delegating `targets`).
   */
  preparsed?: ReadonlyMap<string, Envelope>;
}

/** The workspace's trusted state for a repository, used for rollback and root-change findings. */
export interface TrustedState {
  rootVersion: number;
  /** The trusted root's exact bytes: the chain is verified from here when present. */
  rootBytes: Uint8Array | null;
  versions: Readonly<Record<string, number>>;
  /**
   * Delegated role files verified cleanly by an earlier healthy inspection (the pre-verified,
   * PEP 458 path), by role name. A file whose bytes hash the same, under a delegating file whose
   * bytes hash the same (same delegation, keys and threshold), gives the same facts: it is not
   * verified again (`stats.skippedUnchanged`); its expiry and version are still checked.
   */
  files?: Readonly<Record<string, VerifiedFile>>;
}

/** One cleanly verified delegated role file (every signature valid, no target finding). */
export interface VerifiedFile {
  sha256: string;
  length: number;
  version: number;
  expires: string;
  /** SHA-256 of the delegating file's bytes the role was verified under. */
  parentSha256: string;
  /** Keyids of the file's signatures, in order (all valid, one per distinct key). */
  signers: string[];
  targetCount: number;
}

export interface InspectOptions {
  /** Evaluation time (`--at`), default now. */
  at: Date;
  /** `--warn-days`, default 30. */
  warnDays: number;
  trusted: TrustedState | null;
  /**
   * Keep at most this many target rows in the report (default: all). The report then says how many
   * trusted targets there were in `targetsTotal`. PEP 458 scale (2.28 M rows) does not fit a JSON
   * string, the workspace file or the renderer; the GUI pages the first rows.
   */
  maxTargetRows?: number;
  /**
   * Read canonical TUF targets files with the byte scanner (shared/tuf/targets-scan.ts) instead of
   * the strict JSON parser when their shape allows it (default true). Facts and report are the
   * same either way; tests turn it off to compare both.
   */
  fastScan?: boolean;
  /** Progress callback for long inspections (files verified / total). */
  onProgress?: (done: number, total: number) => void;
}

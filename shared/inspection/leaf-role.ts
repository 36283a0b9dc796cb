import { toHex } from '../tuf/encoding';
import type { CryptoProvider } from '../tuf/crypto';
import { parseMetadata } from '../tuf/metadata';
import type { DelegatedRole, Dialect, Envelope, JsonValue, Key, Targets } from '../tuf/model';
import { sha256TextHex } from '../tuf/sha256-text';
import { scanCanonicalTargets } from '../tuf/targets-scan';
import type { InspectionLimits } from './context';
import type { DelegationEdge } from './delegation-graph';
import { edgeAdmits } from './delegations';
import { scanHashBinWithWasm } from './leaf-scan-wasm';
import { unsafeTargetPathReason } from './path-match';
import { delegationFingerprint, type PreverifiedRole, type TargetColumns, type TargetEvent, type TargetScan } from './preverified';
import { verifyEnvelope } from './signatures';

export interface LeafRoleTask {
  dialect: Dialect;
  /** The delegation (from top-level `targets`) and that file's delegation keys. */
  delegation: DelegatedRole;
  index: number;
  keys: ReadonlyMap<string, Key>;
  limits: InspectionLimits;
  wantSha512: boolean;
  /** Build admitted rows (the report keeps the first N rows only). */
  wantRows: boolean;
  /**
   * Hex SHA-256 of a target path (hash-bin placement). Default: the pure-JS sha256TextHex; a Node
   * caller passes node:crypto's one-shot `hash`, about 3x faster for ~100-byte paths.
   */
  pathSha256Hex?: (path: string) => string;
  /** Use the canonical byte scanner when the file allows it (default true; tests compare both). */
  fastScan?: boolean;
}

/** The outside-path findings the engine writes per role before summarising (targets-table.ts). */
export const OUTSIDE_EXAMPLES = 3;

/**
 * Everything the engine needs from one leaf role file delegated by `targets`, computed from the
 * file's bytes alone: parse, hashes, signatures, and the target scan. Pure (crypto injected), so a
 * worker thread and the engine's own tests run the same code.
 */
export function verifyLeafRole(bytes: Uint8Array | null, task: LeafRoleTask, crypto: CryptoProvider): PreverifiedRole {
  const d = task.delegation;
  const facts: PreverifiedRole = {
    name: d.name,
    fingerprint: delegationFingerprint(d, task.keys),
    problem: null,
    malformed: null,
    length: null,
    sha256: null,
    sha512: null,
    signed: null,
    signatureKeyids: [],
    verification: null,
    signaturesChecked: 0,
    targetCount: 0,
    hasDelegations: false,
    scan: null,
  };
  if (bytes === null) {
    facts.problem = 'missing';
    return facts;
  }
  facts.length = bytes.length;
  facts.sha256 = toHex(crypto.sha256(bytes));
  if (task.wantSha512) facts.sha512 = toHex(crypto.sha512(bytes));
  if (task.dialect === 'tuf-1.0' && (task.fastScan ?? true)) {
    const bin = scanHashBinWithWasm(bytes, d, task.wantRows);
    if (bin !== null) {
      facts.signed = bin.signed;
      facts.signatureKeyids = bin.signatures.map((s) => s.keyid);
      facts.targetCount = bin.targetCount;
      facts.hasDelegations = bin.emptyDelegations;
      const envelope = { dialect: task.dialect, signatures: bin.signatures, signedJson: {}, bytes, signedRange: bin.signedRange, signedCanonical: true };
      verifyAndScan(facts, envelope, task, crypto, null, bin.targetScan);
      return facts;
    }
    const scanned = scanCanonicalTargets(bytes, { wantHashes: task.wantRows });
    if (scanned !== null) {
      facts.signed = { version: scanned.version, expires: scanned.expires, expiresAt: scanned.expiresAt, expiresStrict: scanned.expiresStrict };
      facts.signatureKeyids = scanned.signatures.map((s) => s.keyid);
      facts.targetCount = scanned.paths.length;
      // As the strict model says: an (empty) delegations object is present.
      facts.hasDelegations = scanned.emptyDelegations;
      // A fresh object as signedJson: it only keys signedMessage's cache; the bytes are canonical.
      const envelope = { dialect: task.dialect, signatures: scanned.signatures, signedJson: {}, bytes, signedRange: scanned.signedRange, signedCanonical: true };
      verifyAndScan(facts, envelope, task, crypto, () => ({
        paths: scanned.paths,
        lengths: scanned.lengths,
        hashes: scanned.hashes ?? [],
        custom: null,
      }));
      return facts;
    }
  }
  let envelope: Envelope;
  try {
    envelope = parseMetadata(bytes, { expectedType: 'targets', dialect: task.dialect });
  } catch (error) {
    facts.problem = 'malformed';
    facts.malformed = error instanceof Error ? error.message : String(error);
    return facts;
  }
  const signed = envelope.signed as Targets;
  facts.signed = { version: signed.version, expires: signed.expires, expiresAt: signed.expiresAt, expiresStrict: signed.expiresStrict };
  facts.signatureKeyids = envelope.signatures.map((s) => s.keyid);
  facts.targetCount = signed.targets.size;
  facts.hasDelegations = signed.delegations !== null;
  verifyAndScan(facts, envelope, task, crypto, () => {
    const files = [...signed.targets.values()];
    return { paths: files.map((f) => f.path), lengths: files.map((f) => f.length), hashes: files.map((f) => f.hashesHex), custom: files.map((f) => f.custom) };
  });
  return facts;
}

/** A role's targets as columns (custom null: no target carries one). */
export interface TargetList {
  paths: readonly string[];
  lengths: readonly number[];
  hashes: ReadonlyArray<Readonly<Record<string, string>>>;
  custom: ReadonlyArray<JsonValue | undefined> | null;
}

function verifyAndScan(
  facts: PreverifiedRole,
  envelope: Parameters<typeof verifyEnvelope>[1],
  task: LeafRoleTask,
  crypto: CryptoProvider,
  targets: (() => TargetList) | null,
  scanned?: () => TargetScan,
): void {
  const d = task.delegation;
  const stats = { signaturesVerified: 0 };
  const v = verifyEnvelope({ crypto, limits: task.limits, stats }, envelope, task.keys, d.keyids, d.threshold);
  facts.verification = v;
  facts.signaturesChecked = stats.signaturesVerified;
  if (v.valid < v.threshold) return;
  // The WebAssembly scan placed the targets already; otherwise scan the list here.
  if (scanned !== undefined) facts.scan = scanned();
  else if (targets !== null) facts.scan = scanTargets(targets(), task);
}

/** buildTargets' per-target loop for a role whose only chain edge is its delegation from `targets`. */
export function scanTargets(list: TargetList, task: LeafRoleTask): TargetScan {
  const d = task.delegation;
  const edge: DelegationEdge = { parent: 'targets', name: d.name, index: task.index, terminating: d.terminating, paths: d.paths, pathHashPrefixes: d.pathHashPrefixes };
  const ctx = { dialect: task.dialect };
  const events: TargetEvent[] = [];
  const rows: TargetColumns | null = task.wantRows ? { paths: [], lengths: [], hashes: [], custom: [] } : null;
  let outside = 0;
  let admitted = 0;
  let currentPath = '';
  let currentHash: string | null = null;
  const hashPath = task.pathSha256Hex ?? sha256TextHex;
  const pathHash = (): string => {
    currentHash ??= hashPath(currentPath);
    return currentHash;
  };
  const { paths, lengths, hashes, custom } = list;
  for (let i = 0; i < paths.length; i++) {
    const path = paths[i]!;
    const unsafe = unsafeTargetPathReason(path);
    if (unsafe !== null) events.push({ kind: 'unsafe', path, reason: unsafe });
    currentPath = path;
    currentHash = null;
    if (!edgeAdmits(ctx, edge, path, pathHash)) {
      outside++;
      if (outside <= OUTSIDE_EXAMPLES) events.push({ kind: 'outside', path });
      continue;
    }
    admitted++;
    if (rows !== null) {
      rows.paths.push(path);
      rows.lengths.push(lengths[i]!);
      rows.hashes.push(hashes[i]!);
      rows.custom.push(custom === null ? undefined : custom[i]);
    }
  }
  return { events, outside, admitted, rows };
}

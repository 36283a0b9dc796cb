import { toHex } from '../tuf/encoding';
import type { CryptoProvider } from '../tuf/crypto';
import { parseMetadata } from '../tuf/metadata';
import type { DelegatedRole, Dialect, Envelope, Key, Targets } from '../tuf/model';
import { sha256TextHex } from '../tuf/sha256-text';
import type { InspectionLimits } from './context';
import type { DelegationEdge } from './delegation-graph';
import { edgeAdmits } from './delegations';
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
  const stats = { signaturesVerified: 0 };
  const v = verifyEnvelope({ crypto, limits: task.limits, stats }, envelope, task.keys, d.keyids, d.threshold);
  facts.verification = v;
  facts.signaturesChecked = stats.signaturesVerified;
  if (v.valid >= v.threshold) facts.scan = scanTargets(signed, task);
  return facts;
}

/** buildTargets' per-target loop for a role whose only chain edge is its delegation from `targets`. */
function scanTargets(signed: Targets, task: LeafRoleTask): TargetScan {
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
  for (const file of signed.targets.values()) {
    const unsafe = unsafeTargetPathReason(file.path);
    if (unsafe !== null) events.push({ kind: 'unsafe', path: file.path, reason: unsafe });
    currentPath = file.path;
    currentHash = null;
    if (!edgeAdmits(ctx, edge, file.path, pathHash)) {
      outside++;
      if (outside <= OUTSIDE_EXAMPLES) events.push({ kind: 'outside', path: file.path });
      continue;
    }
    admitted++;
    if (rows !== null) {
      rows.paths.push(file.path);
      rows.lengths.push(file.length);
      rows.hashes.push(file.hashesHex);
      rows.custom.push(file.custom);
    }
  }
  return { events, outside, admitted, rows };
}

import type { DelegatedRole, Key, RoleVerification } from '../tuf/model';

/**
 * Facts about one delegated role file, computed away from the engine (in a worker thread, reading
 * the file itself) so a PEP 458-scale repository is never held in memory at once. The engine
 * consumes them in place of the file's bytes at exactly the points where it would have parsed,
 * verified and scanned the file, so findings, their order and the report are the same.
 *
 * Only leaf roles delegated by the top-level `targets` are pre-verified (a file with its own
 * delegations needs the sequential walk: `hasDelegations` tells the caller to fall back).
 */
export interface PreverifiedRole {
  name: string;
  /** `delegationFingerprint` of the delegation the facts were verified under. */
  fingerprint: string;
  problem: 'missing' | 'malformed' | null;
  /** The parse error, when malformed. */
  malformed: string | null;
  length: number | null;
  sha256: string | null;
  /** Only when asked for (snapshot lists SHA-512 hashes). */
  sha512: string | null;
  signed: PreverifiedSigned | null;
  /** Keyids of the file's signatures, in order (duplicate-signature findings count them). */
  signatureKeyids: string[];
  verification: RoleVerification | null;
  /** Signatures actually checked (valid or invalid), for the report's stats. */
  signaturesChecked: number;
  targetCount: number;
  hasDelegations: boolean;
  /**
   * Target scan, present when the role's own signatures met its threshold (the engine only scans
   * trusted roles): per-target events in file order (every unsafe path, the first three paths
   * outside the delegated paths), the number outside, and the admitted rows when asked for.
   */
  scan: TargetScan | null;
  /** The file was unchanged since a clean verification (TrustedState.files): facts reused, no signature checked. */
  reused?: boolean;
}

export interface PreverifiedSigned {
  version: number;
  expires: string;
  expiresAt: number;
  expiresStrict: boolean;
}

export type TargetEvent = { kind: 'unsafe'; path: string; reason: string } | { kind: 'outside'; path: string };

export interface TargetScan {
  events: TargetEvent[];
  outside: number;
  admitted: number;
  /** Admitted rows as columns (cheap to post between threads), or null when not asked for. */
  rows: TargetColumns | null;
}

export interface TargetColumns {
  paths: string[];
  lengths: number[];
  hashes: Array<Readonly<Record<string, string>>>;
  /** `custom` per row; undefined entries when absent. */
  custom: unknown[];
}

/** A delegated role file the loader located but did not read (the pre-verifier reads it). */
export interface DeferredRole {
  name: string;
  /** Relative file names to try, in order (consistent-snapshot name first when applicable). */
  candidates: string[];
}

/**
 * Identity of what a role is verified against: its name, edge (paths / hash prefixes /
 * terminating), threshold and the exact keys. Facts verified under another delegation are refused.
 */
export function delegationFingerprint(d: DelegatedRole, keys: ReadonlyMap<string, Key>): string {
  const parts: string[] = [d.name, String(d.threshold), String(d.terminating), JSON.stringify(d.paths), JSON.stringify(d.pathHashPrefixes)];
  for (const id of d.keyids) {
    const k = keys.get(id);
    parts.push(k === undefined ? `${id}:-` : `${id}:${k.keytype}:${k.scheme ?? ''}:${k.public}`);
  }
  return parts.join('\u0000');
}

import { toHex } from '../tuf/encoding';
import type { CryptoProvider } from '../tuf/crypto';
import { parseExpires } from '../tuf/fields';
import { parseMetadata } from '../tuf/metadata';
import { scanCanonicalTargets } from '../tuf/targets-scan';
import type { VerifiedFile } from './input';
import { scanTargets, type LeafRoleTask, type TargetList } from './leaf-role';
import { delegationFingerprint, type PreverifiedRole } from './preverified';

/**
 * The facts of a leaf role file that is byte-for-byte the one an earlier healthy inspection
 * verified cleanly (same SHA-256 and length, same delegating file: same delegation, keys and
 * threshold), without verifying its signatures again: they are a function of those bytes and
 * that delegation. Returns null when the file differs (the caller verifies it in full).
 *
 * What the engine then reports equals a full verification (test/unit/electron/inspection/
 * skip-unchanged.spec.ts): version, expiry (checked against the evaluation time by the engine),
 * signers, target count; `signaturesChecked` is 0 and `reused` is set. Target rows, when the
 * report wants them, are scanned from the bytes again (the scan is cheap next to the signature).
 */
export function reuseLeafRole(bytes: Uint8Array | null, task: LeafRoleTask, known: VerifiedFile, crypto: CryptoProvider): PreverifiedRole | null {
  if (bytes === null || bytes.length !== known.length) return null;
  const sha256 = toHex(crypto.sha256(bytes));
  if (sha256 !== known.sha256) return null;
  let expires: { at: number; strict: boolean };
  try {
    expires = parseExpires(known.expires, task.dialect, false, '/signed/expires');
  } catch (error) {
    // A record the engine could not have written: verify the file instead.
    void error;
    return null;
  }
  const d = task.delegation;
  const facts: PreverifiedRole = {
    name: d.name,
    fingerprint: delegationFingerprint(d, task.keys),
    problem: null,
    malformed: null,
    length: bytes.length,
    sha256,
    sha512: task.wantSha512 ? toHex(crypto.sha512(bytes)) : null,
    signed: { version: known.version, expires: known.expires, expiresAt: expires.at, expiresStrict: expires.strict },
    signatureKeyids: [...known.signers],
    verification: {
      valid: known.signers.length,
      threshold: d.threshold,
      signers: [...known.signers],
      invalid: [],
      unknown: [],
      duplicates: [],
      details: known.signers.map((keyid) => ({ keyid, status: 'valid' as const, message: null })),
    },
    signaturesChecked: 0,
    targetCount: known.targetCount,
    hasDelegations: false,
    scan: { events: [], outside: 0, admitted: known.targetCount, rows: null },
    reused: true,
  };
  if (task.wantRows && known.targetCount > 0) {
    const list = targetList(bytes, task);
    if (list === null || list.paths.length !== known.targetCount) return null;
    facts.scan = scanTargets(list, task);
  }
  return facts;
}

function targetList(bytes: Uint8Array, task: LeafRoleTask): TargetList | null {
  if (task.dialect === 'tuf-1.0' && (task.fastScan ?? true)) {
    const scanned = scanCanonicalTargets(bytes, { wantHashes: true });
    if (scanned !== null) return { paths: scanned.paths, lengths: scanned.lengths, hashes: scanned.hashes ?? [], custom: null };
  }
  try {
    const files = [...(parseMetadata(bytes, { expectedType: 'targets', dialect: task.dialect }).signed).targets.values()];
    return { paths: files.map((f) => f.path), lengths: files.map((f) => f.length), hashes: files.map((f) => f.hashesHex), custom: files.map((f) => f.custom) };
  } catch (error) {
    // It verified cleanly before with these very bytes; if it no longer parses, verify in full.
    void error;
    return null;
  }
}

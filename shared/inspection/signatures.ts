import type { Key, RoleVerification } from '../tuf/model';
import { verifyRoleSignatures, type SignedEnvelope } from '../tuf/verify-role';
import type { InspectContext } from './context';
import { short } from './notary-certs';

/**
 * Verify an envelope against one role's keys and threshold, within the signature cap.
 * Empty `sig` strings are dropped first: tuf-on-ci writes `"sig": ""` placeholders for keyholders
 * who have not signed yet (sigstore 12.root.json), and every client treats them as absent.
 */
export function verifyEnvelope(
  ctx: Pick<InspectContext, 'crypto' | 'limits' | 'stats'>,
  envelope: SignedEnvelope,
  keys: ReadonlyMap<string, Key>,
  keyids: readonly string[],
  threshold: number,
): RoleVerification {
  const signatures = envelope.signatures.some((s) => s.sig === '') ? envelope.signatures.filter((s) => s.sig !== '') : envelope.signatures;
  if (signatures.length > ctx.limits.maxSignaturesPerFile) {
    // Nothing is verified past the cap (catalogue #27); `capped` tells reportSignatures why.
    return {
      valid: 0,
      threshold,
      signers: [],
      invalid: [],
      unknown: [],
      duplicates: [],
      details: [],
      capped: signatures.length,
    } as RoleVerification & { capped: number };
  }
  const roleKeys = new Map<string, Key>();
  for (const id of keyids) {
    const key = keys.get(id);
    if (key !== undefined) roleKeys.set(id, key);
  }
  // Same envelope object when nothing was dropped: the canonical bytes stay cached per envelope.
  const target = signatures === envelope.signatures ? envelope : { ...envelope, signatures };
  const result = verifyRoleSignatures(target, roleKeys, threshold, ctx.crypto);
  ctx.stats.signaturesVerified += result.details.filter((d) => d.status === 'valid' || d.status === 'invalid').length;
  return result;
}

export function cappedCount(v: RoleVerification): number | null {
  const c = (v as RoleVerification & { capped?: number }).capped;
  return typeof c === 'number' ? c : null;
}

/**
 * Findings for a role's signatures. `extraKnown` are keyids that may legitimately sign without
 * being role keys (the previous root's keys on a rotated root), so they are not UNKNOWN_SIGNER.
 */
export function reportSignatures(
  ctx: InspectContext,
  role: string,
  envelope: { readonly signatures: ReadonlyArray<{ readonly keyid: string }> },
  v: RoleVerification,
  extraKnown: ReadonlySet<string> = new Set(),
): void {
  const f = ctx.findings;
  const capped = cappedCount(v);
  if (capped !== null) {
    f.error('LIMIT_EXCEEDED', `${role} carries ${capped} signatures, above the cap of ${ctx.limits.maxSignaturesPerFile}; not verified.`, { role });
  }
  const met = v.valid >= v.threshold;
  if (!met && capped === null) {
    f.error('THRESHOLD_UNMET', `${role} has ${v.valid} valid signature(s) from distinct keys; its threshold is ${v.threshold}.`, { role });
  }
  for (const keyid of new Set(v.invalid)) {
    const detail = v.details.find((d) => d.keyid === keyid && d.status !== 'valid')?.message ?? undefined;
    f.add('INVALID_SIGNATURE', met ? 'warning' : 'error', `The signature by ${role} key ${short(keyid)} does not verify.`, {
      role,
      keyid,
      ...(detail !== undefined && detail !== null ? { detail } : {}),
    });
  }
  for (const keyid of new Set(v.unknown)) {
    if (extraKnown.has(keyid)) continue;
    f.warning('UNKNOWN_SIGNER', `${role} carries a signature by ${short(keyid)}, which is not one of its keys.`, { role, keyid });
  }
  const counts = new Map<string, number>();
  for (const s of envelope.signatures) counts.set(s.keyid, (counts.get(s.keyid) ?? 0) + 1);
  for (const keyid of new Set(v.duplicates)) {
    if ((counts.get(keyid) ?? 0) > 1) {
      f.error('DUPLICATE_SIGNATURE', `${role} lists a signature by ${short(keyid)} more than once; it counts once and the file is malformed.`, {
        role,
        keyid,
      });
    } else {
      f.warning('DUPLICATE_SIGNATURE', `${role} key ${short(keyid)} is the same public key as another signer; it counts once.`, { role, keyid });
    }
  }
}

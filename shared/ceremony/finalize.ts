import { parseMetadata } from '../tuf/metadata';
import type { JsonObject, Key } from '../tuf/model';
import { verifyRoleSignatures } from '../tuf/verify-role';
import { assembleEnvelope } from './envelope';
import type { CeremonyEnv } from './env';
import { FinalizeError } from './errors';
import { describeKey, toModelKey } from './keys';
import { blockingFailures } from './rules';
import { DAY_MS, policyRole } from './policy';
import { policyOf } from './env';
import { expiresAt, isObj } from './state';
import type { CeremonyKey, CollectedSignature, Proposal } from './types';

export interface FinalizedProposal {
  /** Role → exact signed file bytes, for every role signed in the ceremony. */
  files: Record<string, Uint8Array>;
  /** Role → `signed` body of roles signed online at publish (TUF snapshot/timestamp). */
  unsigned: Record<string, JsonObject>;
}

/**
 * Assemble every offline role's file and verify it with shared/tuf exactly as a client would:
 * each requirement (old root threshold, new root threshold, delegating role) over the produced
 * bytes. Any shortfall is a FinalizeError naming the role, the requirement and who is missing.
 */
export function finalize(proposal: Proposal, signatures: readonly CollectedSignature[], env: CeremonyEnv): FinalizedProposal {
  const blocking = blockingFailures(proposal.checks);
  if (blocking.length > 0) throw new FinalizeError(`blocking rule checks: ${blocking.map((c) => `${c.code}: ${c.message}`).join('; ')}`, { code: 'RULES_FAILED' });
  assertNotExpiring(proposal, env);
  const keys = new Map<string, CeremonyKey>(proposal.keys.map((k) => [k.keyid, k]));
  // Top-level roles verify against the key objects of the NEW root as written.
  const newRoot = proposal.roles.find((r) => r.role === 'root')?.signed;
  const rootKeyObjects = newRoot && isObj(newRoot['keys']) ? newRoot['keys'] : {};
  const files: Record<string, Uint8Array> = {};
  const unsigned: Record<string, JsonObject> = {};
  for (const rp of proposal.roles) {
    if (rp.signing !== 'offline') {
      unsigned[rp.role] = rp.signed;
      continue;
    }
    const wanted = new Set(rp.requirements.flatMap((r) => r.keyids));
    const seen = new Set<string>();
    const sigs = signatures.filter((s) => {
      const ok = s.role === rp.role && s.version === rp.version && s.payloadSha256 === rp.payloadSha256 && wanted.has(s.keyid) && !seen.has(s.keyid);
      if (ok) seen.add(s.keyid);
      return ok;
    });
    const bytes = assembleEnvelope(proposal.dialect, rp.signed, sigs.map((s) => ({ keyid: s.keyid, sig: s.sig, method: s.method })));
    const envelope = parseMetadata(bytes, { dialect: proposal.dialect, strictExpires: proposal.dialect === 'tuf-1.0' });
    rp.requirements.forEach((req, i) => {
      const roleKeys = new Map<string, Key>();
      for (const id of req.keyids) {
        const k = keys.get(id);
        if (!k) continue;
        const isNewRootReq = rp.role !== 'root' || i === rp.requirements.length - 1;
        const obj = isNewRootReq && rootKeyObjects[id] !== undefined && ['root', 'targets', 'snapshot', 'timestamp'].includes(rp.role) ? (rootKeyObjects[id] as JsonObject) : k.keyObject;
        roleKeys.set(id, toModelKey({ ...k, keyObject: obj }));
      }
      const v = verifyRoleSignatures(envelope, roleKeys, req.threshold, env.crypto);
      if (v.valid < req.threshold) {
        const missing = req.keyids.filter((id) => !v.signers.includes(id)).map((id) => { const k = keys.get(id); return k ? describeKey(k) : `${id.slice(0, 8)}…`; });
        const oldRoot = rp.role === 'root' && rp.requirements.length > 1 && i === 0;
        throw new FinalizeError(
          `${rp.role} v${rp.version}: ${v.valid} of ${req.threshold} required signatures from ${req.label}; still needed from: ${missing.join(', ')}`,
          { code: oldRoot ? 'THRESHOLD_UNMET_OLD_ROOT' : 'THRESHOLD_UNMET', role: rp.role, requirement: req.label, valid: v.valid, threshold: req.threshold },
        );
      }
    });
    files[rp.role] = bytes;
  }
  return { files, unsigned };
}

/**
 * Expiries were checked against the ceremony clock when proposed; signing may take days (sittings,
 * partial bundles), so the current clock decides again before anything is exported (review F9):
 * no role may be expired or expire within the policy's minimum (`minRemainingDays`).
 */
function assertNotExpiring(proposal: Proposal, env: CeremonyEnv): void {
  const policy = policyOf(env, proposal.dialect);
  const now = env.now.getTime();
  for (const rp of proposal.roles) {
    // Online roles (TUF snapshot/timestamp) get their expiry from the publish clock.
    if (rp.signing !== 'offline') continue;
    const at = expiresAt(rp.signed, proposal.dialect);
    if (at === null) throw new FinalizeError(`${rp.role} v${rp.version}: expires ${JSON.stringify(rp.expires)} is not a time`, { code: 'EXPIRY_FORMAT', role: rp.role });
    const clock = env.now.toISOString().replace(/\.\d{3}Z$/, 'Z');
    if (at <= now) {
      throw new FinalizeError(`${rp.role} v${rp.version} expires ${rp.expires}, which is already past at the current clock ${clock}; nothing was exported — start a new ceremony from a fresh request (the expiry is fixed when it starts)`, { code: 'EXPIRY_IN_PAST', role: rp.role, expires: rp.expires });
    }
    const minDays = policy.minRemainingDays[policyRole(rp.role)];
    if (at - now < minDays * DAY_MS) {
      const hours = Math.floor((at - now) / 3_600_000);
      throw new FinalizeError(`${rp.role} v${rp.version} expires ${rp.expires}, only ${hours} h after the current clock ${clock} (policy minimum ${minDays} days); nothing was exported — start a new ceremony from a fresh request`, { code: 'EXPIRY_TOO_SOON', role: rp.role, expires: rp.expires });
    }
  }
}

import { resolveSignatureMethod } from '../tuf/crypto';
import { fromBase64, fromHex } from '../tuf/encoding';
import { canonicalPayload, payloadSha256 } from './envelope';
import type { CeremonyEnv } from './env';
import { RuleViolationError, SignatureRejectedError } from './errors';
import { describeKey, keyMaterialOf } from './keys';
import { frozenBySnapshotStep } from './notary-snapshot';
import { blockingFailures } from './rules';
import type { CeremonyKey, CollectedSignature, Proposal, RoleProposal } from './types';

export interface MissingSigner {
  keyid: string;
  /** "3f2a1b4c… (token 1234567, Alice)". */
  name: string;
  holder?: string;
  tokenSerial?: string;
}

export interface RequirementProgress {
  label: string;
  threshold: number;
  valid: number;
  signedBy: string[];
  /** Keys of this requirement that have not signed yet ("any N more of these"). */
  missing: MissingSigner[];
  met: boolean;
}

export interface RoleProgress {
  role: string;
  version: number;
  signing: RoleProposal['signing'];
  payloadSha256: string;
  requirements: RequirementProgress[];
  complete: boolean;
}

export interface ProposalProgress {
  roles: RoleProgress[];
  /** Every offline role meets every requirement. */
  complete: boolean;
}

function missingSigner(keyid: string, keys: ReadonlyMap<string, CeremonyKey>): MissingSigner {
  const k = keys.get(keyid);
  if (!k) return { keyid, name: `${keyid.slice(0, 8)}…` };
  const out: MissingSigner = { keyid, name: describeKey(k) };
  const serial = k.tokenSerial ?? (k.signer.kind === 'token' ? k.signer.tokenSerial : undefined);
  if (k.holder !== undefined) out.holder = k.holder;
  if (serial !== undefined) out.tokenSerial = serial;
  return out;
}

function signaturesFor(rp: RoleProposal, signatures: readonly CollectedSignature[]): CollectedSignature[] {
  return signatures.filter((s) => s.role === rp.role && s.version === rp.version && s.payloadSha256 === rp.payloadSha256);
}

/** Per role and requirement: valid/required signatures and who still has to sign (by serial and holder). */
export function progress(proposal: Proposal, signatures: readonly CollectedSignature[]): ProposalProgress {
  const keys = new Map(proposal.keys.map((k) => [k.keyid, k]));
  const roles = proposal.roles.map((rp): RoleProgress => {
    const signed = new Set(signaturesFor(rp, signatures).map((s) => s.keyid));
    const requirements = rp.requirements.map((req): RequirementProgress => {
      const ids = [...new Set(req.keyids)];
      const signedBy = ids.filter((id) => signed.has(id));
      return {
        label: req.label,
        threshold: req.threshold,
        valid: signedBy.length,
        signedBy,
        missing: ids.filter((id) => !signed.has(id)).map((id) => missingSigner(id, keys)),
        met: signedBy.length >= req.threshold,
      };
    });
    return { role: rp.role, version: rp.version, signing: rp.signing, payloadSha256: rp.payloadSha256, requirements, complete: rp.signing !== 'offline' || requirements.every((r) => r.met) };
  });
  return { roles, complete: roles.every((r) => r.complete) };
}

export interface SigningTask {
  role: string;
  version: number;
  payloadSha256: string;
  keyid: string;
  /** The exact bytes to sign (canonical `signed`). */
  message: Uint8Array;
  /** False when every requirement that lists this key is already met (an extra signature is still valid). */
  needed: boolean;
}

/**
 * What one key should sign in this proposal, in signing order. Refuses while a blocking rule
 * check fails: nothing is signed for a proposal that breaks reference/security.md §2.
 */
export function signingTasks(proposal: Proposal, keyid: string, signatures: readonly CollectedSignature[]): SigningTask[] {
  const blocking = blockingFailures(proposal.checks);
  if (blocking.length > 0) throw new RuleViolationError(`refusing to sign: ${blocking.map((c) => `${c.code}: ${c.message}`).join('; ')}`, { code: blocking[0]!.code });
  const prog = progress(proposal, signatures);
  const out: SigningTask[] = [];
  proposal.roles.forEach((rp, i) => {
    if (rp.signing !== 'offline') return;
    // After a Notary snapshot step, one more signature would change a file the snapshot lists.
    if (frozenBySnapshotStep(proposal, rp.role)) return;
    const reqs = rp.requirements.filter((r) => r.keyids.includes(keyid));
    if (reqs.length === 0) return;
    if (signaturesFor(rp, signatures).some((s) => s.keyid === keyid)) return;
    const needed = prog.roles[i]!.requirements.some((r, j) => rp.requirements[j]!.keyids.includes(keyid) && !r.met);
    out.push({ role: rp.role, version: rp.version, payloadSha256: rp.payloadSha256, keyid, message: canonicalPayload(rp.signed), needed });
  });
  return out;
}

function reject(message: string, code: string, role: string): SignatureRejectedError {
  return new SignatureRejectedError(message, { code, role });
}

/** Verify a signature the moment it arrives (token, file key, partial bundle); never store it unverified. */
export function verifyIncomingSignature(proposal: Proposal, sig: Omit<CollectedSignature, 'verifiedAt'>, env: CeremonyEnv): CollectedSignature {
  const rp = proposal.roles.find((r) => r.role === sig.role && r.version === sig.version);
  if (!rp) throw reject(`no ${sig.role} v${sig.version} in this ceremony`, 'UNKNOWN_ROLE_VERSION', sig.role);
  if (rp.signing !== 'offline') throw reject(`${rp.role} is signed ${rp.signing === 'online' ? 'online at publish' : 'by the server'}, not in the ceremony`, 'NOT_OFFLINE_ROLE', rp.role);
  if (payloadSha256(rp.signed, env.crypto) !== rp.payloadSha256) throw reject(`${rp.role}: the proposal's payload does not match its digest`, 'PROPOSAL_TAMPERED', rp.role);
  if (sig.payloadSha256 !== rp.payloadSha256) {
    throw reject(`${rp.role} v${rp.version}: signature is over payload ${sig.payloadSha256.slice(0, 16)}…, the proposal is ${rp.payloadSha256.slice(0, 16)}…`, 'PAYLOAD_MISMATCH', rp.role);
  }
  if (!rp.requirements.some((r) => r.keyids.includes(sig.keyid))) throw reject(`${rp.role}: key ${sig.keyid.slice(0, 8)}… is not one of its signers`, 'KEY_NOT_REQUIRED', rp.role);
  const key = proposal.keys.find((k) => k.keyid === sig.keyid);
  if (!key) throw reject(`${rp.role}: key ${sig.keyid.slice(0, 8)}… is missing from the proposal`, 'KEY_UNKNOWN', rp.role);
  const bytes = proposal.dialect === 'notary-v1' ? fromBase64(sig.sig) : fromHex(sig.sig);
  if (bytes === null || bytes.length === 0) throw reject(`${rp.role}: signature is not valid ${proposal.dialect === 'notary-v1' ? 'base64' : 'hex'}`, 'MALFORMED_SIGNATURE', rp.role);
  const material = keyMaterialOf(key.keyObject);
  const imported = env.crypto.importKey(material);
  if (!imported.ok) throw reject(`${rp.role}: key ${sig.keyid.slice(0, 8)}… cannot be read: ${imported.message}`, 'KEY_UNREADABLE', rp.role);
  const method = resolveSignatureMethod(proposal.dialect, material, imported.handle.info.algorithm, sig.method);
  if (!method.ok) throw reject(`${rp.role}: ${method.message}`, 'BAD_METHOD', rp.role);
  if (!env.crypto.verify(imported.handle, method.method, bytes, canonicalPayload(rp.signed))) {
    throw reject(`${rp.role} v${rp.version}: signature by ${describeKey(key)} does not verify`, 'BAD_SIGNATURE', rp.role);
  }
  return { ...sig, verifiedAt: env.now.toISOString() };
}

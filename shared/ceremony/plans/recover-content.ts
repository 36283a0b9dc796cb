/**
 * Recover must not silently re-sign content the attacker could have put there (review F4): a role
 * whose compromised keys reach its threshold, or whose current file a compromised key signed, may
 * hold targets the attacker added. Recover lists them in the review as a blocking check until the
 * operator drops them (plan `dropTargets`) or keeps them knowingly (plan `acknowledgeTargets`).
 */
import { canonicalString } from '../../tuf/canonical-json';
import type { JsonObject } from '../../tuf/model';
import type { Draft } from '../draft';
import { PlanError } from '../errors';
import { delegationsOf, isObj, versionOf, type DelegationEntry } from '../state';
import { findRole, pruneDelegationKeys, removeRole } from './edit-helpers';
import type { DiffEntry, RuleCheck } from '../types';
import type { RoleImpact } from './recover';

/** A role's targets as this workstation last trusted them (a version it verified or signed itself). */
export interface TrustedTargets {
  version: number;
  targets: JsonObject;
  /** The role's `delegations` object at that version (absent: every delegation of the role is suspect). */
  delegations?: JsonObject;
}

export interface RecoverContentOptions {
  /** Per role: suspect target paths to remove from the re-signed role, or `all` of them. */
  dropTargets?: Record<string, string[] | 'all'>;
  /** Roles whose suspect targets the operator has reviewed and keeps. */
  acknowledgeTargets?: string[];
  /** Per role: the last version this workstation trusts (its targets are not suspect). */
  trustedTargets?: Record<string, TrustedTargets>;
}

export interface SuspectRole {
  role: string;
  /** Why the role is suspect, in words. */
  reason: string;
  /** `baseline`: changed since the trusted version; `tenure`: every target signed while the key was valid. */
  basis: 'baseline' | 'tenure';
  baselineVersion: number | null;
  /** Suspect paths still in the role after `dropTargets`. */
  kept: string[];
  dropped: string[];
}

const TOP_NON_TARGETS = new Set(['root', 'snapshot', 'timestamp']);

/** Roles holding targets the compromised keys could have signed (attackerCanSign, or a compromised key signed the current file). */
export function compromisedContentRoles(d: Draft, roles: readonly RoleImpact[], compromised: readonly string[]): { impact: RoleImpact; reason: string }[] {
  const out: { impact: RoleImpact; reason: string }[] = [];
  for (const r of roles) {
    if (TOP_NON_TARGETS.has(r.role) || r.compromised.length === 0) continue;
    const signers = d.loaded.envelopes.get(r.role)?.signatures.map((s) => s.keyid) ?? [];
    const signedBy = signers.filter((id) => compromised.includes(id));
    if (r.attackerCanSign) out.push({ impact: r, reason: `${r.compromised.length} of ${r.threshold} needed keys are compromised: the attacker could sign ${r.role} alone` });
    else if (signedBy.length > 0) out.push({ impact: r, reason: `its current version ${versionOf(d.loaded.signed.get(r.role))} carries a signature by a compromised key` });
  }
  return out;
}

/**
 * For each suspect role still re-signed by the draft: list (and optionally drop) the targets that
 * are new or changed since the trusted baseline, or, without one, every target in the role.
 */
export function reviewCompromisedContent(d: Draft, roles: readonly RoleImpact[], compromised: readonly string[], opts: RecoverContentOptions): { checks: RuleCheck[]; notes: DiffEntry[]; suspects: SuspectRole[] } {
  const checks: RuleCheck[] = [];
  const notes: DiffEntry[] = [];
  const suspects: SuspectRole[] = [];
  const reviewed = new Set<string>();
  for (const { impact, reason } of compromisedContentRoles(d, roles, compromised)) {
    const role = impact.role;
    const body = d.bodies.get(role);
    // A role removed by the plan (or never published) is not re-signed: nothing of it stays trusted.
    if (!body || !d.loaded.signed.has(role)) continue;
    reviewed.add(role);
    const targets = isObj(body['targets']) ? body['targets'] : {};
    const base = opts.trustedTargets?.[role];
    const currentVersion = versionOf(d.loaded.signed.get(role));
    const usable = base !== undefined && base.version <= currentVersion;
    const suspect = Object.keys(targets)
      .filter((p) => !usable || !(p in base.targets) || canonicalString(base.targets[p]!) !== canonicalString(targets[p]!))
      .sort();
    const drop = opts.dropTargets?.[role];
    const dropped = drop === 'all' ? suspect : suspect.filter((p) => drop?.includes(p));
    const unknownDrop = drop === undefined || drop === 'all' ? [] : drop.filter((p) => !suspect.includes(p) && !(p in targets));
    if (unknownDrop.length > 0) throw new PlanError(`recover: ${role} has no target ${JSON.stringify(unknownDrop[0])} to drop`, { role });
    if (drop !== undefined && drop !== 'all') for (const p of drop) delete targets[p];
    for (const p of dropped) delete targets[p];
    const kept = suspect.filter((p) => !dropped.includes(p));
    checks.push(...reviewDelegations(d, role, body, usable ? base : undefined, reason, drop === 'all', opts.acknowledgeTargets?.includes(role) === true, notes));
    const basis = usable ? 'baseline' : 'tenure';
    const since = usable ? `added or changed since version ${base.version}, the last this workstation trusts` : 'signed while the compromised key was valid (no trusted earlier version on this workstation)';
    suspects.push({ role, reason, basis, baselineVersion: usable ? base.version : null, kept, dropped });
    if (suspect.length === 0) continue;
    const list = (paths: string[]): string => paths.map((p) => JSON.stringify(p)).join(', ');
    notes.push({ role, kind: 'other', summary: `${role}: ${suspect.length} target(s) ${since}: ${list(suspect)}${dropped.length > 0 ? `; dropped: ${list(dropped)}` : ''}` });
    const acknowledged = opts.acknowledgeTargets?.includes(role) === true;
    if (kept.length === 0) {
      checks.push({ code: 'RESIGNS_COMPROMISED_CONTENT', severity: 'info', passed: true, message: `${role}: every suspect target is dropped (${list(dropped)})`, role });
    } else {
      const what = `${role}: ${reason}; recover re-signs ${kept.length} target(s) ${since}: ${list(kept)}`;
      checks.push(
        acknowledged
          ? { code: 'RESIGNS_COMPROMISED_CONTENT', severity: 'warning', passed: false, message: `${what} — kept, acknowledged by the operator`, role }
          : { code: 'RESIGNS_COMPROMISED_CONTENT', severity: 'blocking', passed: false, message: `${what} — drop them (--drop-targets ${role}) or acknowledge them (--acknowledge-targets ${role}) after checking each one`, role },
      );
    }
  }
  for (const role of Object.keys(opts.dropTargets ?? {})) {
    if (!reviewed.has(role)) throw new PlanError(`recover: --drop-targets ${role}: ${role} is not re-signed with content the compromised keys could sign`, { role });
  }
  return { checks, notes, suspects };
}

function sameDelegation(a: DelegationEntry, b: DelegationEntry): boolean {
  const norm = (e: DelegationEntry): string => canonicalString({ keyids: [...e.keyids].sort(), threshold: e.threshold, paths: e.paths, terminating: e.terminating });
  return norm(a) === norm(b);
}

/**
 * Delegations in a suspect role (the attacker could have delegated to their own key): every one
 * that differs from the trusted baseline, or all of them without one. `dropAll` removes them from
 * the re-signed role.
 */
function reviewDelegations(d: Draft, role: string, body: JsonObject, base: TrustedTargets | undefined, reason: string, dropAll: boolean, acknowledged: boolean, notes: DiffEntry[]): RuleCheck[] {
  const current = delegationsOf(role, d.loaded.signed.get(role) ?? {});
  const trusted = base?.delegations ? delegationsOf(role, { delegations: base.delegations }) : null;
  const suspect = current
    .filter((e) => trusted === null || !trusted.some((t) => t.name === e.name && sameDelegation(t, e)))
    .map((e) => e.name)
    .filter((name) => findRole(body, name) !== null);
  if (suspect.length === 0) return [];
  const since = trusted ? `added or changed since version ${base!.version}, the last this workstation trusts` : 'made while the compromised key was valid (no trusted earlier version on this workstation)';
  const list = suspect.map((n) => JSON.stringify(n)).join(', ');
  if (dropAll) {
    for (const name of suspect) {
      removeRole(body, name);
      // The dropped role is no longer delegated: it is not re-signed either.
      d.bodies.delete(name);
    }
    pruneDelegationKeys(body, role);
    notes.push({ role, kind: 'other', summary: `${role}: dropped ${suspect.length} delegation(s) ${since}: ${list}` });
    return [{ code: 'RESIGNS_COMPROMISED_CONTENT', severity: 'info', passed: true, message: `${role}: every suspect delegation is dropped (${list})`, role }];
  }
  notes.push({ role, kind: 'other', summary: `${role}: ${suspect.length} delegation(s) ${since}: ${list}` });
  const what = `${role}: ${reason}; recover re-signs ${suspect.length} delegation(s) ${since}: ${list} (each can sign targets with the keys it names)`;
  return [
    acknowledged
      ? { code: 'RESIGNS_COMPROMISED_CONTENT', severity: 'warning', passed: false, message: `${what} — kept, acknowledged by the operator`, role }
      : { code: 'RESIGNS_COMPROMISED_CONTENT', severity: 'blocking', passed: false, message: `${what} — drop them (--drop-targets ${role}) or acknowledge them (--acknowledge-targets ${role}) after checking each one`, role },
  ];
}

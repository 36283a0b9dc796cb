import type { JsonObject } from '../../tuf/model';
import { edit, finishProposal, newDraft, serverKey, type CommonPlanOptions, type Draft } from '../draft';
import type { CeremonyEnv } from '../env';
import { PlanError } from '../errors';
import { describeKey } from '../keys';
import { delegationsOf, rootRole, type LoadedState } from '../state';
import type { CeremonyKey, Proposal } from '../types';
import { findRole, pruneDelegationKeys, removeRole, requireX509, setRootRole } from './edit-helpers';
import { reviewCompromisedContent, type RecoverContentOptions } from './recover-content';

export interface RecoverPlan extends CommonPlanOptions, RecoverContentOptions {
  kind: 'recover';
  /** Keys an attacker may hold. */
  compromised: string[];
  /** Keys nobody can use any more (lost token), not known to be in an attacker's hands. */
  lost?: string[];
  /** New keys per role (`root`, `targets`, `snapshot`, `timestamp`, a delegated role). */
  replacements?: Record<string, CeremonyKey[]>;
  /** New thresholds per role (default: the old one, capped at the keys left). */
  thresholds?: Record<string, number>;
}

export interface RoleImpact {
  role: string;
  /** Who delegates it: `root` or the parent targets role. */
  delegatedBy: string;
  keyids: string[];
  threshold: number;
  compromised: string[];
  lost: string[];
  /** Keys left that the owners still control. */
  remaining: number;
  /** The legitimate holders can still reach the threshold. */
  thresholdHolds: boolean;
  /** The attacker holds at least `threshold` of this role's keys. */
  attackerCanSign: boolean;
}

export interface RecoveryStep {
  order: number;
  role: string;
  /** Keys that must sign this step (old root keys that remain, then the new set). */
  signers: string[];
  signerNames: string[];
  threshold: number;
  oldThreshold: number | null;
  note: string;
}

export interface ImpactReport {
  compromised: string[];
  lost: string[];
  roles: RoleImpact[];
  /** Sentences: what an attacker can sign right now. */
  attackerCan: string[];
  /** Roles whose legitimate holders can no longer reach the threshold without new keys. */
  stranded: string[];
  steps: RecoveryStep[];
}

function capability(role: string, dialect: LoadedState['dialect'], paths: string[]): string {
  switch (role) {
    case 'root':
      return 'sign a new root: replace every key and take over the whole repository';
    case 'targets':
      return 'sign any target and any delegation in the repository';
    case 'snapshot':
      return 'sign snapshots (mix-and-match of metadata versions, together with a timestamp key)';
    case 'timestamp':
      return 'sign timestamps (freeze clients on old metadata until it expires)';
    default:
      return `sign targets in ${role} (paths ${paths.map((p) => (p === '' && dialect === 'notary-v1' ? '"" = everything' : p)).join(', ')})`;
  }
}

/** Which roles a set of compromised / lost keys touches and what an attacker can do with them. */
export function assessCompromise(loaded: LoadedState, keyids: { compromised: string[]; lost?: string[]; replacements?: Record<string, CeremonyKey[]>; thresholds?: Record<string, number> }, proposal?: Proposal): ImpactReport {
  if (!loaded.signed.get('root')) throw new PlanError('recover needs an existing repository');
  const compromised = keyids.compromised;
  const lost = keyids.lost ?? [];
  const root = loaded.signed.get('root')!;
  const roles: RoleImpact[] = [];
  const impact = (role: string, delegatedBy: string, ids: string[], threshold: number): RoleImpact => {
    const c = ids.filter((id) => compromised.includes(id));
    const l = ids.filter((id) => lost.includes(id) && !compromised.includes(id));
    const remaining = ids.length - c.length - l.length;
    return { role, delegatedBy, keyids: ids, threshold, compromised: c, lost: l, remaining, thresholdHolds: remaining >= threshold, attackerCanSign: c.length >= threshold };
  };
  for (const r of ['root', 'targets', 'snapshot', 'timestamp']) {
    const rr = rootRole(root, r);
    if (rr) roles.push(impact(r, 'root', rr.keyids, rr.threshold));
  }
  const paths = new Map<string, string[]>();
  for (const [parent, body] of loaded.signed) {
    if (['root', 'snapshot', 'timestamp'].includes(parent)) continue;
    for (const d of delegationsOf(parent, body)) {
      roles.push(impact(d.name, parent, d.keyids, d.threshold));
      paths.set(d.name, d.paths);
    }
  }
  const name = (id: string): string => {
    const k = loaded.keys.get(id);
    return k ? describeKey(k) : `${id.slice(0, 8)}…`;
  };
  const attackerCan: string[] = [];
  for (const r of roles) {
    if (r.attackerCanSign) attackerCan.push(`${r.role}: ${r.compromised.length} of ${r.threshold} needed keys compromised — can ${capability(r.role, loaded.dialect, paths.get(r.role) ?? [])}`);
    else if (r.compromised.length > 0) attackerCan.push(`${r.role}: ${r.compromised.length} of ${r.threshold} needed keys compromised — below threshold, cannot sign ${r.role} alone`);
  }
  if (attackerCan.length === 0) attackerCan.push('no compromised key reaches any threshold');
  const affected = roles.filter((r) => r.compromised.length + r.lost.length > 0);
  const rootImpact = roles.find((r) => r.role === 'root')!;
  const steps: RecoveryStep[] = [];
  const needsRoot = affected.some((r) => r.delegatedBy === 'root');
  // Without a proposal: the plan's replacements and thresholds (recover's defaults otherwise) give the new side.
  const added = (role: string): CeremonyKey[] => keyids.replacements?.[role] ?? [];
  const nameOf = (id: string): string => {
    const k = Object.values(keyids.replacements ?? {}).flat().find((x) => x.keyid === id);
    return k ? describeKey(k) : name(id);
  };
  const newThreshold = (r: RoleImpact, usable: string[]): number => keyids.thresholds?.[r.role] ?? Math.max(1, Math.min(r.threshold, usable.length + added(r.role).length));
  const replacementNote = (role: string): string => (added(role).length > 0 ? `; replacement keys that must sign: ${added(role).map((k) => describeKey(k)).join(', ')}` : '');
  if (needsRoot) {
    const usable = rootImpact.keyids.filter((id) => !rootImpact.compromised.includes(id) && !rootImpact.lost.includes(id));
    const signers = [...usable, ...added('root').map((k) => k.keyid).filter((id) => !usable.includes(id))];
    const next = newThreshold(rootImpact, usable);
    steps.push({
      order: 1,
      role: 'root',
      signers,
      signerNames: signers.map(nameOf),
      threshold: next,
      oldThreshold: rootImpact.threshold,
      note:
        (rootImpact.thresholdHolds
          ? `new root: ${rootImpact.threshold} of the remaining current root keys sign first (old threshold ${rootImpact.threshold}), then ${next} of the new root keys (new threshold ${next})`
          : `only ${usable.length} usable root keys for a threshold of ${rootImpact.threshold}: clients trusting the current root cannot follow a new root; they must be re-bootstrapped (or sign with the compromised keys you still hold)`) + replacementNote('root'),
    });
  }
  for (const r of affected.filter((x) => x.role !== 'root')) {
    const usable = r.keyids.filter((id) => !r.compromised.includes(id) && !r.lost.includes(id));
    const signers = [...usable, ...added(r.role).map((k) => k.keyid).filter((id) => !usable.includes(id))];
    steps.push({
      order: steps.length + 1,
      role: r.role,
      signers,
      signerNames: signers.map(nameOf),
      threshold: newThreshold(r, usable),
      oldThreshold: r.threshold,
      note: `${r.delegatedBy} removes ${[...r.compromised, ...r.lost].map(name).join(', ')} from ${r.role}${r.thresholdHolds || added(r.role).length > 0 ? '' : ' and needs replacement keys (or the delegation is removed)'}; ${r.role} is re-signed with a new version${replacementNote(r.role)}`,
    });
  }
  const planned = proposal ? stepsFromProposal(proposal, roles, name) : steps;
  return { compromised, lost, roles, attackerCan, stranded: roles.filter((r) => !r.thresholdHolds).map((r) => r.role), steps: planned };
}

/**
 * The minimal plan as the proposal will actually be signed (review F16): for each offline role in
 * signing order, who must sign — the usable current root keys (old threshold) and the new set
 * including replacement keys (new threshold).
 */
function stepsFromProposal(proposal: Proposal, roles: readonly RoleImpact[], fallbackName: (id: string) => string): RecoveryStep[] {
  const byId = new Map(proposal.keys.map((k) => [k.keyid, k]));
  const name = (id: string): string => {
    const k = byId.get(id);
    return k ? describeKey(k) : fallbackName(id);
  };
  const bad = new Set(roles.flatMap((r) => [...r.compromised, ...r.lost]));
  const steps: RecoveryStep[] = [];
  for (const rp of proposal.roles.filter((r) => r.signing === 'offline')) {
    const [first, second] = rp.requirements;
    if (!first) continue;
    const old = second ? first : null;
    const next = second ?? first;
    const usableOld = old ? old.keyids.filter((id) => !bad.has(id)) : [];
    const signers = [...usableOld, ...next.keyids.filter((id) => !usableOld.includes(id))];
    const impact = roles.find((r) => r.role === rp.role);
    const oldThreshold = old ? old.threshold : (impact?.threshold ?? null);
    const added = next.keyids.filter((id) => !(impact?.keyids ?? old?.keyids ?? []).includes(id));
    const parts = [
      old
        ? `${old.threshold} of the usable ${old.label} keys [${usableOld.map(name).join(', ')}] sign first (old threshold ${old.threshold}), then ${next.threshold} of ${next.label} [${next.keyids.map(name).join(', ')}] (new threshold ${next.threshold})`
        : `${next.threshold} of [${next.keyids.map(name).join(', ')}] sign ${rp.role} v${rp.version} (threshold ${oldThreshold ?? next.threshold} → ${next.threshold})`,
    ];
    if (added.length > 0) parts.push(`replacement keys that must sign: ${added.map(name).join(', ')}`);
    if (old && usableOld.length < old.threshold) parts.push(`only ${usableOld.length} usable current root keys for a threshold of ${old.threshold}: clients trusting the current root cannot follow; they must be re-bootstrapped (or sign with the compromised keys you still hold)`);
    steps.push({ order: steps.length + 1, role: rp.role, signers, signerNames: signers.map(name), threshold: next.threshold, oldThreshold, note: parts.join('; ') });
  }
  return steps;
}

function keysFor(loaded: LoadedState, ids: string[]): CeremonyKey[] {
  return ids.map((id) => {
    const k = loaded.keys.get(id);
    if (!k) throw new PlanError(`key ${id.slice(0, 8)}… is not in the repository`);
    return k;
  });
}

/** Revoke and replace every affected key, re-sign every affected role with a version bump. */
export function proposeRecover(loaded: LoadedState, plan: RecoverPlan, env: CeremonyEnv): Proposal {
  const report = assessCompromise(loaded, plan);
  const bad = new Set([...plan.compromised, ...(plan.lost ?? [])]);
  const unknown = [...bad].filter((id) => !report.roles.some((r) => r.keyids.includes(id)));
  if (unknown.length > 0) throw new PlanError(`recover: key ${unknown[0]!.slice(0, 8)}… is not used by any role`);
  const d = newDraft(loaded, 'recover');
  const repl = plan.replacements ?? {};
  for (const r of report.roles) {
    if (r.compromised.length + r.lost.length === 0 && !(r.role in repl)) continue;
    const keep = r.keyids.filter((id) => !bad.has(id));
    const added = repl[r.role] ?? [];
    const next = [...keysFor(loaded, keep), ...added.filter((k) => !keep.includes(k.keyid))];
    d.newKeys.push(...added);
    if (r.delegatedBy === 'root') rotateTopLevel(d, r.role, next, plan, env);
    else rotateDelegation(d, r.delegatedBy, r.role, next, plan);
  }
  const content = reviewCompromisedContent(d, report.roles, plan.compromised, plan);
  d.notes.push(...content.notes);
  const proposal = finishProposal(d, env, plan);
  return { ...proposal, checks: [...proposal.checks, ...content.checks] };
}

function thresholdFor(plan: RecoverPlan, role: string, old: number, count: number): number {
  const t = plan.thresholds?.[role] ?? Math.min(old, count);
  if (count === 0 || t < 1 || t > count) throw new PlanError(`recover: ${role} would have ${count} keys for threshold ${t}; give replacement keys for ${role}`, { role });
  return t;
}

function rotateTopLevel(d: Draft, role: string, next: CeremonyKey[], plan: RecoverPlan, env: CeremonyEnv): void {
  const root = edit(d, 'root');
  const old = rootRole(root, role)!;
  let keys = next;
  if (d.loaded.dialect === 'notary-v1' && (role === 'timestamp' || role === 'snapshot') && next.length === 0) {
    // Server-managed keys: the server must have rotated its key (notary key rotate <role> -r) before the pull.
    const k = serverKey(d, role, env);
    if (old.keyids.includes(k.keyid)) throw new PlanError(`recover: ask the Notary server to rotate its ${role} key, then pull again`, { role });
    keys = [k];
    d.newKeys.push(k);
  }
  if (role === 'root' && d.loaded.dialect === 'notary-v1') requireX509(keys, 'recover');
  setRootRole(root, role, keys, thresholdFor(plan, role, old.threshold, keys.length));
  if (role === 'targets' || (d.loaded.dialect === 'tuf-1.0' && (role === 'snapshot' || role === 'timestamp'))) {
    if (d.loaded.signed.has(role)) edit(d, role);
  }
}

function rotateDelegation(d: Draft, parent: string, role: string, next: CeremonyKey[], plan: RecoverPlan): void {
  const body = edit(d, parent);
  const entry = findRole(body, role);
  if (!entry) return;
  if (next.length === 0) {
    removeRole(body, role);
    d.notes.push({ role: parent, kind: 'other', summary: `${parent}: delegation ${role} has no trustworthy key left and is removed; its targets are no longer trusted` });
    pruneDelegationKeys(body, parent);
    return;
  }
  const del = body['delegations'] as JsonObject;
  const keyObjs = del['keys'] as JsonObject;
  for (const k of next) keyObjs[k.keyid] = k.keyObject;
  const old = typeof entry['threshold'] === 'number' ? entry['threshold'] : 1;
  entry['keyids'] = next.map((k) => k.keyid);
  entry['threshold'] = thresholdFor(plan, role, old, next.length);
  pruneDelegationKeys(body, parent);
  if (d.loaded.signed.has(role)) edit(d, role);
}

import type { DelegatedRole, Key, Targets } from '../tuf/model';
import type { InspectContext } from './context';
import { chainOf, walkDelegations, type DelegationEdge, type VisitedRole } from './delegation-graph';
import { hashPrefixMatches, notaryPathMatches, notaryPrefixWithin, tufPathMatches, tufPatternWithin } from './path-match';
import { delegationFingerprint, type PreverifiedRole } from './preverified';
import { checkExpiry, checkRollback, hex, loadRoleFile, newLoadedRole, reportMalformed, reportMissing, type LoadedRole } from './roles';
import { reportSignatures, verifyEnvelope } from './signatures';

const TOP_LEVEL = new Set(['root', 'targets', 'snapshot', 'timestamp']);
const NOTARY_ROLE_NAME = /^[-a-z0-9_/]+$/;

export interface DelegationResult {
  /** Delegated roles in preorder (top-level `targets` excluded). */
  roles: LoadedRole[];
  /** Visit order including `targets`, with the edges that reached each role. */
  visits: VisitedRole[];
  /** Delegations as declared, by `parent\u0000child`. */
  declared: Map<string, DelegatedRole>;
}

/** Why a delegated role name is refused, or null (catalogue #10; notary `IsDelegation`). */
export function badDelegationName(ctx: InspectContext, parent: string, name: string): string | null {
  if (name === '') return 'an empty role name';
  if (TOP_LEVEL.has(name)) return `the top-level role name "${name}"`;
  if (ctx.dialect === 'notary-v1') {
    if (!name.startsWith('targets/')) return `"${name}", which does not start with targets/`;
    if (!NOTARY_ROLE_NAME.test(name)) return `"${name}", which has characters outside [-a-z0-9_/]`;
    if (name.length >= 256) return 'a name of 256 characters or more';
    if (name.split('/').some((seg) => seg === '' || seg === '.' || seg === '..')) return `"${name}", which is not a clean path`;
    const dir = name.slice(0, name.lastIndexOf('/'));
    if (dir !== parent) return `"${name}", whose parent would be ${dir}, not ${parent}`;
  }
  return null;
}

/** Does a delegation edge admit this target path? `pathHash` is computed lazily (hex sha256). */
export function edgeAdmits(ctx: Pick<InspectContext, 'dialect'>, edge: DelegationEdge, target: string, pathHash: () => string): boolean {
  if (ctx.dialect === 'notary-v1') return (edge.paths ?? []).some((p) => notaryPathMatches(p, target));
  if (edge.paths !== null) return edge.paths.some((p) => tufPathMatches(p, target));
  if (edge.pathHashPrefixes !== null) return hashPrefixMatches(edge.pathHashPrefixes, pathHash());
  return false;
}

export function walkAndVerifyDelegations(ctx: InspectContext, targets: LoadedRole): DelegationResult {
  const loaded = new Map<string, LoadedRole>([['targets', targets]]);
  const declared = new Map<string, DelegatedRole>();
  const f = ctx.findings;

  const childrenOf = (roleName: string): DelegationEdge[] | null => {
    const role = loaded.get(roleName);
    const signed = role?.envelope?.signed as Targets | undefined;
    if (role === undefined || signed === undefined || signed.delegations === null) return null;
    const delegations = signed.delegations;
    if (delegations.keys.size > ctx.limits.maxKeysPerFile) {
      f.error('LIMIT_EXCEEDED', `${roleName} declares ${delegations.keys.size} delegation keys, above the cap of ${ctx.limits.maxKeysPerFile}; its delegations are ignored.`, {
        role: roleName,
      });
      return null;
    }
    let declaredRoles = delegations.roles;
    if (declaredRoles.length > ctx.limits.maxRoles) {
      f.error('LIMIT_EXCEEDED', `${roleName} declares ${declaredRoles.length} delegations, above the cap of ${ctx.limits.maxRoles}; only the first ${ctx.limits.maxRoles} are examined.`, {
        role: roleName,
      });
      declaredRoles = declaredRoles.slice(0, ctx.limits.maxRoles);
    }
    const edges: DelegationEdge[] = [];
    const seen = new Set<string>();
    const folded = new Map<string, string>();
    declaredRoles.forEach((d, index) => {
      const bad = badDelegationName(ctx, roleName, d.name);
      if (bad !== null) {
        f.error('MALFORMED_ROLE', `${roleName} delegates to ${bad}; that delegation is ignored.`, { role: roleName });
        return;
      }
      if (seen.has(d.name)) {
        f.error('MALFORMED_ROLE', `${roleName} delegates to ${d.name} twice; only the first is used.`, { role: roleName });
        return;
      }
      seen.add(d.name);
      // Catalogue #12: names are compared on exact code points, but two names that only differ
      // in normalisation or case look identical to people and collide on case-insensitive disks.
      const key = d.name.normalize('NFC').toLowerCase();
      const other = folded.get(key);
      if (other !== undefined) {
        f.warning('MALFORMED_ROLE', `${roleName} delegates to ${JSON.stringify(d.name)} and ${JSON.stringify(other)}, which collide after NFC normalisation and case folding.`, {
          role: roleName,
        });
      } else folded.set(key, d.name);
      declared.set(`${roleName}\u0000${d.name}`, d);
      edges.push({ parent: roleName, name: d.name, index, terminating: d.terminating, paths: d.paths, pathHashPrefixes: d.pathHashPrefixes });
      // Load the child now so the walk can descend into it (the walk asks for its children next).
      if (!loaded.has(d.name)) loaded.set(d.name, loadDelegated(ctx, d, roleName, delegations.keys, role.trusted));
    });
    checkShadowing(ctx, roleName, edges);
    return edges;
  };

  const walk = walkDelegations('targets', childrenOf, ctx.limits.maxRoles);
  for (const edge of walk.cycles) {
    f.error('DELEGATION_CYCLE', `${edge.parent} delegates back to ${edge.name}, which is already on its delegation path; the cycle is not followed.`, {
      role: edge.parent,
    });
  }
  if (walk.truncated) {
    f.error('LIMIT_EXCEEDED', `The delegation graph has more than ${ctx.limits.maxRoles} roles; the walk stopped there.`, { role: 'targets' });
  }

  const roles: LoadedRole[] = [];
  for (const visit of walk.order) {
    if (visit.via === null) continue;
    const role = loaded.get(visit.name);
    if (role === undefined) continue;
    // The first delegator in preorder is the one the role was loaded (and verified) under;
    // a role is trusted only if that delegator is trusted too.
    const parentRole = loaded.get(visit.via.parent);
    if (parentRole !== undefined && !parentRole.trusted) role.trusted = false;
    roles.push(role);
    checkPathsWithinParent(ctx, visit);
  }
  return { roles, visits: walk.order, declared };
}

function loadDelegated(
  ctx: InspectContext,
  d: DelegatedRole,
  parent: string,
  keys: ReadonlyMap<string, Key>,
  parentTrusted: boolean,
): LoadedRole {
  const role = newLoadedRole(d.name, 'delegation', parent, d.keyids, d.threshold);
  role.paths = d.paths;
  role.pathHashPrefixes = d.pathHashPrefixes;
  role.terminating = ctx.dialect === 'tuf-1.0' ? d.terminating : null;
  for (const keyid of d.keyids) {
    const key = keys.get(keyid);
    if (key === undefined) continue;
    const rec = ctx.keys.get(keyid);
    if (rec === undefined) ctx.keys.set(keyid, { key, roles: new Set([d.name]), declaredIn: parent, info: null });
    else rec.roles.add(d.name);
  }
  const facts = parent === 'targets' ? ctx.input.preverified?.get(d.name) : undefined;
  if (facts !== undefined) return applyFacts(ctx, role, facts, d, keys, parentTrusted);
  const file = loadRoleFile(ctx, d.name, 'targets', 'warning');
  role.bytes = file.bytes;
  role.envelope = file.envelope;
  role.problem = file.problem;
  if (file.bytes !== null) role.sha256 = hex(ctx.crypto.sha256(file.bytes));
  if (file.envelope === null) return role;
  const v = verifyEnvelope(ctx, file.envelope, keys, d.keyids, d.threshold);
  role.verification = v;
  role.trusted = parentTrusted && v.valid >= v.threshold;
  reportSignatures(ctx, d.name, file.envelope, v);
  role.expired = checkExpiry(ctx, d.name, file.envelope.signed);
  checkRollback(ctx, d.name, file.envelope.signed.version);
  const signed = file.envelope.signed as Targets;
  role.targetCount = signed.targets.size;
  return role;
}

/**
 * loadDelegated from facts computed off-thread (preverified.ts): the same findings, in the same
 * order, as parsing and verifying the bytes here.
 */
function applyFacts(
  ctx: InspectContext,
  role: LoadedRole,
  facts: PreverifiedRole,
  d: DelegatedRole,
  keys: ReadonlyMap<string, Key>,
  parentTrusted: boolean,
): LoadedRole {
  if (facts.fingerprint !== delegationFingerprint(d, keys) || facts.hasDelegations) {
    throw new PreverifiedMismatchError(d.name);
  }
  role.facts = facts;
  if (facts.problem === 'missing') {
    // The loader looked for the file (it named it from the delegation) and did not find it.
    reportMissing(ctx, d.name, 'warning', true);
    role.problem = 'missing';
    return role;
  }
  ctx.progress();
  role.sha256 = facts.sha256;
  if (facts.problem === 'malformed' || facts.signed === null || facts.verification === null) {
    reportMalformed(ctx, d.name, facts.malformed ?? 'unreadable');
    role.problem = 'malformed';
    return role;
  }
  const v = facts.verification;
  ctx.stats.signaturesVerified += facts.signaturesChecked;
  role.verification = v;
  role.trusted = parentTrusted && v.valid >= v.threshold;
  reportSignatures(ctx, d.name, { signatures: facts.signatureKeyids.map((keyid) => ({ keyid })) }, v);
  role.expired = checkExpiry(ctx, d.name, facts.signed);
  checkRollback(ctx, d.name, facts.signed.version);
  role.targetCount = facts.targetCount;
  return role;
}

/** Facts that were verified under another delegation, or for a non-leaf role: a caller bug. */
export class PreverifiedMismatchError extends Error {
  override readonly name = 'PreverifiedMismatchError';
  constructor(readonly role: string) {
    super(`pre-verified facts for ${role} do not match its delegation`);
  }
}

/**
 * DELEGATION_PATH_OUTSIDE_PARENT: a delegated role delegating paths it was not given itself.
 * Notary drops such paths (`RestrictDelegationPathPrefixes`); TUF clients never reach targets
 * there (every edge of the chain must match). Top-level `targets` may delegate anything.
 */
function checkPathsWithinParent(ctx: InspectContext, visit: VisitedRole): void {
  const edge = visit.via;
  if (edge === null || edge.parent === 'targets') return;
  const parentEdge = visit.parent?.via ?? null;
  if (parentEdge === null) return;
  const f = ctx.findings;
  if (ctx.dialect === 'notary-v1') {
    const outside = (edge.paths ?? []).filter((p) => !notaryPrefixWithin(p, parentEdge.paths ?? []));
    if (outside.length > 0) {
      f.warning('DELEGATION_PATH_OUTSIDE_PARENT', `${edge.name} is given path prefixes ${JSON.stringify(outside)} that its parent ${edge.parent} does not have; notary ignores them.`, {
        role: edge.name,
      });
    }
    return;
  }
  if (edge.paths !== null && parentEdge.paths !== null) {
    const outside = edge.paths.filter((p) => !parentEdge.paths?.some((q) => tufPatternWithin(p, q)));
    if (outside.length > 0) {
      f.warning('DELEGATION_PATH_OUTSIDE_PARENT', `${edge.name} is given paths ${JSON.stringify(outside)} outside its parent ${edge.parent}'s paths; targets there are never trusted.`, {
        role: edge.name,
      });
    }
  } else if (edge.pathHashPrefixes !== null && parentEdge.pathHashPrefixes !== null) {
    const outside = edge.pathHashPrefixes.filter((p) => !parentEdge.pathHashPrefixes?.some((q) => p.startsWith(q) || q.startsWith(p)));
    if (outside.length > 0) {
      f.warning('DELEGATION_PATH_OUTSIDE_PARENT', `${edge.name} is given hash prefixes ${JSON.stringify(outside)} disjoint from its parent ${edge.parent}'s; targets there are never trusted.`, {
        role: edge.name,
      });
    }
  }
}

/**
 * SHADOWED_PATHS: a delegation listed after a terminating sibling that covers all its paths is
 * never consulted (the search stops at the terminating role). Hash-prefix edges are indexed so a
 * 16k-bin delegation is checked in linear time. Notary has no `terminating`, so nothing to do there.
 */
function checkShadowing(ctx: InspectContext, parent: string, edges: readonly DelegationEdge[]): void {
  if (ctx.dialect !== 'tuf-1.0') return;
  const termPrefix = new Map<string, DelegationEdge>();
  const termPatterns: DelegationEdge[] = [];
  const PATTERN_SCAN_CAP = 256;
  for (const edge of edges) {
    let shadowedBy: DelegationEdge | null = null;
    if (edge.pathHashPrefixes !== null && edge.pathHashPrefixes.length > 0) {
      const by = edge.pathHashPrefixes.map((p) => {
        for (let len = 0; len <= p.length; len++) {
          const hit = termPrefix.get(p.slice(0, len).toLowerCase());
          if (hit !== undefined) return hit;
        }
        return null;
      });
      if (by.every((b) => b !== null)) shadowedBy = by[0] ?? null;
    } else if (edge.paths !== null && edge.paths.length > 0 && termPatterns.length <= PATTERN_SCAN_CAP) {
      const by = edge.paths.map((p) => termPatterns.find((t) => t.paths?.some((q) => tufPatternWithin(p, q))) ?? null);
      if (by.every((b) => b !== null)) shadowedBy = by[0] ?? null;
    }
    if (shadowedBy !== null) {
      ctx.findings.warning(
        'SHADOWED_PATHS',
        `${edge.name} is never consulted: the earlier terminating delegation ${shadowedBy.name} in ${parent} covers all its paths.`,
        { role: edge.name },
      );
    }
    if (edge.terminating) {
      for (const p of edge.pathHashPrefixes ?? []) if (!termPrefix.has(p.toLowerCase())) termPrefix.set(p.toLowerCase(), edge);
      if (edge.paths !== null) termPatterns.push(edge);
    }
  }
}

/**
 * Is `role` the place a client would find `target`? Every edge of its chain must admit the path,
 * and no terminating sibling earlier in any parent's list may admit it (the search would stop
 * there). Returns null when trusted, else the reason.
 */
export function reachReason(
  ctx: InspectContext,
  visit: VisitedRole,
  target: string,
  pathHash: () => string,
  terminatingBefore: (edge: DelegationEdge, target: string, pathHash: () => string) => DelegationEdge | null,
): { code: 'outside' | 'shadowed'; edge: DelegationEdge } | null {
  return reachReasonOnChain(ctx, chainOf(visit), target, pathHash, terminatingBefore);
}

/** reachReason for a chain computed once per role (a role's targets all share it). */
export function reachReasonOnChain(
  ctx: InspectContext,
  chain: readonly DelegationEdge[],
  target: string,
  pathHash: () => string,
  terminatingBefore: (edge: DelegationEdge, target: string, pathHash: () => string) => DelegationEdge | null,
): { code: 'outside' | 'shadowed'; edge: DelegationEdge } | null {
  for (const edge of chain) {
    if (!edgeAdmits(ctx, edge, target, pathHash)) return { code: 'outside', edge };
    const stop = terminatingBefore(edge, target, pathHash);
    if (stop !== null) return { code: 'shadowed', edge: stop };
  }
  return null;
}

/** Index of terminating edges per parent, for `reachReason`. */
export function terminatingIndex(ctx: InspectContext, visits: readonly VisitedRole[]) {
  const byParent = new Map<string, { prefixes: Map<string, DelegationEdge[]>; lengths: Set<number>; patterns: DelegationEdge[] }>();
  for (const v of visits) {
    const e = v.via;
    if (e === null || !e.terminating) continue;
    let idx = byParent.get(e.parent);
    if (idx === undefined) {
      idx = { prefixes: new Map(), lengths: new Set(), patterns: [] };
      byParent.set(e.parent, idx);
    }
    if (e.pathHashPrefixes !== null) {
      for (const p of e.pathHashPrefixes) {
        const key = p.toLowerCase();
        idx.lengths.add(key.length);
        idx.prefixes.set(key, [...(idx.prefixes.get(key) ?? []), e]);
      }
    } else idx.patterns.push(e);
  }
  return (edge: DelegationEdge, target: string, pathHash: () => string): DelegationEdge | null => {
    if (ctx.dialect !== 'tuf-1.0') return null;
    const idx = byParent.get(edge.parent);
    if (idx === undefined) return null;
    for (const t of idx.patterns) {
      if (t.index < edge.index && t !== edge && edgeAdmits(ctx, t, target, pathHash)) return t;
    }
    if (idx.lengths.size > 0) {
      const h = pathHash();
      for (const len of idx.lengths) {
        for (const t of idx.prefixes.get(h.slice(0, len)) ?? []) if (t.index < edge.index) return t;
      }
    }
    return null;
  };
}

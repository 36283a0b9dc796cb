import type { JsonObject } from '../../tuf/model';
import { buildTargets, targetJson } from '../builders';
import { effective, edit, findDelegation, finishProposal, newDraft, type CommonPlanOptions, type Draft } from '../draft';
import type { CeremonyEnv } from '../env';
import { PlanError } from '../errors';
import { hashPrefixMatches, notaryPathMatches, tufPathMatches } from '../../inspection/path-match';
import { toHex } from '../../tuf/encoding';
import { isObj, type LoadedState } from '../state';
import { findRole, stringList } from './edit-helpers';
import type { Proposal, TargetChange } from '../types';

export interface SignTargetsPlan extends CommonPlanOptions {
  kind: 'sign-targets';
  /** Default: the request's targetChanges. */
  changes?: TargetChange[];
}

const BAD_PATH = /(^|\/)\.\.(\/|$)|^\/|\\|^[A-Za-z]:/;

/** Add or remove targets in `targets` or a delegated role (catalogue #13: no traversal paths). */
/** A delegated role signs its first metadata: start from an empty targets body (version 0 → 1). */
function bodyFor(d: Draft, role: string): JsonObject {
  if (d.loaded.signed.has(role) || d.bodies.has(role)) return edit(d, role);
  if (!findDelegation(d, role)) throw new PlanError(`no targets role delegates to ${role}`, { role });
  const body = buildTargets(d.loaded.dialect, { version: 0, expires: '', targets: {} });
  d.bodies.set(role, body);
  return body;
}

export function proposeSignTargets(loaded: LoadedState, plan: SignTargetsPlan, env: CeremonyEnv): Proposal {
  if (!loaded.root) throw new PlanError('sign-targets needs an existing repository');
  const changes = plan.changes ?? loaded.state.targetChanges ?? [];
  if (changes.length === 0) throw new PlanError('sign-targets: no target changes in the plan or the request');
  const d = newDraft(loaded, 'sign-targets');
  for (const c of changes) {
    if (BAD_PATH.test(c.path) || c.path === '' || c.path.includes(String.fromCharCode(0))) throw new PlanError(`target path ${JSON.stringify(c.path)} is not allowed (absolute, traversal or backslash)`);
    const body = bodyFor(d, c.role);
    const targets = isObj(body['targets']) ? body['targets'] : {};
    body['targets'] = targets;
    if (c.action === 'remove') {
      if (!(c.path in targets)) throw new PlanError(`${c.role} has no target ${JSON.stringify(c.path)} to remove`, { role: c.role });
      delete targets[c.path];
      continue;
    }
    assertInDelegatedScope(d, c.role, c.path, env);
    if (c.length === undefined || !c.hashes || Object.keys(c.hashes).length === 0) {
      throw new PlanError(`target ${JSON.stringify(c.path)} needs a length and hashes`, { role: c.role });
    }
    targets[c.path] = targetJson(loaded.dialect, { length: c.length, hashes: c.hashes, ...(c.custom ? { custom: c.custom } : {}) });
  }
  return finishProposal(d, env, plan);
}

const MAX_DELEGATION_DEPTH = 32;

/**
 * Review F17 (catalogue #14): a target signed into a delegated role must lie in the scope every
 * delegation on the way from `targets` grants (paths or path_hash_prefixes); clients never trust
 * one outside it, so the keyholder must not be asked to sign it.
 */
function assertInDelegatedScope(d: Draft, role: string, path: string, env: CeremonyEnv): void {
  let current = role;
  for (let depth = 0; current !== 'targets'; depth++) {
    if (depth >= MAX_DELEGATION_DEPTH) throw new PlanError(`sign-targets: the delegation chain to ${role} is deeper than ${MAX_DELEGATION_DEPTH}`, { role });
    const del = findDelegation(d, current);
    if (!del) throw new PlanError(`no targets role delegates to ${current}`, { role: current });
    const entry = findRole(effective(d, del.parent) ?? {}, current);
    const paths = stringList(entry?.['paths']);
    const prefixes = stringList(entry?.['path_hash_prefixes']);
    const inScope =
      d.loaded.dialect === 'notary-v1'
        ? paths.some((p) => notaryPathMatches(p, path))
        : paths.some((p) => tufPathMatches(p, path)) || (prefixes.length > 0 && hashPrefixMatches(prefixes, toHex(env.crypto.sha256(new TextEncoder().encode(path)))));
    if (!inScope) {
      const scope = [...paths.map((p) => (p === '' ? '"" (everything)' : p)), ...prefixes.map((p) => `hash prefix ${p}`)].join(', ') || 'nothing';
      const via = current === role ? '' : ` (via ${current}, which ${del.parent} delegates)`;
      throw new PlanError(
        `sign-targets: target ${JSON.stringify(path)} is outside the paths delegated to ${current} by ${del.parent} [${scope}]${via}; clients would never trust it in ${role}. Sign it into a role whose scope covers it.`,
        { role, code: 'TARGET_OUTSIDE_DELEGATION' },
      );
    }
    current = del.parent;
  }
}

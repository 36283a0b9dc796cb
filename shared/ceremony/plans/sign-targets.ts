import type { JsonObject } from '../../tuf/model';
import { buildTargets, targetJson } from '../builders';
import { edit, findDelegation, finishProposal, newDraft, type CommonPlanOptions, type Draft } from '../draft';
import type { CeremonyEnv } from '../env';
import { PlanError } from '../errors';
import { isObj, type LoadedState } from '../state';
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
    if (c.length === undefined || !c.hashes || Object.keys(c.hashes).length === 0) {
      throw new PlanError(`target ${JSON.stringify(c.path)} needs a length and hashes`, { role: c.role });
    }
    targets[c.path] = targetJson(loaded.dialect, { length: c.length, hashes: c.hashes, ...(c.custom ? { custom: c.custom } : {}) });
  }
  return finishProposal(d, env, plan);
}

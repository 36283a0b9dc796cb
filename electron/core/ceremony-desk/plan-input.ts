/**
 * The GUI's plan (shared/ipc/ceremony-plans.ts PlanInput) → the engine's EnginePlan. Keys become
 * KeySpecs; sign-targets `add` changes become TargetChanges with the file hashed here (main has
 * already turned the pick id into a path). Also: which tokens a plan must log in to before the
 * signing step, so a missing PIN is refused before anything is journalled.
 */
import type { TargetChange } from '../../../shared/ceremony/types';
import type { PlanInput, PlanKey, TargetChangeInput } from '../../../shared/ipc/ceremony-plans';
import type { Dialect } from '../../../shared/tuf/model';
import type { EnginePlan, KeySpec } from '../ceremonies';
import { PlanInputError } from './errors';
import { hashTargetFile } from './target-hash';

export function keySpecOf(key: PlanKey): KeySpec {
  switch (key.kind) {
    case 'token':
      return { kind: 'token', tokenSerial: key.tokenSerial, ckaId: key.ckaId };
    case 'token-new':
      return { kind: 'token-generate', tokenSerial: key.tokenSerial, ckaId: key.ckaId, ...(key.curve ? { curve: key.curve } : {}), ...(key.label ? { label: key.label } : {}) };
    case 'file':
      return { kind: 'file', keyId: key.keyId };
    case 'keyid':
      return { kind: 'keyid', keyid: key.keyid };
  }
}

const specs = (keys: readonly PlanKey[] | undefined): KeySpec[] | undefined => (keys === undefined ? undefined : keys.map(keySpecOf));

/**
 * The engine hands the plan to ceremony-core as is (after key substitution), and core reads
 * `expires` (role → date) and `offlineRoles` on every kind; EnginePlan only spells some of them.
 */
type WithCommon = EnginePlan & { expires?: Record<string, string>; offlineRoles?: ('snapshot' | 'timestamp')[] };

/** Where each `add` change's picked file lies (pick id → path, resolved by main). */
export type TargetFiles = Readonly<Record<string, string>>;

export async function enginePlanOf(input: PlanInput, targetFiles: TargetFiles = {}): Promise<EnginePlan> {
  const common = {
    ...(input.expires && Object.keys(input.expires).length > 0 ? { expires: { ...input.expires } } : {}),
    ...(input.offlineRoles && input.offlineRoles.length > 0 ? { offlineRoles: [...input.offlineRoles] } : {}),
  };
  const plan = await basePlan(input, targetFiles);
  const withCommon: WithCommon = { ...plan, ...common };
  return withCommon;
}

async function basePlan(input: PlanInput, targetFiles: TargetFiles): Promise<EnginePlan> {
  switch (input.kind) {
    case 'init':
      return {
        kind: 'init',
        rootKeys: input.rootKeys.map(keySpecOf),
        rootThreshold: input.rootThreshold,
        targetsKeys: input.targetsKeys.map(keySpecOf),
        ...opt('targetsThreshold', input.targetsThreshold),
        ...opt('snapshotKeys', input.snapshotKeys?.length ? specs(input.snapshotKeys) : undefined),
        ...opt('timestampKeys', input.timestampKeys?.length ? specs(input.timestampKeys) : undefined),
      };
    case 'rotate-root':
      return {
        kind: 'rotate-root',
        ...(input.add.length > 0 ? { add: input.add.map(keySpecOf) } : {}),
        ...(input.remove.length > 0 ? { remove: [...input.remove] } : {}),
        threshold: input.threshold,
      };
    case 'rotate-key':
      return {
        kind: 'rotate-key',
        role: input.role,
        ...opt('newKeys', input.newKeys?.length ? specs(input.newKeys) : undefined),
        ...opt('threshold', input.threshold),
        ...(input.serverManaged === true ? { serverManaged: true } : {}),
      };
    case 'add-signer':
      return {
        kind: 'add-signer',
        name: input.name,
        keys: input.keys.map(keySpecOf),
        ...opt('threshold', input.threshold),
        ...opt('paths', input.paths ? [...input.paths] : undefined),
        ...(input.terminating === true ? { terminating: true } : {}),
        ...opt('parent', input.parent),
      };
    case 'remove-signer':
      return { kind: 'remove-signer', name: input.name, ...opt('parent', input.parent) };
    case 'recover':
      if (input.compromised.length === 0 && (input.lost ?? []).length === 0 && (input.lostTokens ?? []).length === 0) {
        throw new PlanInputError('recover needs at least one compromised or lost key ID, or a lost token');
      }
      return {
        kind: 'recover',
        compromised: [...input.compromised],
        ...(input.lost?.length ? { lost: [...input.lost] } : {}),
        ...(input.lostTokens?.length ? { lostTokens: [...input.lostTokens] } : {}),
        ...(input.dropTargets ? { dropTargets: Object.fromEntries(Object.entries(input.dropTargets).map(([role, d]) => [role, d === 'all' ? 'all' : [...d]])) } : {}),
        ...(input.acknowledgeTargets?.length ? { acknowledgeTargets: [...input.acknowledgeTargets] } : {}),
        ...(input.replacements ? { replacements: Object.fromEntries(Object.entries(input.replacements).map(([role, keys]) => [role, keys.map(keySpecOf)])) } : {}),
        ...(input.thresholds ? { thresholds: { ...input.thresholds } } : {}),
      };
    case 'refresh':
      return { kind: 'refresh', ...opt('roles', input.roles?.length ? [...input.roles] : undefined) };
    case 'sign-targets':
      return { kind: 'sign-targets', ...opt('changes', input.changes?.length ? await targetChanges(input.changes, targetFiles) : undefined) };
  }
}

async function targetChanges(changes: readonly TargetChangeInput[], targetFiles: TargetFiles): Promise<TargetChange[]> {
  const out: TargetChange[] = [];
  for (const change of changes) {
    if (change.action === 'remove') {
      out.push({ role: change.role, action: 'remove', path: change.path });
      continue;
    }
    const file = targetFiles[change.filePickId];
    if (file === undefined) throw new PlanInputError(`the file for target ${JSON.stringify(change.path)} was not chosen in this window; choose it again`);
    const hashed = await hashTargetFile(file);
    out.push({ role: change.role, action: 'add', path: change.path, length: hashed.length, hashes: { sha256: hashed.sha256, sha512: hashed.sha512 } });
  }
  return out;
}

/**
 * What the plan's key acts open before the signing step: tokens to log in to (generated keys, and
 * Notary root keys, whose certificate the key signs) and key files to decrypt (Notary root keys).
 */
export function keyActsBeforeSigning(plan: EnginePlan, dialect: Dialect): { tokens: string[]; files: string[] } {
  const tokens = new Set<string>();
  const files = new Set<string>();
  const visit = (keys: readonly KeySpec[] | undefined, role: string): void => {
    const certified = dialect === 'notary-v1' && role === 'root';
    for (const spec of keys ?? []) {
      if (spec.kind === 'token-generate' || (spec.kind === 'token' && certified)) tokens.add(spec.tokenSerial);
      else if (spec.kind === 'file' && certified) files.add(spec.keyId);
    }
  };
  switch (plan.kind) {
    case 'init':
      visit(plan.rootKeys, 'root');
      visit(plan.targetsKeys, 'targets');
      visit(plan.snapshotKeys, 'snapshot');
      visit(plan.timestampKeys, 'timestamp');
      break;
    case 'rotate-root':
      visit(plan.add, 'root');
      break;
    case 'rotate-key':
      visit(plan.newKeys, plan.role);
      break;
    case 'add-signer':
      visit(plan.keys, plan.name);
      break;
    case 'recover':
      for (const [role, keys] of Object.entries(plan.replacements ?? {})) visit(keys, role);
      break;
    default:
      break;
  }
  return { tokens: [...tokens], files: [...files] };
}

function opt<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

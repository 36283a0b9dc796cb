/**
 * A request bundle as the wizards show it before a plan is made: root facts, every role (who
 * delegates it, keys, threshold, paths, version, expiry, due for refresh, target count), every key
 * with the roles it serves, the server-managed keys, and how many target changes it carries.
 */
import type { z } from 'zod';

import { ceremonyKeyFromObject, loadRepoState, rolesDueForRefresh, type CeremonyEnv, type KnownKey, type LoadedState } from '../../../shared/ceremony';
import { delegationsOf, isObj, rootRole } from '../../../shared/ceremony/state';
import type { RepoState } from '../../../shared/ceremony/types';
import type { RequestRoleView } from '../../../shared/ipc/ceremony-plans';
import type { RequestPreview } from '../../../shared/ipc/ceremony';
import type { CryptoProvider } from '../../../shared/tuf/crypto';
import { keyView, localKey } from './views';

type RoleView = z.infer<typeof RequestRoleView>;
const TOP_LEVEL = ['root', 'targets', 'snapshot', 'timestamp'] as const;

export function previewOf(state: RepoState, where: { pickId: string; displayPath: string }, env: CeremonyEnv, known: readonly KnownKey[]): RequestPreview {
  const loaded = loadRepoState(state, env, known);
  const root = loaded.root;
  const rootEntry = root ? rootRole(root.signedJson, 'root') : null;
  const roles = rolesOf(loaded, env);
  const local = (keyid: string) => {
    const key = loaded.keys.get(keyid);
    return key ? keyView(localKey(key, env.crypto, known)) : null;
  };
  const keys = [...loaded.keys.keys()].sort().flatMap((keyid) => {
    const view = local(keyid);
    return view ? [{ ...view, roles: roles.filter((r) => r.keyids.includes(keyid)).map((r) => r.role) }] : [];
  });
  return {
    pickId: where.pickId,
    displayPath: where.displayPath,
    dialect: state.dialect,
    repository: state.name,
    source: describeSource(state),
    createdAt: state.createdAt,
    rootVersion: root?.signed.version ?? 0,
    rootExpires: typeof root?.signedJson['expires'] === 'string' ? root.signedJson['expires'] : null,
    rootThreshold: rootEntry?.threshold ?? null,
    rootKeys: (rootEntry?.keyids ?? []).flatMap((keyid) => local(keyid) ?? []),
    roles,
    keys,
    serverKeys: serverKeysOf(state, env.crypto),
    targetChanges: state.targetChanges?.length ?? 0,
  };
}

function rolesOf(loaded: LoadedState, env: CeremonyEnv): RoleView[] {
  const out: RoleView[] = [];
  const root = loaded.root?.signedJson;
  if (!root) return out;
  // Snapshot/timestamp are due only when signed offline; a preview cannot know the plan's choice, so it asks as if offline.
  const due = new Set(rolesDueForRefresh(loaded, env, ['snapshot', 'timestamp']));
  const facts = (role: string) => {
    const body = loaded.signed.get(role);
    const targets = body?.['targets'];
    return {
      version: typeof body?.['version'] === 'number' ? body['version'] : null,
      expires: typeof body?.['expires'] === 'string' ? body['expires'] : null,
      dueForRefresh: due.has(role),
      targetCount: isObj(targets) && (role === 'targets' || !TOP_LEVEL.includes(role as never)) ? Object.keys(targets).length : null,
    };
  };
  for (const role of TOP_LEVEL) {
    const entry = rootRole(root, role);
    if (!entry) continue;
    out.push({ role, delegatedBy: role === 'root' ? null : 'root', keyids: entry.keyids, threshold: entry.threshold, paths: null, ...facts(role) });
  }
  // Breadth-first through the delegation tree, each role once (a cycle in a hostile request stops here).
  const queue = ['targets'];
  const seen = new Set(queue);
  for (let parent = queue.shift(); parent !== undefined; parent = queue.shift()) {
    const body = loaded.signed.get(parent);
    if (!body) continue;
    for (const d of delegationsOf(parent, body)) {
      if (seen.has(d.name)) continue;
      seen.add(d.name);
      queue.push(d.name);
      out.push({ role: d.name, delegatedBy: parent, keyids: d.keyids, threshold: d.threshold, paths: d.paths, ...facts(d.name) });
    }
  }
  return out;
}

function serverKeysOf(state: RepoState, crypto: CryptoProvider): { role: string; keyid: string }[] {
  const out: { role: string; keyid: string }[] = [];
  for (const role of ['timestamp', 'snapshot'] as const) {
    const key = state.serverKeys[role];
    if (key) out.push({ role, keyid: ceremonyKeyFromObject(state.dialect, key, crypto).keyid });
  }
  return out;
}

export function describeSource(state: RepoState): string {
  const s = state.source;
  return s.kind === 'notary-server' ? `${s.url} (GUN ${s.gun})` : s.kind === 'tuf-url' ? s.url : s.path;
}

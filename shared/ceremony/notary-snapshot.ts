import { toBase64 } from '../tuf/encoding';
import { buildSnapshot, metaEntryForBytes, type MetaEntry } from './builders';
import { diffProposal } from './diff';
import { notarySigning } from './draft';
import { payloadSha256 } from './envelope';
import type { CeremonyEnv } from './env';
import { policyOf } from './env';
import { PlanError } from './errors';
import type { KnownKey } from './keys';
import { expiresIn } from './policy';
import { checkExpiredBump, checkExpiry, checkSnapshotMeta, checkVersion } from './rules';
import { decodeFile, delegationsOf, loadRepoState, rootRole, versionOf } from './state';
import type { Proposal, RepoState } from './types';

/**
 * Notary repositories whose snapshot key is held offline (notary's default without `-r`): the
 * snapshot lists the length and hashes of the final root/targets/delegation files, so it can only
 * be proposed once those are signed. This second step is a proposal of its own (same ceremony id
 * with a `-snapshot` suffix); null when the server signs the snapshot.
 */
export function notarySnapshotStep(state: RepoState, proposal: Proposal, files: Readonly<Record<string, Uint8Array>>, env: CeremonyEnv, known: readonly KnownKey[] = []): Proposal | null {
  if (state.dialect !== 'notary-v1') return null;
  const loaded = loadRepoState(state, env, known);
  const newRoot = proposal.roles.find((r) => r.role === 'root')?.signed ?? loaded.signed.get('root');
  if (!newRoot) throw new PlanError('the repository has no root');
  if (notarySigning(state, newRoot, 'snapshot', env) === 'server') return null;

  // Every role still part of the repository: root, targets and the delegations reachable from it.
  const bytes = new Map<string, Uint8Array>();
  for (const [role, b64] of Object.entries(state.files)) if (role !== 'snapshot' && role !== 'timestamp') bytes.set(role, decodeFile(b64, role));
  for (const [role, b] of Object.entries(files)) if (role !== 'snapshot' && role !== 'timestamp') bytes.set(role, b);
  const bodies = new Map(loaded.signed);
  for (const r of proposal.roles) bodies.set(r.role, r.signed);
  const live = new Set(['root', 'targets']);
  const queue = ['targets'];
  while (queue.length > 0) {
    const parent = queue.shift()!;
    const body = bodies.get(parent);
    if (!body) continue;
    for (const d of delegationsOf(parent, body)) {
      if (live.has(d.name)) continue;
      live.add(d.name);
      queue.push(d.name);
    }
  }
  const meta: Record<string, MetaEntry> = {};
  for (const [role, b] of bytes) if (live.has(role)) meta[role] = metaEntryForBytes('notary-v1', b, 0, env.crypto);

  const policy = policyOf(env, 'notary-v1');
  const old = loaded.signed.get('snapshot') ?? null;
  const version = versionOf(old ?? undefined) + 1;
  const expires = expiresIn(env.now, policy.defaultExpiryDays.snapshot);
  const signed = buildSnapshot('notary-v1', { version, expires, meta });
  const req = rootRole(newRoot, 'snapshot')!;
  const role = {
    role: 'snapshot',
    version,
    expires,
    signed,
    payloadSha256: payloadSha256(signed, env.crypto),
    requirements: [{ label: `snapshot (keys of root v${versionOf(newRoot)})`, keyids: req.keyids, threshold: req.threshold }],
    signing: 'offline' as const,
  };
  const removed = new Set([...bytes.keys()].filter((r) => !live.has(r)));
  const checks = [
    ...checkVersion('snapshot', old ? versionOf(old) : null, version, policy),
    ...checkSnapshotMeta(old, signed, removed),
    ...checkExpiry('snapshot', 'notary-v1', expires, env.now, policy),
    checkExpiredBump('snapshot', 'notary-v1', old, signed, env.now),
  ];
  return {
    ceremonyId: `${proposal.ceremonyId}-snapshot`,
    kind: proposal.kind,
    dialect: 'notary-v1',
    repository: proposal.repository,
    basis: proposal.basis,
    roles: [role],
    keys: proposal.keys,
    diff: diffProposal(loaded.signed, [role], proposal.keys),
    checks,
  };
}

/**
 * The ceremony's proposal once its snapshot step exists: the same roles with the snapshot role
 * appended (signing order), the step's diff and checks added. Everything downstream (progress,
 * signing tasks, verify-on-arrival, finalize) then treats the snapshot like any offline role.
 */
export function withNotarySnapshotStep(base: Proposal, step: Proposal): Proposal {
  if (notaryOfflineSnapshot(base)) throw new PlanError(`ceremony ${base.ceremonyId} already has its snapshot step`);
  const role = step.roles.find((r) => r.role === 'snapshot');
  if (step.dialect !== 'notary-v1' || !role || step.roles.length !== 1) throw new PlanError('a Notary snapshot step has exactly one role: snapshot');
  const known = new Set(base.keys.map((k) => k.keyid));
  return {
    ...base,
    roles: [...base.roles, role],
    keys: [...base.keys, ...step.keys.filter((k) => !known.has(k.keyid))],
    diff: [...base.diff.filter((d) => !(d.role === 'snapshot' && d.kind === 'other')), ...step.diff],
    checks: [...base.checks, ...step.checks],
  };
}

/** The offline snapshot role of a Notary proposal (only the snapshot step puts one there), or null. */
export function notaryOfflineSnapshot(proposal: Proposal): Proposal['roles'][number] | null {
  if (proposal.dialect !== 'notary-v1') return null;
  return proposal.roles.find((r) => r.role === 'snapshot' && r.signing === 'offline') ?? null;
}

/**
 * Once a Notary snapshot is proposed over the final files, those files must not change: one more
 * signature on root or targets changes their bytes and the snapshot no longer lists them. So no
 * role but the snapshot takes new signatures after the step.
 */
export function frozenBySnapshotStep(proposal: Proposal, role: string): boolean {
  return role !== 'snapshot' && notaryOfflineSnapshot(proposal) !== null;
}

/**
 * Problems (empty when none) between a Notary snapshot and the files it must list: each listed
 * role's length and sha256 against the exact bytes about to be published.
 */
export function snapshotCoverProblems(proposal: Proposal, files: Readonly<Record<string, Uint8Array>>, env: CeremonyEnv): string[] {
  const snap = notaryOfflineSnapshot(proposal);
  if (!snap) return [];
  const meta = (snap.signed['meta'] ?? {}) as Record<string, { length?: number; hashes?: Record<string, string> }>;
  const problems: string[] = [];
  for (const [role, bytes] of Object.entries(files)) {
    if (role === 'snapshot' || role === 'timestamp') continue;
    const entry = meta[role];
    if (!entry) problems.push(`${role} is not listed in the snapshot`);
    else if (entry.length !== bytes.length || entry.hashes?.['sha256'] !== toBase64(env.crypto.sha256(bytes))) problems.push(`${role} differs from the bytes the snapshot lists`);
  }
  return problems;
}

/**
 * An imported proposal is never trusted on its word (review finding F1). A partial bundle carries
 * no signature over itself: whoever holds the USB stick can rewrite its `checks`, `requirements`,
 * `diff` and `keys`. `reviewProposal` keeps only what signatures cover — the role bodies — and
 * recomputes everything else here, from the request and those bodies, with the same code a local
 * proposal uses (roleRequirements / roleChecks / diffProposal / checkRequest). Mismatches that
 * would weaken the ceremony (fewer or lower requirements, bodies that do not match their digests,
 * versions, role types or signing modes) are problems; the caller refuses the import on any.
 */
import { KeyriteError } from '../errors';
import { metaName } from './builders';
import { diffProposal } from './diff';
import { newDraft, notarySigning, roleChecks, roleRequirements } from './draft';
import { payloadSha256 } from './envelope';
import type { CeremonyEnv } from './env';
import { FinalizeError, PlanError } from './errors';
import { finalize } from './finalize';
import { notarySnapshotStep } from './notary-snapshot';
import { policyOf } from './env';
import { checkExpiredBump, checkExpiry } from './rules';
import { ceremonyKeyFromObject, type KnownKey } from './keys';
import { checkRequest } from './request-check';
import { keyTrustChecks } from './review-trust';
import { clone, isObj, loadRepoState, scalar, versionOf } from './state';
import type { CeremonyKey, CollectedSignature, DiffEntry, Proposal, RepoState, RoleProposal, RuleCheck, ThresholdRequirement } from './types';

export type ReviewProblemCode =
  | 'PROPOSAL_BASIS_MISMATCH'
  | 'PROPOSAL_TAMPERED'
  | 'PROPOSAL_BODY_MISMATCH'
  | 'PROPOSAL_BODY_INCONSISTENT'
  | 'PROPOSAL_SIGNING_MODE'
  | 'PROPOSAL_REQUIREMENTS_WEAKER';

export interface ReviewProblem {
  code: ReviewProblemCode;
  message: string;
  role?: string;
}

export interface ReviewedProposal {
  /** The proposal with requirements, keys, checks and diff computed on this workstation. */
  proposal: Proposal;
  /** Why the imported proposal must not be used (empty: it may be imported). */
  problems: ReviewProblem[];
}

/** An imported proposal that this workstation does not reproduce; `.code` names the first problem. */
export class ProposalReviewError extends KeyriteError {
  get code(): string {
    return typeof this.detail['code'] === 'string' ? this.detail['code'] : 'PROPOSAL_REJECTED';
  }
}

const TYPE: Record<RepoState['dialect'], Record<string, string>> = {
  'tuf-1.0': { root: 'root', targets: 'targets', snapshot: 'snapshot', timestamp: 'timestamp' },
  'notary-v1': { root: 'Root', targets: 'Targets', snapshot: 'Snapshot', timestamp: 'Timestamp' },
};

/**
 * Rebuild an imported proposal from `request` and the proposal's role bodies. Checks are this
 * workstation's (request verified from `env.trustedRoot`, every §2 rule, the key trust checks),
 * plus any failed check the bundle itself carried (a bundle can only make a ceremony stricter).
 */
export function reviewProposal(
  request: RepoState,
  imported: Proposal,
  env: CeremonyEnv,
  known: readonly KnownKey[] = [],
  /** The bundle's signatures: a Notary offline snapshot step is checked against the files they finalize. */
  signatures: readonly CollectedSignature[] = [],
): ReviewedProposal {
  const problems: ReviewProblem[] = [];
  const problem = (code: ReviewProblemCode, message: string, role?: string): void => {
    problems.push(role === undefined ? { code, message } : { code, message, role });
  };
  const loaded = loadRepoState(request, env, known);
  const oldRoot = loaded.signed.get('root') ?? null;
  if (imported.dialect !== request.dialect || imported.repository !== request.name) {
    problem('PROPOSAL_BASIS_MISMATCH', `the proposal is for ${imported.repository} (${imported.dialect}); its request is ${request.name} (${request.dialect})`);
  }
  if (imported.basis.nonce !== request.nonce || imported.basis.rootVersion !== versionOf(oldRoot ?? undefined)) {
    problem('PROPOSAL_BASIS_MISMATCH', `the proposal answers request ${imported.basis.nonce} at root v${imported.basis.rootVersion}; the request is ${request.nonce} at root v${versionOf(oldRoot ?? undefined)}`);
  }

  const draft = newDraft(loaded, imported.kind);
  for (const rp of imported.roles) {
    if (draft.bodies.has(rp.role)) problem('PROPOSAL_BODY_MISMATCH', `${rp.role} appears twice in the proposal`, rp.role);
    draft.bodies.set(rp.role, clone(rp.signed));
    checkBody(request, rp, env, problem);
  }
  const newRoot = draft.bodies.get('root') ?? oldRoot;
  checkSigningModes(request, imported.roles, newRoot, env, problem);
  checkSnapshotConsistency(request, imported.roles, problem);

  const roles: RoleProposal[] = imported.roles.map((rp) => {
    let requirements: ThresholdRequirement[] = [];
    if (newRoot) {
      try {
        requirements = roleRequirements(draft, rp.role, oldRoot, newRoot);
      } catch (e) {
        if (!(e instanceof PlanError)) throw e;
        problem('PROPOSAL_BODY_INCONSISTENT', `${rp.role}: ${e.message}`, rp.role);
      }
    } else problem('PROPOSAL_BODY_INCONSISTENT', 'neither the request nor the proposal has a root', rp.role);
    for (const weaker of weakerThan(requirements, rp.requirements)) {
      problem('PROPOSAL_REQUIREMENTS_WEAKER', `${rp.role} v${rp.version}: the bundle does not require ${weaker.label} (${weaker.threshold} of ${weaker.keyids.length} keys), which this workstation computes from the request and the proposed bodies`, rp.role);
    }
    return { ...rp, signed: draft.bodies.get(rp.role)!, payloadSha256: payloadSha256(rp.signed, env.crypto), requirements };
  });

  const keys = rebuildKeys(request, draft.bodies, loaded.keys, imported.keys, env, known);
  const keyMap = new Map(keys.map((k) => [k.keyid, k]));
  // A Notary offline snapshot (sec-notary's step) lists the final bytes of the other roles: it is
  // recomputed from them instead of going through the per-role rules.
  const step = request.dialect === 'notary-v1' ? roles.find((r) => r.role === 'snapshot' && r.signing === 'offline') : undefined;
  const baseRoles = roles.filter((r) => r !== step);
  const stepChecks = step ? reviewNotarySnapshot(request, { ...imported, roles: baseRoles, keys, checks: [] }, step, signatures, env, known, problem) : [];
  const local: RuleCheck[] = [...checkRequest(request, env), ...roleChecks(loaded, baseRoles, keyMap, env), ...stepChecks, ...keyTrustChecks(request, roles, keys, env, known)];
  const localFailed = new Set(local.filter((c) => !c.passed).map((c) => `${c.code}|${c.role ?? ''}`));
  const stated = imported.checks
    .filter((c) => !c.passed && !localFailed.has(`${c.code}|${c.role ?? ''}`))
    .map((c) => ({ ...c, message: `(stated by the proposing workstation) ${c.message}` }));
  const diff: DiffEntry[] = [
    ...diffProposal(loaded.signed, roles, keys),
    ...notaryNote(request, newRoot, env),
    ...imported.diff.filter((d) => d.kind === 'other' && !/^snapshot( and timestamp)?:/.test(d.summary)).map((d) => ({ ...d, summary: `(note from the proposing workstation) ${d.summary}` })),
  ];
  return { proposal: { ...imported, roles, keys, diff, checks: [...local, ...stated] }, problems };
}

/** Throws ProposalReviewError naming every problem; returns the locally computed proposal. */
export function assertReviewed(reviewed: ReviewedProposal, source: string): Proposal {
  const first = reviewed.problems[0];
  if (!first) return reviewed.proposal;
  const list = reviewed.problems.map((p) => `${p.code}: ${p.message}`).join('; ');
  throw new ProposalReviewError(`${source}: the proposal does not match what this workstation computes from its request — ${list}; nothing was imported`, {
    code: first.code,
    ...(first.role === undefined ? {} : { role: first.role }),
  });
}

type Report = (code: ReviewProblemCode, message: string, role?: string) => void;

function checkBody(request: RepoState, rp: RoleProposal, env: CeremonyEnv, problem: Report): void {
  if (payloadSha256(rp.signed, env.crypto) !== rp.payloadSha256) problem('PROPOSAL_TAMPERED', `${rp.role}: the body does not hash to the payload digest the bundle states`, rp.role);
  if (rp.signed['version'] !== rp.version || rp.signed['expires'] !== rp.expires) {
    problem('PROPOSAL_BODY_MISMATCH', `${rp.role}: the bundle states v${rp.version} expiring ${rp.expires}, the body says v${scalar(rp.signed['version'])} expiring ${scalar(rp.signed['expires'])}`, rp.role);
  }
  const wanted = TYPE[request.dialect][['root', 'snapshot', 'timestamp'].includes(rp.role) ? rp.role : 'targets'];
  if (rp.signed['_type'] !== wanted) problem('PROPOSAL_BODY_MISMATCH', `${rp.role}: body _type ${JSON.stringify(rp.signed['_type'])}, expected ${wanted}`, rp.role);
}

/** Root, targets and delegations are always signed offline; TUF snapshot/timestamp either way; Notary per its root. */
function checkSigningModes(request: RepoState, roles: readonly RoleProposal[], newRoot: RoleProposal['signed'] | null, env: CeremonyEnv, problem: Report): void {
  for (const rp of roles) {
    let allowed: RoleProposal['signing'][] = ['offline'];
    if (request.dialect === 'tuf-1.0' && (rp.role === 'snapshot' || rp.role === 'timestamp')) allowed = ['offline', 'online'];
    if (request.dialect === 'notary-v1' && rp.role === 'timestamp') allowed = [];
    if (request.dialect === 'notary-v1' && rp.role === 'snapshot' && newRoot && notarySigning(request, newRoot, 'snapshot', env) === 'server') allowed = [];
    if (!allowed.includes(rp.signing)) {
      problem('PROPOSAL_SIGNING_MODE', `${rp.role} is marked "${rp.signing}"; this repository signs it ${allowed.length === 0 ? 'on the server, never in a ceremony' : allowed.join(' or ')}`, rp.role);
    }
  }
}

/** TUF: an offline snapshot/timestamp must list the versions this very proposal produces. */
function checkSnapshotConsistency(request: RepoState, roles: readonly RoleProposal[], problem: Report): void {
  if (request.dialect !== 'tuf-1.0') return;
  const snapshot = roles.find((r) => r.role === 'snapshot');
  const timestamp = roles.find((r) => r.role === 'timestamp');
  if (snapshot) {
    const meta = isObj(snapshot.signed['meta']) ? snapshot.signed['meta'] : {};
    for (const rp of roles) {
      if (['root', 'snapshot', 'timestamp'].includes(rp.role)) continue;
      const entry = meta[metaName('tuf-1.0', rp.role)];
      if (!isObj(entry) || entry['version'] !== rp.version) problem('PROPOSAL_BODY_INCONSISTENT', `snapshot does not list ${rp.role} v${rp.version}`, 'snapshot');
    }
  }
  if (timestamp && snapshot) {
    const meta = isObj(timestamp.signed['meta']) ? timestamp.signed['meta'] : {};
    const entry = meta['snapshot.json'];
    if (!isObj(entry) || entry['version'] !== snapshot.version) problem('PROPOSAL_BODY_INCONSISTENT', `timestamp does not point at snapshot v${snapshot.version}`, 'timestamp');
  }
}

/** Local requirements the bundle does not state at least as strictly (same key set, threshold ≥). */
function weakerThan(local: readonly ThresholdRequirement[], theirs: readonly ThresholdRequirement[]): ThresholdRequirement[] {
  const set = (ids: readonly string[]): string => [...new Set(ids)].sort().join(',');
  return local.filter((req) => !theirs.some((t) => set(t.keyids) === set(req.keyids) && t.threshold >= req.threshold));
}

/**
 * Keys from the bodies themselves (request + proposed root and delegations), never the bundle's
 * key list: a key entry whose key object differs from the body's would make a signature "verify"
 * against a key the metadata does not name. Naming comes from the inventory, else from the bundle
 * (holder / token serial are display only).
 */
function rebuildKeys(
  request: RepoState,
  bodies: ReadonlyMap<string, RoleProposal['signed']>,
  current: ReadonlyMap<string, CeremonyKey>,
  stated: readonly CeremonyKey[],
  env: CeremonyEnv,
  known: readonly KnownKey[],
): CeremonyKey[] {
  const out = new Map<string, CeremonyKey>();
  const hints = new Map(stated.map((k) => [k.keyid, k]));
  const add = (keyid: string, ko: unknown): void => {
    if (out.has(keyid) || !isObj(ko as never)) return;
    let key: CeremonyKey;
    try {
      key = ceremonyKeyFromObject(request.dialect, ko as RoleProposal['signed'], env.crypto, { keyid }, known);
    } catch (e) {
      // Unreadable keys are reported by the rules (KEY_UNREADABLE); they just cannot sign.
      if (e instanceof Error) return;
      throw e;
    }
    const hint = hints.get(keyid);
    if (key.signer.kind === 'external' && hint && JSON.stringify(hint.keyObject) === JSON.stringify(ko)) {
      if (hint.holder !== undefined && key.holder === undefined) key.holder = hint.holder;
      if (hint.tokenSerial !== undefined && key.tokenSerial === undefined) key.tokenSerial = hint.tokenSerial;
      if (hint.label !== undefined && key.label === undefined) key.label = hint.label;
    }
    out.set(keyid, key);
  };
  for (const [role, body] of bodies) {
    if (role === 'root' && isObj(body['keys'])) for (const [id, ko] of Object.entries(body['keys'])) add(id, ko);
    const del = body['delegations'];
    if (role !== 'root' && isObj(del) && isObj(del['keys'])) for (const [id, ko] of Object.entries(del['keys'])) add(id, ko);
  }
  // Keys of roles the proposal leaves untouched (delegations kept from the request).
  for (const [id, key] of current) if (!out.has(id)) out.set(id, key);
  return [...out.values()];
}

/**
 * The snapshot a Notary partial bundle carries once its other roles are complete: the same body as
 * notarySnapshotStep computes here over the files the bundle's signatures finalize (its expiry
 * aside: that came from the proposing workstation's clock, and is checked against policy here).
 */
function reviewNotarySnapshot(
  request: RepoState,
  base: Proposal,
  step: RoleProposal,
  signatures: readonly CollectedSignature[],
  env: CeremonyEnv,
  known: readonly KnownKey[],
  problem: Report,
): RuleCheck[] {
  let files: Record<string, Uint8Array>;
  try {
    files = finalize(base, signatures, env).files;
  } catch (e) {
    if (!(e instanceof FinalizeError)) throw e;
    problem('PROPOSAL_BODY_INCONSISTENT', `the bundle carries a snapshot step but its other roles do not finalize: ${e.message}`, 'snapshot');
    return [];
  }
  const recomputed = notarySnapshotStep(request, base, files, env, known);
  const expected = recomputed?.roles.find((r) => r.role === 'snapshot');
  if (!recomputed || !expected) {
    problem('PROPOSAL_SIGNING_MODE', 'this repository\'s snapshot is signed by the server, not in a ceremony', 'snapshot');
    return [];
  }
  const body = { ...expected.signed, expires: step.signed['expires'] ?? null };
  if (payloadSha256(body, env.crypto) !== step.payloadSha256) {
    problem('PROPOSAL_BODY_INCONSISTENT', 'the snapshot does not list exactly the files its other roles finalize to (version, lengths and hashes recomputed here)', 'snapshot');
  }
  const policy = policyOf(env, 'notary-v1');
  const old = loadRepoState(request, env, known).signed.get('snapshot') ?? null;
  return [
    ...recomputed.checks.filter((c) => !c.code.startsWith('EXPIR')),
    ...checkExpiry('snapshot', 'notary-v1', step.signed['expires'], env.now, policy),
    checkExpiredBump('snapshot', 'notary-v1', old, step.signed, env.now),
  ];
}

function notaryNote(request: RepoState, newRoot: RoleProposal['signed'] | null, env: CeremonyEnv): DiffEntry[] {
  if (request.dialect !== 'notary-v1' || !newRoot) return [];
  return notarySigning(request, newRoot, 'snapshot', env) === 'server'
    ? [{ role: 'snapshot', kind: 'other', summary: 'snapshot and timestamp: re-signed by the Notary server when the new metadata is published' }]
    : [{ role: 'snapshot', kind: 'other', summary: 'snapshot: signed offline in a second step over the final files (notarySnapshotStep); timestamp: by the Notary server' }];
}

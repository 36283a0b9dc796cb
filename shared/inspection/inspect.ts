import type { CryptoProvider } from '../tuf/crypto';
import { parseMetadata } from '../tuf/metadata';
import { DEFAULT_MAX_ROOT_BYTES, type Dialect, type Envelope, type Root, type Targets } from '../tuf/model';
import { checkSnapshot, checkTimestamp } from './consistency';
import { DEFAULT_LIMITS, type InspectContext, type InspectionLimits } from './context';
import { walkAndVerifyDelegations } from './delegations';
import { inputError } from './errors';
import { FindingSink, healthOf } from './findings';
import type { InspectOptions, RepositoryInput } from './input';
import { buildKeyViews, collectRootKeys, explainRetainedNotaryRootKeys, reportUnusedDelegationKeys } from './keys-view';
import type { InspectionReport } from './report';
import { bytesEqual, verifyRootChain } from './root-chain';
import { checkExpiry, checkRollback, hex, loadRoleFile, newLoadedRole, roleView, type LoadedRole } from './roles';
import { reportSignatures, verifyEnvelope } from './signatures';
import { buildTargets } from './targets-table';

/**
 * Verify a repository's trust state from raw bytes and produce the inspection report.
 *
 * Throws InspectionInputError only when there is nothing to inspect (no root, a root that does
 * not parse, a chain that cannot start); every other problem is a finding. Pure: the clock is
 * `options.at`, crypto is injected, no I/O.
 */
export function inspect(
  input: RepositoryInput,
  options: InspectOptions,
  crypto: CryptoProvider,
  limits: InspectionLimits = DEFAULT_LIMITS,
): InspectionReport {
  const started = Date.now();
  assertDeferredResolved(input);
  let present = 0;
  for (const facts of input.preverified?.values() ?? []) if (facts.problem !== 'missing' && !input.files.has(facts.name)) present++;
  const total = input.files.size + present + input.rootHistory.size;
  let done = 0;
  const ctx: InspectContext = {
    input,
    options,
    crypto,
    dialect: detectDialect(input),
    findings: new FindingSink(),
    limits,
    now: options.at.getTime(),
    stats: { signaturesVerified: 0 },
    keys: new Map(),
    progress: () => {
      done = Math.min(total, done + 1);
      options.onProgress?.(done, total);
    },
  };

  const chain = verifyRootChain(ctx);
  const root = chain.root.signed;
  const rootRole = newLoadedRole('root', 'root', null, root.roles.get('root')?.keyids ?? [], root.roles.get('root')?.threshold ?? 1);
  rootRole.bytes = chain.rootBytes;
  rootRole.envelope = chain.root;
  rootRole.sha256 = hex(crypto.sha256(chain.rootBytes));
  rootRole.verification = chain.selfVerification;
  rootRole.trusted = rootRole.verification.valid >= rootRole.threshold;
  rootRole.expired = checkExpiry(ctx, 'root', root);
  checkRootAgainstTrusted(ctx, chain.root, chain.rootBytes);
  collectRootKeys(ctx, root);

  const resetRoles = rotatedOnlineRoles(chain.trustedRoot?.signed ?? null, root);
  const top = (name: 'timestamp' | 'snapshot' | 'targets'): LoadedRole => {
    const decl = root.roles.get(name);
    const role = newLoadedRole(name, name, null, decl?.keyids ?? [], decl?.threshold ?? 1);
    const file = loadRoleFile(ctx, name, name, 'error');
    role.bytes = file.bytes;
    role.envelope = file.envelope;
    role.problem = file.problem;
    if (file.bytes !== null) role.sha256 = hex(crypto.sha256(file.bytes));
    if (file.envelope === null) return role;
    const v = verifyEnvelope(ctx, file.envelope, root.keys, role.keyids, role.threshold);
    role.verification = v;
    role.trusted = v.valid >= v.threshold;
    reportSignatures(ctx, name, file.envelope, v);
    role.expired = checkExpiry(ctx, name, file.envelope.signed);
    checkRollback(ctx, name, file.envelope.signed.version, resetRoles);
    if (name === 'targets') role.targetCount = (file.envelope.signed as Targets).targets.size;
    return role;
  };
  const timestamp = top('timestamp');
  const snapshot = top('snapshot');
  const targets = top('targets');

  const delegation = walkAndVerifyDelegations(ctx, targets);
  // Delegation keys nobody uses, per delegating file.
  for (const r of [targets, ...delegation.roles]) {
    const d = (r.envelope?.signed as Targets | undefined)?.delegations;
    if (d && d.keys.size <= limits.maxKeysPerFile) reportUnusedDelegationKeys(ctx, r.name, d.keys, new Set(d.roles.flatMap((x) => x.keyids)));
  }
  // Files no delegation reaches are still counted for progress and stats.
  const reached = new Set(['root', 'timestamp', 'snapshot', 'targets', ...delegation.roles.map((r) => r.name)]);
  for (const name of input.files.keys()) if (!reached.has(name)) ctx.progress();
  for (const facts of input.preverified?.values() ?? []) if (facts.problem !== 'missing' && !reached.has(facts.name) && !input.files.has(facts.name)) ctx.progress();

  checkTimestamp(ctx, timestamp, snapshot);
  checkSnapshot(ctx, snapshot, [targets, ...delegation.roles], chain.rootBytes);

  const table = buildTargets(ctx, targets, delegation.roles, delegation.visits, options.maxTargetRows ?? Number.POSITIVE_INFINITY);
  const keys = buildKeyViews(ctx, new Set(rootRole.keyids));
  // Only a retained key whose signature really verifies is explained away.
  const retainedSigners = chain.root.signatures
    .map((sig) => sig.keyid)
    .filter((id) => !rootRole.keyids.includes(id) && root.keys.has(id) && verifyEnvelope(ctx, chain.root, root.keys, [id], 1).valid === 1);
  explainRetainedNotaryRootKeys(ctx, retainedSigners);
  const findings = ctx.findings.sorted();

  let bytes = 0;
  for (const b of input.files.values()) bytes += b.length;
  for (const b of input.rootHistory.values()) if (input.files.get('root') !== b) bytes += b.length;
  let skippedUnchanged = 0;
  for (const facts of input.preverified?.values() ?? []) {
    if (!input.files.has(facts.name)) bytes += facts.length ?? 0;
    if (facts.reused === true && reached.has(facts.name)) skippedUnchanged++;
  }
  options.onProgress?.(total, total);

  return {
    schemaVersion: 1,
    source: { kind: input.source.kind, location: input.source.location },
    dialect: ctx.dialect,
    name: input.name,
    evaluatedAt: options.at.toISOString(),
    health: healthOf(findings),
    roles: [rootRole, targets, snapshot, timestamp, ...delegation.roles].map(roleView),
    keys,
    targets: table.rows,
    ...(table.total > table.rows.length ? { targetsTotal: table.total } : {}),
    rootHistory: chain.steps,
    findings,
    privateKeys: (input.privateKeys ?? []).map((p) => ({ id: p.id, role: p.role, gun: p.gun, path: p.path, encrypted: p.encrypted })),
    stats: {
      files: total,
      bytes,
      signaturesVerified: ctx.stats.signaturesVerified,
      ...(skippedUnchanged > 0 ? { skippedUnchanged } : {}),
      durationMs: Date.now() - started,
    },
  };
}

/** Deferred role files must have been turned into facts (or read) before the engine runs. */
function assertDeferredResolved(input: RepositoryInput): void {
  for (const d of input.deferred?.roles ?? []) {
    if (!input.files.has(d.name) && input.preverified?.has(d.name) !== true) {
      throw inputError('deferred-unresolved', `${d.name} was located but never read: run the inspection through an InspectRunner, which pre-verifies deferred files.`);
    }
  }
}

/** The dialect: as given, else from root's `_type` (`Root` = notary-v1, `root` = tuf-1.0). */
function detectDialect(input: RepositoryInput): Dialect {
  if (input.dialect !== null) return input.dialect;
  let bytes = input.files.get('root');
  if (bytes === undefined) {
    const newest = Math.max(...input.rootHistory.keys());
    bytes = input.rootHistory.get(newest);
  }
  if (bytes === undefined) {
    throw inputError('no-root', `No root metadata in ${input.source.location}: expected root.json or N.root.json files.`);
  }
  try {
    return parseMetadata(bytes, { expectedType: 'root', maxBytes: DEFAULT_MAX_ROOT_BYTES }).dialect;
  } catch (error) {
    throw inputError('root-unparseable', `root.json of ${input.source.location} cannot be parsed: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/**
 * §5.3.11: when the timestamp keys rotated, clients drop their trusted timestamp and snapshot;
 * when the snapshot keys rotated, their trusted snapshot.
 */
function rotatedOnlineRoles(trusted: Root | null, current: Root): Set<string> {
  const out = new Set<string>();
  if (trusted === null) return out;
  const same = (role: 'timestamp' | 'snapshot') => {
    const a = trusted.roles.get(role)?.keyids ?? [];
    const b = current.roles.get(role)?.keyids ?? [];
    return a.length === b.length && a.every((k) => b.includes(k));
  };
  if (!same('timestamp')) {
    out.add('timestamp');
    out.add('snapshot');
  }
  if (!same('snapshot')) out.add('snapshot');
  return out;
}

/** ROOT_CHANGED when the root moved on from the workspace's trusted one; a same-version fork is an error. */
function checkRootAgainstTrusted(ctx: InspectContext, root: Envelope<Root>, rootBytes: Uint8Array): void {
  const trusted = ctx.options.trusted;
  if (trusted === null) return;
  const v = root.signed.version;
  if (v > trusted.rootVersion) {
    ctx.findings.info('ROOT_CHANGED', `The root was rotated from trusted version ${trusted.rootVersion} to version ${v}.`, { role: 'root' });
  } else if (v === trusted.rootVersion && trusted.rootBytes !== null && !bytesEqual(trusted.rootBytes, rootBytes)) {
    ctx.findings.error('ROOT_CHAIN_BROKEN', `root version ${v} differs from the trusted root of the same version: the history forked.`, { role: 'root' });
  }
}

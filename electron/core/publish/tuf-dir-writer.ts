import type { KeyObject } from 'node:crypto';
import path from 'node:path';

import type { JsonObject } from '../../../shared/tuf/model';
import { ensureDir, readFileCapped, writeFileAtomic } from '../fs/atomic-write';
import type { LockHolder } from '../journal';
import { LIMITS } from '../sources/limits';
import { TufChainError, VersionedFileConflictError } from './errors';
import { buildTufSnapshot, buildTufTimestamp, DEFAULT_SPEC_VERSION, roleKeysFromRoot, signTufRole, tufExpires } from './online-roles';
import { planTargetFiles, type TargetFilesResult } from './target-files';
import { collectTargets } from './target-list';
import { withTufDirLock } from './tuf-dir-lock';
import { verifiesUnderRoot, verifyPublishSet } from './verify-before-write';
import { parseRoleFile, readExistingRepo, snapshotMeta, snapshotVersionOf, type ExistingRepo, type ParsedRoleFile } from './tuf-dir-state';

export interface TufPublishOptions {
  /** Private keys for the online roles (snapshot, timestamp), matched to root's keys by public key. */
  onlineKeys?: readonly KeyObject[];
  now?: () => Date;
  /** Expiry of built snapshot/timestamp: days from now (default 7 and 1) or an exact time. */
  expires?: { snapshot?: string; timestamp?: string };
  expiryDays?: { snapshot?: number; timestamp?: number };
  /**
   * Also publish the target files into `<dir>/targets/`: every target the repository's targets
   * metadata lists (the bundle's roles, and the published ones it does not replace), taken from
   * `sourceDir` (same relative paths) unless already published; verified before anything is written.
   */
  targets?: { sourceDir: string };
  /** Who we are in the directory's lock record (default from argv; "Keyrite app" under Electron). */
  lockProgram?: string;
  /** A lock left by a publish that died on this host was removed before ours was taken. */
  onStaleLockRecovered?: (holder: LockHolder, lockPath: string) => void;
  /**
   * Told as the publish passes each stage, all under the directory's lock: 'checked' (every check
   * passed, nothing written yet), 'targets-written' (with `targets`: the target files are in place,
   * no metadata written yet). For progress displays; the lock tests pause a publish here.
   */
  onStage?: (stage: TufPublishStage) => void;
}

export type TufPublishStage = 'checked' | 'targets-written';

export interface TufPublishResult {
  /** File names written, in write order (timestamp.json last). */
  written: string[];
  /** Versioned files that were already there with the same bytes (a re-run). */
  unchanged: string[];
  snapshotVersion: number | null;
  timestampVersion: number | null;
  warnings: string[];
  /** With `targets`: target files written / already there, relative to `<dir>/targets/`. */
  targetFiles?: TargetFilesResult;
}

interface PlannedWrite {
  name: string;
  bytes: Uint8Array;
  /** Versioned names are write-once; unprefixed names (timestamp.json, root.json) are replaced. */
  versioned: boolean;
}

/**
 * Publishes signed metadata into a TUF repository directory with consistent snapshots:
 * `N.root.json` kept forever, `VERSION.<role>.json`, `timestamp.json` unprefixed and written last
 * so a client never sees a timestamp whose files are not there yet. Everything is checked first
 * (root chain, versions only going up, snapshot entries never dropped, no versioned file replaced by
 * other bytes); then each file is written atomically and durably. Snapshot and timestamp are built
 * and signed here with the online keys when the ceremony did not sign them offline. All of it
 * runs holding DIR's publish lock (tuf-dir-lock.ts): a concurrent publish gets PublishLockedError.
 */
export async function publishTufDir(signedFiles: Record<string, Uint8Array>, dir: string, options: TufPublishOptions = {}): Promise<TufPublishResult> {
  // Parsed before the lock: a malformed bundle is refused without touching the directory.
  const files = new Map<string, ParsedRoleFile>();
  for (const [role, bytes] of Object.entries(signedFiles)) files.set(role, parseRoleFile(role, bytes));
  const lockOptions = { ...(options.lockProgram === undefined ? {} : { program: options.lockProgram }), ...(options.onStaleLockRecovered ? { onStaleLockRecovered: options.onStaleLockRecovered } : {}) };
  // The whole read-check-write runs under the lock: checks made on a state another publish is changing would be worthless.
  return withTufDirLock(dir, lockOptions, () => publishLocked(files, dir, options));
}

async function publishLocked(files: Map<string, ParsedRoleFile>, dir: string, options: TufPublishOptions): Promise<TufPublishResult> {
  const existing = await readExistingRepo(dir);
  const warnings: string[] = [];

  const root = checkRoot(files.get('root') ?? null, existing, dir);
  const consistent = root.signed['consistent_snapshot'] === true;
  if (!consistent) warnings.push('root has consistent_snapshot false: unprefixed copies are written too (clients read those)');
  const specVersion = typeof root.signed['spec_version'] === 'string' ? root.signed['spec_version'] : DEFAULT_SPEC_VERSION;
  const now = (options.now ?? (() => new Date()))();

  const delegated = [...files.values()].filter((f) => f.role !== 'root' && f.role !== 'snapshot' && f.role !== 'timestamp');
  const previousMeta = snapshotMeta(existing.snapshot?.signed);
  for (const file of delegated) {
    const before = previousMeta.get(`${file.role}.json`);
    if (before !== undefined && file.version < before) {
      throw new TufChainError(`${file.role} version ${file.version} is older than the published version ${before} (rollback); nothing was written`);
    }
  }

  let snapshot = files.get('snapshot') ?? null;
  if (!snapshot && (delegated.length > 0 || !existing.snapshot || onlineFilesOutdated(existing, root))) {
    const meta: Record<string, { version: number }> = {};
    for (const [name, version] of previousMeta) meta[name] = { version };
    for (const file of delegated) meta[`${file.role}.json`] = { version: file.version };
    if (!meta['targets.json']) throw new TufChainError('a new repository needs targets metadata; nothing was written');
    const signed = buildTufSnapshot({
      version: nextSnapshotVersion(existing, warnings),
      expires: options.expires?.snapshot ?? tufExpires(now, options.expiryDays?.snapshot ?? 7),
      specVersion,
      meta,
    });
    snapshot = parseRoleFile('snapshot', signTufRole('snapshot', signed, roleKeysFromRoot(root.signed, 'snapshot'), options.onlineKeys ?? []));
  }
  if (snapshot) checkSnapshot(snapshot, existing, delegated);

  let timestamp = files.get('timestamp') ?? null;
  if (!timestamp && snapshot && snapshot !== existing.snapshot) {
    const signed = buildTufTimestamp({
      version: (existing.timestamp?.version ?? 0) + 1,
      expires: options.expires?.timestamp ?? tufExpires(now, options.expiryDays?.timestamp ?? 1),
      specVersion,
      snapshotBytes: snapshot.bytes,
      snapshotVersion: snapshot.version,
    });
    timestamp = parseRoleFile('timestamp', signTufRole('timestamp', signed, roleKeysFromRoot(root.signed, 'timestamp'), options.onlineKeys ?? []));
  }
  if (timestamp) checkTimestamp(timestamp, snapshot ?? existing.snapshot, existing);
  if (snapshot && !timestamp) throw new TufChainError('a new snapshot needs a new timestamp (sign it offline or give the timestamp --online-key); nothing was written');

  const toVerify = new Map<string, Uint8Array>(delegated.map((f) => [f.role, f.bytes]));
  if (snapshot && snapshot !== existing.snapshot) toVerify.set('snapshot', snapshot.bytes);
  if (timestamp) toVerify.set('timestamp', timestamp.bytes);
  await verifyPublishSet({
    previousRoot: existing.newestRoot?.bytes ?? null,
    root: root.bytes,
    rootIsNew: root !== existing.newestRoot,
    files: toVerify,
    published: async (role) => {
      const version = previousMeta.get(`${role}.json`);
      const name = version === undefined ? `${role}.json` : `${version}.${role}.json`;
      return readFileCapped(path.join(dir, name), LIMITS.targetsBytes);
    },
    now,
  });

  const plan: PlannedWrite[] = [];
  const rootFile = files.get('root');
  if (rootFile) plan.push({ name: `${rootFile.version}.root.json`, bytes: rootFile.bytes, versioned: true }, { name: 'root.json', bytes: rootFile.bytes, versioned: false });
  for (const file of delegated) {
    plan.push({ name: `${file.version}.${file.role}.json`, bytes: file.bytes, versioned: true });
    if (!consistent) plan.push({ name: `${file.role}.json`, bytes: file.bytes, versioned: false });
  }
  if (snapshot && snapshot !== existing.snapshot) {
    plan.push({ name: `${snapshot.version}.snapshot.json`, bytes: snapshot.bytes, versioned: true });
    if (!consistent) plan.push({ name: 'snapshot.json', bytes: snapshot.bytes, versioned: false });
  }
  if (timestamp) plan.push({ name: 'timestamp.json', bytes: timestamp.bytes, versioned: false });
  else warnings.push('snapshot and timestamp were not re-signed (no online keys given and none in the bundle)');

  const unchanged = await precheck(dir, plan);
  options.onStage?.('checked');
  let targetFiles: TargetFilesResult | undefined;
  if (options.targets) {
    // Every check above passed and no metadata is written yet: the target files go first, so a
    // client never sees metadata naming a target that is not there.
    const roles = await targetRoles(dir, delegated, snapshot ?? existing.snapshot, consistent);
    const planned = await planTargetFiles(collectTargets(roles), options.targets.sourceDir, path.join(dir, 'targets'), { consistentSnapshot: consistent });
    targetFiles = await planned.write();
    options.onStage?.('targets-written');
  }
  const result = { ...(await execute(dir, plan, unchanged)), snapshotVersion: snapshot?.version ?? null, timestampVersion: timestamp?.version ?? null, warnings };
  return targetFiles ? { ...result, targetFiles } : result;
}

/** The targets-type roles after this publish: the bundle's, plus the published ones the snapshot lists and the bundle does not replace. */
async function targetRoles(dir: string, delegated: ParsedRoleFile[], snapshot: ParsedRoleFile | null, consistent: boolean): Promise<{ role: string; signed: JsonObject }[]> {
  const roles: { role: string; signed: JsonObject }[] = delegated.map((f) => ({ role: f.role, signed: f.signed }));
  for (const [name, version] of snapshotMeta(snapshot?.signed)) {
    const role = name.replace(/\.json$/, '');
    if (roles.some((r) => r.role === role)) continue;
    const bytes = (consistent ? await readFileCapped(path.join(dir, `${version}.${name}`), LIMITS.targetsBytes) : null) ?? (await readFileCapped(path.join(dir, name), LIMITS.targetsBytes));
    if (bytes === null) throw new TufChainError(`${dir}: the snapshot lists ${name} version ${version}, which is not there; repair the repository first`);
    roles.push({ role, signed: parseRoleFile(role, bytes).signed });
  }
  return roles;
}

/**
 * The version of a snapshot built here: above the published one AND above any `N.snapshot.json`
 * an interrupted publish wrote before it died (no timestamp names it, so no client ever trusted
 * it). Re-signing it under the same number would give other bytes (new expiry), which the
 * write-once rule refuses; skipping the number lets the interrupted publish simply be run again.
 */
function nextSnapshotVersion(existing: ExistingRepo, warnings: string[]): number {
  const published = existing.snapshot?.version ?? 0;
  const orphans = existing.snapshotFileVersions.filter((v) => v > published);
  for (const v of orphans) warnings.push(`snapshot version ${v} skipped: ${v}.snapshot.json was left by an interrupted publish (no timestamp names it)`);
  return Math.max(published, ...orphans) + 1;
}

/** The root to publish continues the chain on disk: same version with the same bytes, or exactly +1. */
function checkRoot(root: ParsedRoleFile | null, existing: ExistingRepo, dir: string): ParsedRoleFile {
  const newest = existing.newestRoot;
  if (!root) {
    if (!newest) throw new TufChainError(`${dir} holds no N.root.json and the bundle has no root: nothing to publish onto`);
    return newest;
  }
  const have = newest?.version ?? 0;
  if (root.version > have + 1) {
    throw new TufChainError(`root version ${root.version} does not follow ${have === 0 ? 'an empty repository (expected 1)' : `${have}.root.json (expected ${have + 1})`}; nothing was written`);
  }
  const expectedVersions = Array.from({ length: have }, (_, i) => i + 1);
  if (existing.rootVersions.join(',') !== expectedVersions.join(',')) {
    throw new TufChainError(`${dir} has an incomplete root history (${existing.rootVersions.join(', ')}); every N.root.json from 1 must be kept`);
  }
  return root.version === have + 1 ? root : (newest as ParsedRoleFile);
}

/**
 * True when the published snapshot or timestamp does not verify under the root in force: its keys
 * were rotated, by this publish or by an earlier one of the same root that died before re-signing
 * them (so a re-run finds the new root already on disk and still re-signs them).
 */
function onlineFilesOutdated(existing: ExistingRepo, root: ParsedRoleFile): boolean {
  return [existing.snapshot, existing.timestamp].some((file) => file !== null && !verifiesUnderRoot(file.role as 'snapshot' | 'timestamp', file.bytes, root.bytes));
}

function checkSnapshot(snapshot: ParsedRoleFile, existing: ExistingRepo, delegated: ParsedRoleFile[]): void {
  if (snapshot === existing.snapshot) return;
  const previous = existing.snapshot;
  if (previous && snapshot.version <= previous.version) throw new TufChainError(`snapshot version ${snapshot.version} does not go above the published ${previous.version}; nothing was written`);
  const now = snapshotMeta(snapshot.signed);
  for (const [name, version] of snapshotMeta(previous?.signed)) {
    const next = now.get(name);
    if (next === undefined) throw new TufChainError(`the new snapshot drops ${name}, which the published one lists; nothing was written`);
    if (next < version) throw new TufChainError(`the new snapshot lowers ${name} from version ${version} to ${next}; nothing was written`);
  }
  for (const file of delegated) {
    if (now.get(`${file.role}.json`) !== file.version) throw new TufChainError(`the snapshot does not list ${file.role}.json at version ${file.version}; nothing was written`);
  }
}

function checkTimestamp(timestamp: ParsedRoleFile, snapshot: ParsedRoleFile | null, existing: ExistingRepo): void {
  if (existing.timestamp && timestamp.version <= existing.timestamp.version) {
    throw new TufChainError(`timestamp version ${timestamp.version} does not go above the published ${existing.timestamp.version}; nothing was written`);
  }
  if (!snapshot || snapshotVersionOf(timestamp.signed) !== snapshot.version) {
    throw new TufChainError(`timestamp names snapshot version ${snapshotVersionOf(timestamp.signed)}, not the snapshot being published; nothing was written`);
  }
}

/** Checks every versioned name before anything is written: a conflict leaves the directory untouched. */
async function precheck(dir: string, plan: PlannedWrite[]): Promise<Set<string>> {
  const unchanged = new Set<string>();
  for (const write of plan) {
    if (!write.versioned) continue;
    const target = path.join(dir, write.name);
    const present = await readFileCapped(target, LIMITS.targetsBytes);
    if (!present) continue;
    if (Buffer.compare(present, write.bytes) !== 0) throw new VersionedFileConflictError(target);
    unchanged.add(write.name);
  }
  return unchanged;
}

/** Writes the plan in order (timestamp.json last), skipping versioned files already there. */
async function execute(dir: string, plan: PlannedWrite[], unchanged: Set<string>): Promise<{ written: string[]; unchanged: string[] }> {
  await ensureDir(dir);
  const written: string[] = [];
  for (const write of plan) {
    if (unchanged.has(write.name)) continue;
    // Published metadata is public: world-readable, unlike the workspace's 0600 files.
    await writeFileAtomic(path.join(dir, write.name), write.bytes, { mode: 0o644 });
    written.push(write.name);
  }
  return { written, unchanged: [...unchanged] };
}


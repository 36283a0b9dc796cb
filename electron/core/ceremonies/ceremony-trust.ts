/**
 * The trust anchor of a ceremony (review finding F2): the root this workstation already trusts for
 * the request's repository — the workspace trusted state that `keyrite inspect` keeps (and that
 * exported ceremonies advance), or a root the operator pins with `--trusted-root FILE`. The request's
 * root chain must extend it (spec §5.3: every new root signed by the old AND new thresholds).
 */
import { createHash } from 'node:crypto';
import path from 'node:path';

import type { CeremonyEnv } from '../../../shared/ceremony';
import type { RepoState } from '../../../shared/ceremony/types';
import { parseMetadata } from '../../../shared/tuf/metadata';
import { repositoryId, repositoryIdentity } from '../workspace/repo-record';
import { Workspace } from '../workspace/workspace';
import { tufDisplayName } from '../sources/repository-name';
import { ensureDir, readFileCapped, writeFileAtomic } from '../fs/atomic-write';
import { ceremonyPaths } from '../journal';
import type { CeremonyService } from './ceremony-service';
import type { CeremonyState, PlanRecord } from './ceremony-state';
import { CeremonyJournalError, CeremonyPhaseError } from './errors';

const MAX_ROOT_BYTES = 1024 * 1024;

export interface TrustAnchor {
  rootBytes: Uint8Array;
  version: number;
  sha256: string;
  /** workspace: the trusted state of the repository; pinned: given by the operator for this ceremony. */
  source: 'workspace' | 'pinned';
  /** Trusted role versions (workspace only): a request below them is a rollback. */
  versions?: Record<string, number>;
}

/** What the ceremony service needs from the workspace's trusted state. */
export interface CeremonyTrustStore {
  trustedRoot(request: RepoState): Promise<TrustAnchor | null>;
  /** Makes `rootBytes` (version `version`) the trusted root of the request's repository. */
  advance(request: RepoState, rootBytes: Uint8Array, version: number, now: Date): Promise<void>;
}

/** A root file given by the operator, parsed as root metadata of the request's dialect. */
export function pinnedAnchor(bytes: Uint8Array, dialect: RepoState['dialect'], source: string): TrustAnchor {
  let version: number;
  try {
    version = parseMetadata(bytes, { expectedType: 'root', dialect }).signed.version;
  } catch (error) {
    throw new CeremonyPhaseError(`${source} is not ${dialect} root metadata: ${(error as Error).message}`);
  }
  return { rootBytes: bytes, version, sha256: sha256Hex(bytes), source: 'pinned' };
}

/**
 * The workspace's repos/<id>/trusted.json store, addressed as `keyrite inspect` addresses it:
 * Notary by GUN, TUF by location (the directory, or the metadata URL).
 */
export class WorkspaceTrustStore implements CeremonyTrustStore {
  private readonly workspace: Workspace;

  constructor(workspaceDir: string) {
    this.workspace = new Workspace(workspaceDir);
  }

  async trustedRoot(request: RepoState): Promise<TrustAnchor | null> {
    for (const id of repositoryIds(request)) {
      const trusted = await this.workspace.readTrusted(id);
      if (trusted?.rootBytes) return { rootBytes: trusted.rootBytes, version: trusted.rootVersion, sha256: sha256Hex(trusted.rootBytes), source: 'workspace', versions: { ...trusted.versions } };
    }
    return null;
  }

  async advance(request: RepoState, rootBytes: Uint8Array, version: number, now: Date): Promise<void> {
    const ids = repositoryIds(request);
    let id = ids[0]!;
    let previous = null;
    for (const candidate of ids) {
      previous = await this.workspace.readTrusted(candidate);
      if (previous) {
        id = candidate;
        break;
      }
    }
    // Never move trust backwards (an older ceremony exported late).
    if (previous && previous.rootVersion > version) return;
    const versions = { ...(previous?.versions ?? {}), root: Math.max(previous?.versions['root'] ?? 0, version) };
    await this.workspace.writeTrusted(id, { rootVersion: version, rootBytes, versions }, new Map([[version, rootBytes]]), now);
  }
}

/** Workspace ids the repository may live under (inspect's naming; TUF URLs with and without "/"). */
export function repositoryIds(request: RepoState): string[] {
  const src = request.source;
  if (request.dialect === 'notary-v1') {
    const gun = src.kind === 'notary-server' ? src.gun : request.name;
    return [repositoryId(gun, repositoryIdentity('notary-v1', gun, ''))];
  }
  const locations = src.kind === 'tuf-dir' ? [src.path] : src.kind === 'tuf-url' ? [src.url.endsWith('/') ? src.url : `${src.url}/`, src.url] : [];
  const ids: string[] = [];
  for (const location of locations) {
    for (const name of [tufDisplayName(location), request.name]) {
      const id = repositoryId(name, repositoryIdentity('tuf-1.0', name, location));
      if (!ids.includes(id)) ids.push(id);
    }
  }
  return ids;
}

function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** The env a ceremony's request is verified in: its clock and the trust anchor it started with. */
export async function anchoredEnv(service: CeremonyService, id: string, state: CeremonyState, now: Date): Promise<CeremonyEnv> {
  const anchor = await storedAnchor(service, id, state);
  const versions = state.plan.trustedRoot?.versions;
  return anchor ? { ...service.env(now), trustedRoot: anchor, ...(versions ? { trustedVersions: versions } : {}) } : service.env(now);
}

/** The trusted root a ceremony started from (trusted-root.json, checked against the plan entry). */
export async function storedAnchor(service: CeremonyService, id: string, state: CeremonyState): Promise<Uint8Array | null> {
  const pinned = state.plan.trustedRoot;
  if (!pinned) return null;
  const bytes = await readFileCapped(path.join(ceremonyPaths(service.deps.workspaceDir, id).dir, 'trusted-root.json'), MAX_ROOT_BYTES);
  if (bytes === null || sha256Hex(bytes) !== pinned.sha256) throw new CeremonyJournalError(`ceremony ${id}: trusted-root.json is missing or does not match the hash in the journal`);
  return bytes;
}

/** Keeps the anchor's exact bytes beside request.json (resume verifies from the same root). */
export async function storeAnchor(service: CeremonyService, id: string, anchor: TrustAnchor | null): Promise<NonNullable<PlanRecord['trustedRoot']> | null> {
  if (!anchor) return null;
  const dir = ceremonyPaths(service.deps.workspaceDir, id).dir;
  await ensureDir(dir);
  await writeFileAtomic(path.join(dir, 'trusted-root.json'), anchor.rootBytes);
  return { sha256: anchor.sha256, version: anchor.version, source: anchor.source, ...(anchor.versions ? { versions: anchor.versions } : {}) };
}

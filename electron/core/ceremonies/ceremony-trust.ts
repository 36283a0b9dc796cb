/**
 * The trust anchor of a ceremony (review finding F2): the root this workstation already trusts for
 * the request's repository — the workspace trusted state that `keyrite inspect` keeps (and that
 * exported ceremonies advance), or a root the operator pins with `--trusted-root FILE`. The request's
 * root chain must extend it (spec §5.3: every new root signed by the old AND new thresholds).
 */
import { createHash } from 'node:crypto';

import type { RepoState } from '../../../shared/ceremony/types';
import { parseMetadata } from '../../../shared/tuf/metadata';
import { repositoryId, repositoryIdentity } from '../workspace/repo-record';
import { Workspace } from '../workspace/workspace';
import { tufDisplayName } from '../sources/repository-name';
import { CeremonyPhaseError } from './errors';

export interface TrustAnchor {
  rootBytes: Uint8Array;
  version: number;
  sha256: string;
  /** workspace: the trusted state of the repository; pinned: given by the operator for this ceremony. */
  source: 'workspace' | 'pinned';
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
      if (trusted?.rootBytes) return { rootBytes: trusted.rootBytes, version: trusted.rootVersion, sha256: sha256Hex(trusted.rootBytes), source: 'workspace' };
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

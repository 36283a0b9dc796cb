import { promises as fsp } from 'node:fs';
import path from 'node:path';

import type { RepoState, TargetChange } from '../../../shared/ceremony/types';
import { PUBLISH_LOCK_NAME } from '../publish/tuf-dir-lock';
import { SourceFormatError } from '../sources/errors';
import { loadMetadataDirectory } from '../sources/metadata-dir';
import { loadTufUrl } from '../sources/tuf-url';
import { completeRootHistory, encodeFiles, requestStamp, type PullDeps } from './repo-state';

/** `http(s)://…` is a URL; anything else is a directory. */
export function isHttpUrl(value: string): boolean {
  return /^https?:\/\//i.test(value);
}

/**
 * Pulls a TUF repository (metadata base URL, repository root with `metadata/`, or a directory)
 * for a ceremony: current metadata and every N.root.json from 1. A URL goes through the injected
 * policy-checked client, so air-gapped mode refuses it; a directory needs no network.
 */
export async function pullTuf(urlOrDir: string, deps: PullDeps, options: { targetChanges?: TargetChange[] } = {}): Promise<RepoState> {
  const url = isHttpUrl(urlOrDir);
  const loadOptions = deps.signal ? { signal: deps.signal } : {};
  if (!url && (await isAbsentOrEmptyDir(urlOrDir))) return newTufRepository(urlOrDir, deps, options);
  const input = url ? await loadTufUrl(urlOrDir, deps.http, loadOptions) : await loadMetadataDirectory(urlOrDir, loadOptions);
  if (input.dialect !== 'tuf-1.0') {
    throw new SourceFormatError(`${urlOrDir} holds Notary metadata, not TUF 1.0: pull it from its server with --server URL --gun GUN`);
  }
  if (input.unavailable && input.unavailable.length > 0) {
    throw new SourceFormatError(`${urlOrDir} is missing ${input.unavailable.join(', ')}: a ceremony needs every role`);
  }
  return {
    dialect: 'tuf-1.0',
    name: input.name,
    source: url ? { kind: 'tuf-url', url: urlOrDir } : { kind: 'tuf-dir', path: path.resolve(urlOrDir) },
    files: encodeFiles(input.files),
    rootHistory: completeRootHistory(input, input.source.location),
    serverKeys: {},
    ...(options.targetChanges ? { targetChanges: options.targetChanges } : {}),
    ...requestStamp(deps),
  };
}

/** A directory that does not exist yet (or is empty) is where a new repository will be published. */
/** No directory, or nothing in it but the lock a first publish killed before writing left behind. */
async function isAbsentOrEmptyDir(dir: string): Promise<boolean> {
  try {
    return (await fsp.readdir(dir)).every((name) => name === PUBLISH_LOCK_NAME);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return true;
    throw error;
  }
}

function newTufRepository(dir: string, deps: PullDeps, options: { targetChanges?: TargetChange[] }): RepoState {
  const resolved = path.resolve(dir);
  return {
    dialect: 'tuf-1.0',
    name: path.basename(resolved),
    source: { kind: 'tuf-dir', path: resolved },
    files: {},
    rootHistory: [],
    serverKeys: {},
    ...(options.targetChanges ? { targetChanges: options.targetChanges } : {}),
    ...requestStamp(deps),
  };
}

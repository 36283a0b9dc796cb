import { promises as fsp } from 'node:fs';
import path from 'node:path';

import type { RepositoryInput } from '../../../shared/inspection/input';
import { SourceFormatError, SourceUnavailableError } from './errors';
import { DirectoryReader } from './metadata-reader';
import { signedOf } from './peek-json';
import { inferGun, tufDisplayName } from './repository-name';
import { RepositoryWalker } from './walk-repository';

export interface LoadOptions {
  signal?: AbortSignal;
  onFile?: (name: string, filesRead: number) => void;
  /** See WalkOptions.deferDelegationsFrom (directory sources). */
  deferDelegationsFrom?: number;
}

/**
 * A directory of metadata: Notary's `<role>.json` (delegations nested: `targets/releases.json`),
 * or a TUF repository (`metadata/` or a flat dir with `N.root.json` history and consistent-snapshot
 * names). The dialect decides the source kind: `metadata-dir` (Notary) or `tuf-dir`.
 */
export async function loadMetadataDirectory(dir: string, options: LoadOptions & { gun?: string } = {}): Promise<RepositoryInput> {
  const metadataDir = await resolveMetadataDir(dir);
  const reader = new DirectoryReader(metadataDir);
  const walked = await new RepositoryWalker(reader, { rootHistory: 'list', ...options }).walk();
  const root = signedOf(walked.root);
  const notary = walked.dialect === 'notary-v1';
  const name = options.gun ?? (notary ? inferGun(metadataDir, root) : null) ?? tufDisplayName(path.resolve(dir));
  return {
    source: { kind: notary ? 'metadata-dir' : 'tuf-dir', location: path.resolve(dir) },
    dialect: walked.dialect,
    name,
    files: walked.files,
    rootHistory: walked.rootHistory,
    unavailable: walked.unavailable,
    ...(walked.deferred.length > 0 ? { deferred: { directory: metadataDir, roles: walked.deferred } } : {}),
  };
}

/** `dir/metadata` when present (TUF repository layout), else `dir` itself. */
export async function resolveMetadataDir(dir: string): Promise<string> {
  await assertDirectory(dir);
  const nested = path.join(dir, 'metadata');
  const candidate = (await isDirectory(nested)) ? nested : dir;
  const entries = await fsp.readdir(candidate);
  if (!entries.some((entry) => entry === 'root.json' || /^[1-9][0-9]*\.root\.json$/.test(entry))) {
    throw new SourceFormatError(
      `no root.json or N.root.json in ${candidate}: point at a metadata directory, a trust dir ` +
        '(~/.docker/trust or ~/.notary) or a TUF repository directory',
    );
  }
  return candidate;
}

export async function assertDirectory(dir: string): Promise<void> {
  let stat;
  try {
    stat = await fsp.stat(dir);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'does not exist' : code === 'EACCES' ? 'is not readable (permission denied)' : (error as Error).message;
    throw new SourceUnavailableError(`directory ${dir} ${why}`, { cause: error });
  }
  if (!stat.isDirectory()) throw new SourceUnavailableError(`${dir} is not a directory`);
}

export async function isDirectory(dir: string): Promise<boolean> {
  try {
    return (await fsp.stat(dir)).isDirectory();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' || (error as NodeJS.ErrnoException).code === 'ENOTDIR') return false;
    throw error;
  }
}

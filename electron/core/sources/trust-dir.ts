import { promises as fsp } from 'node:fs';
import path from 'node:path';

import type { RepositoryInput } from '../../../shared/inspection/input';
import { gunSegments, isSafeGun } from '../fs/safe-names';
import { GunNotInTrustDirError, SourceFormatError } from './errors';
import { LIMITS } from './limits';
import type { LoadOptions } from './metadata-dir';
import { assertDirectory, isDirectory } from './metadata-dir';
import { DirectoryReader } from './metadata-reader';
import { listPrivateKeys } from './private-keys';
import { RepositoryWalker } from './walk-repository';

/** A Docker/Notary trust dir (`~/.docker/trust`, `~/.notary`): has `tuf/` and usually `private/`. */
export async function isTrustDir(dir: string): Promise<boolean> {
  return isDirectory(path.join(dir, 'tuf'));
}

/** Every GUN with `tuf/<gun>/metadata/root.json`, sorted. */
export async function discoverGuns(trustDir: string): Promise<string[]> {
  const tufDir = path.join(trustDir, 'tuf');
  const guns: string[] = [];
  const visit = async (dir: string, segments: string[]): Promise<void> => {
    if (segments.length > LIMITS.gunDepth || guns.length >= LIMITS.guns) return;
    const entries = await fsp.readdir(dir, { withFileTypes: true });
    for (const entry of entries) {
      if (!entry.isDirectory()) continue;
      const full = path.join(dir, entry.name);
      if (entry.name === 'metadata' && segments.length > 0) {
        const gun = segments.join('/');
        if (isSafeGun(gun) && (await fileExists(path.join(full, 'root.json')))) guns.push(gun);
      } else if (entry.name !== 'changelist') {
        await visit(full, [...segments, entry.name]);
      }
    }
  };
  await visit(tufDir, []);
  return guns.sort();
}

/**
 * Loads every GUN of a trust dir (or just `gun`), each with the private keys that can sign for it:
 * keys bound to that GUN plus GUN-less ones (root and delegation keys).
 */
export async function loadTrustDir(dir: string, options: LoadOptions & { gun?: string } = {}): Promise<RepositoryInput[]> {
  await assertDirectory(dir);
  const trustDir = path.resolve(dir);
  const available = await discoverGuns(trustDir);
  if (available.length === 0) {
    throw new SourceFormatError(`trust dir ${trustDir} holds no repository (no tuf/<gun>/metadata/root.json); run "notary pull"/"docker trust inspect" first or pick a metadata directory`);
  }
  const wanted = options.gun === undefined ? available : [options.gun];
  if (options.gun !== undefined && !available.includes(options.gun)) throw new GunNotInTrustDirError(options.gun, available);
  const keys = await listPrivateKeys(trustDir);
  const inputs: RepositoryInput[] = [];
  for (const gun of wanted) {
    const metadataDir = path.join(trustDir, 'tuf', ...gunSegments(gun), 'metadata');
    const walked = await new RepositoryWalker(new DirectoryReader(metadataDir), { rootHistory: 'list', ...walkOptions(options) }).walk();
    inputs.push({
      source: { kind: 'trust-dir', location: trustDir },
      dialect: walked.dialect,
      name: gun,
      files: walked.files,
      rootHistory: walked.rootHistory,
      unavailable: walked.unavailable,
      privateKeys: keys.filter((key) => key.gun === null || key.gun === gun),
    });
  }
  return inputs;
}

function walkOptions(options: LoadOptions): LoadOptions {
  return { ...(options.signal ? { signal: options.signal } : {}), ...(options.onFile ? { onFile: options.onFile } : {}) };
}

async function fileExists(file: string): Promise<boolean> {
  try {
    return (await fsp.stat(file)).isFile();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
}

import { constants as fsConstants, promises as fsp } from 'node:fs';
import path from 'node:path';

import { ensureDir, fsyncDir } from '../fs/atomic-write';
import { BundleRejectedError } from './errors';
import type { BundleLimits } from './limits';
import { readBundle } from './read-bundle';
import { openZip, readZipEntry } from './zip-read';
import { resolveLimits } from './limits';
import { writeFileAtomic } from '../fs/atomic-write';

/** The extraction target already exists: extraction only ever goes into a fresh directory. */
export class ExtractTargetExistsError extends Error {
  override readonly name = 'ExtractTargetExistsError';
}

/**
 * Extracts a bundle for people and other tools to look at. The whole bundle is read and checked
 * first (readBundle: nothing is written if anything is wrong); then `destDir` is created (it must
 * not exist) and every file is created with O_EXCL (never following or replacing anything), only
 * regular files, fsync'd. Returns the relative paths written.
 */
export async function extractBundle(bytes: Uint8Array, destDir: string, limitOverrides: Partial<BundleLimits> = {}): Promise<string[]> {
  const limits = resolveLimits(limitOverrides);
  await readBundle(bytes, limits);
  const root = path.resolve(destDir);
  await ensureDir(path.dirname(root));
  try {
    await fsp.mkdir(root, { mode: 0o700 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') throw new ExtractTargetExistsError(`${root} already exists; extract into a new directory`);
    throw error;
  }
  await fsyncDir(path.dirname(root));
  const { zip, entries } = await openZip(bytes, limits);
  const written: string[] = [];
  try {
    for (const info of entries) {
      const data = await readZipEntry(zip, info);
      const target = path.resolve(root, ...info.name.split('/'));
      // Names were checked already; this is the belt to those braces.
      if (!target.startsWith(root + path.sep)) throw new BundleRejectedError('PATH_TRAVERSAL', 'resolves outside the extraction directory', info.name);
      const dir = path.dirname(target);
      if (dir !== root) await fsp.mkdir(dir, { recursive: true, mode: 0o700 });
      const handle = await fsp.open(target, fsConstants.O_WRONLY | fsConstants.O_CREAT | fsConstants.O_EXCL | (fsConstants.O_NOFOLLOW ?? 0), 0o600);
      try {
        await handle.writeFile(data);
        await handle.sync();
      } finally {
        await handle.close();
      }
      await fsyncDir(dir);
      written.push(info.name);
    }
  } finally {
    zip.close();
  }
  return written.sort();
}

/**
 * Keeps a verified bundle in the workspace as `bundles/<sha256>.zip` (content-addressed: importing
 * the same bundle twice is a no-op). Returns where it is. Nothing is written for a refused bundle.
 */
export async function importBundle(workspaceDir: string, bytes: Uint8Array, limits: Partial<BundleLimits> = {}): Promise<{ sha256: string; path: string }> {
  const bundle = await readBundle(bytes, limits);
  const dir = path.join(workspaceDir, 'bundles');
  const target = path.join(dir, `${bundle.sha256}.zip`);
  await ensureDir(dir);
  const existing = await fsp.stat(target).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return null;
    throw error;
  });
  if (existing === null) await writeFileAtomic(target, bytes);
  return { sha256: bundle.sha256, path: target };
}

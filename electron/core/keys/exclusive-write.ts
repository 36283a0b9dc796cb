import { randomBytes } from 'node:crypto';
import { constants as fsConstants, promises as fsp } from 'node:fs';
import path from 'node:path';

import { ensureDir, fsyncDir } from '../fs/atomic-write';
import { KeyFileExistsError } from './errors';

/**
 * Creates `filePath` with `data` durably and WITHOUT ever replacing an existing file
 * (security.md §5: never overwrite the only copy of a key). The bytes go to an O_EXCL temp file in
 * the same directory and are fsynced; `link()` then publishes them under the final name — it fails
 * with EEXIST rather than clobbering, unlike rename — and the directory is fsynced. A reader sees
 * either no file or the complete file, never a partial one.
 */
export async function writeFileExclusive(filePath: string, data: Uint8Array | string, mode = 0o600): Promise<void> {
  const dir = path.dirname(filePath);
  await ensureDir(dir);
  const tmp = path.join(dir, `.${path.basename(filePath)}.${randomBytes(6).toString('hex')}.tmp`);
  const handle = await fsp.open(tmp, fsConstants.O_WRONLY | fsConstants.O_CREAT | fsConstants.O_EXCL, mode);
  try {
    try {
      await handle.writeFile(typeof data === 'string' ? Buffer.from(data, 'utf8') : data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    try {
      await fsp.link(tmp, filePath);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') throw new KeyFileExistsError(filePath);
      throw error;
    }
  } finally {
    // The temp name is only a staging link; the data lives on under filePath (or nowhere on failure).
    await fsp.rm(tmp, { force: true });
  }
  await fsyncDir(dir);
}

/**
 * Moves a file to `destination` without replacing anything there: link to the new name, fsync
 * that directory, then unlink the old name and fsync its directory. A crash in between leaves two
 * names for the same bytes, never zero.
 */
export async function moveFileExclusive(source: string, destination: string): Promise<void> {
  await ensureDir(path.dirname(destination));
  try {
    await fsp.link(source, destination);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') throw new KeyFileExistsError(destination);
    throw error;
  }
  await fsyncDir(path.dirname(destination));
  await fsp.unlink(source);
  await fsyncDir(path.dirname(source));
}

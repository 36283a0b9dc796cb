import { randomBytes } from 'node:crypto';
import { constants as fsConstants, promises as fsp } from 'node:fs';
import path from 'node:path';

/** A file exceeded the size cap before it was read (security.md §6 #25: cap before parsing). */
export class FileTooLargeError extends Error {
  override readonly name = 'FileTooLargeError';
  constructor(
    readonly filePath: string,
    readonly limit: number,
  ) {
    super(`${filePath} is larger than the ${limit}-byte limit; refusing to read it`);
  }
}

/** The atomic write failed; the previous file (if any) is untouched. */
export class AtomicWriteError extends Error {
  override readonly name = 'AtomicWriteError';
  constructor(
    readonly filePath: string,
    options: { cause: unknown },
  ) {
    super(`could not write ${filePath}: ${describeCause(options.cause)}`, options);
  }
}

function describeCause(cause: unknown): string {
  return cause instanceof Error ? cause.message : String(cause);
}

export interface AtomicWriteOptions {
  /** File mode of the new file (default 0o600: the workspace holds trust decisions). */
  mode?: number;
}

/**
 * Durable atomic replace (security.md §5): write a temp file created with O_EXCL in the same
 * directory, fsync it, rename it over the target, then fsync the directory so the rename itself
 * survives a power cut. Never delete-then-write: at every instant either the old or the new
 * complete file is on disk. The temp file is removed when anything fails.
 */
export async function writeFileAtomic(filePath: string, data: Uint8Array | string, options: AtomicWriteOptions = {}): Promise<void> {
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  await replaceAtomically(filePath, (handle) => handle.writeFile(bytes), options);
}

/**
 * writeFileAtomic for content made piece by piece (a 100 MB report): each piece is written as it
 * comes, so the caller can produce them across event-loop turns instead of building one string.
 */
export async function writeFileAtomicChunks(
  filePath: string,
  chunks: AsyncIterable<Uint8Array | string> | Iterable<Uint8Array | string>,
  options: AtomicWriteOptions = {},
): Promise<void> {
  await replaceAtomically(
    filePath,
    async (handle) => {
      // writeFile on an open handle continues at the current position and loops over short writes.
      for await (const chunk of chunks) await handle.writeFile(chunk);
    },
    options,
  );
}

async function replaceAtomically(filePath: string, write: (handle: fsp.FileHandle) => Promise<unknown>, options: AtomicWriteOptions): Promise<void> {
  const dir = path.dirname(filePath);
  const tmp = path.join(dir, `.${path.basename(filePath)}.${randomBytes(6).toString('hex')}.tmp`);
  let created = false;
  try {
    const handle = await fsp.open(tmp, fsConstants.O_WRONLY | fsConstants.O_CREAT | fsConstants.O_EXCL, options.mode ?? 0o600);
    created = true;
    try {
      await write(handle);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await renameWithRetry(tmp, filePath);
    created = false;
    await fsyncDir(dir);
  } catch (error) {
    if (created) await removeTemp(tmp, error);
    throw new AtomicWriteError(filePath, { cause: error });
  }
}

async function removeTemp(tmp: string, original: unknown): Promise<void> {
  try {
    await fsp.rm(tmp, { force: true });
  } catch (cleanupError) {
    // The write already failed; report both so a stray temp file is explainable.
    throw new AggregateError([original, cleanupError], `could not remove temp file ${tmp}`);
  }
}

/** Windows may hold the target briefly (antivirus, indexer): retry, never fall back to delete-then-write. */
async function renameWithRetry(from: string, to: string): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      await fsp.rename(from, to);
      return;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (process.platform !== 'win32' || (code !== 'EPERM' && code !== 'EBUSY') || attempt >= 10) throw error;
      await new Promise((resolve) => setTimeout(resolve, 20 * (attempt + 1)));
    }
  }
}

/** fsync the directory so the rename is durable. Windows cannot open directories; it journals renames. */
export async function fsyncDir(dir: string): Promise<void> {
  if (process.platform === 'win32') return;
  const handle = await fsp.open(dir, fsConstants.O_RDONLY);
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** mkdir -p, then fsync the parent so the new directory entry is durable too. */
export async function ensureDir(dir: string): Promise<void> {
  const created = await fsp.mkdir(dir, { recursive: true, mode: 0o700 });
  if (created !== undefined) await fsyncDir(path.dirname(dir));
}

/**
 * Reads a regular file of at most `maxBytes`. The size is checked before reading and the read
 * itself is bounded, so a file that grows while we read cannot blow the cap either.
 * Returns null when the file does not exist.
 */
export async function readFileCapped(filePath: string, maxBytes: number): Promise<Uint8Array | null> {
  let handle: fsp.FileHandle;
  try {
    handle = await fsp.open(filePath, fsConstants.O_RDONLY);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  try {
    const stat = await handle.stat();
    if (!stat.isFile()) throw new NotAFileError(filePath);
    if (stat.size > maxBytes) throw new FileTooLargeError(filePath, maxBytes);
    // Not zero-filled (perf: 820 MB of PEP 458 bins): only the `total` bytes read are handed out.
    const buffer = Buffer.allocUnsafeSlow(Math.min(stat.size, maxBytes) + 1);
    let total = 0;
    for (;;) {
      const { bytesRead } = await handle.read(buffer, total, buffer.length - total, total);
      if (bytesRead === 0) break;
      total += bytesRead;
      if (total > maxBytes) throw new FileTooLargeError(filePath, maxBytes);
      if (total === buffer.length) break;
    }
    return new Uint8Array(buffer.buffer, buffer.byteOffset, total);
  } finally {
    await handle.close();
  }
}

export class NotAFileError extends Error {
  override readonly name = 'NotAFileError';
  constructor(readonly filePath: string) {
    super(`${filePath} is not a regular file`);
  }
}

/** Reads and JSON-parses a capped file; null when absent. */
export async function readJsonCapped(filePath: string, maxBytes: number): Promise<unknown> {
  const bytes = await readFileCapped(filePath, maxBytes);
  if (bytes === null) return null;
  return JSON.parse(Buffer.from(bytes).toString('utf8')) as unknown;
}

import { promises as fsp } from 'node:fs';
import path from 'node:path';

import { FileTooLargeError, NotAFileError, readFileCapped } from '../fs/atomic-write';
import { safeSegments } from '../fs/safe-names';
import { HttpBodyTooLargeError, type HttpGetter } from '../net/http-fetch';
import { SourceUnavailableError } from './errors';

/**
 * Where a repository's metadata files live: a directory or an HTTP base URL. Names are
 * `/`-separated relative names such as `root.json`, `3.root.json`, `targets/releases.json`.
 */
export interface MetadataReader {
  readonly location: string;
  /** The exact bytes, or null when the file does not exist. Throws on anything else. */
  read(name: string, maxBytes: number, signal?: AbortSignal): Promise<Uint8Array | null>;
}

export class DirectoryReader implements MetadataReader {
  constructor(readonly location: string) {}

  async read(name: string, maxBytes: number): Promise<Uint8Array | null> {
    // Every segment is validated, so the joined path cannot leave `location`.
    const file = path.join(this.location, ...safeSegments(name));
    try {
      return await readFileCapped(file, maxBytes);
    } catch (error) {
      if (error instanceof FileTooLargeError || error instanceof NotAFileError) throw error;
      throw new SourceUnavailableError(`cannot read ${file}: ${(error as Error).message}`, { cause: error });
    }
  }

  /** Versions N of the `N.<base>.json` files in the directory (e.g. root history). */
  async versionsOf(base: string): Promise<number[]> {
    const pattern = new RegExp(`^([1-9][0-9]{0,8})\\.${base.replace(/[.]/g, '\\.')}\\.json$`);
    const entries = await fsp.readdir(this.location);
    return entries
      .map((entry) => pattern.exec(entry)?.[1])
      .filter((n): n is string => n !== undefined)
      .map(Number)
      .sort((a, b) => a - b);
  }
}

export class HttpReader implements MetadataReader {
  readonly location: string;

  constructor(
    baseUrl: string,
    private readonly http: HttpGetter,
  ) {
    this.location = baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`;
  }

  async read(name: string, maxBytes: number, signal?: AbortSignal): Promise<Uint8Array | null> {
    const url = new URL(safeSegments(name).map(encodeURIComponent).join('/'), this.location).toString();
    try {
      return await this.http.get(url, signal ? { maxBytes, signal } : { maxBytes });
    } catch (error) {
      if (error instanceof HttpBodyTooLargeError) throw new FileTooLargeError(url, maxBytes);
      throw error;
    }
  }
}

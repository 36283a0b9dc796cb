/**
 * Hashes a target file for sign-targets as it streams (release images may be gigabytes; never
 * read whole into memory): length, SHA-256 and SHA-512 (Notary's client writes both; TUF clients
 * accept either).
 */
import { createHash } from 'node:crypto';
import { createReadStream, promises as fsp } from 'node:fs';

import { TargetFileError } from './errors';

export interface HashedTarget {
  length: number;
  sha256: string;
  sha512: string;
}

export async function hashTargetFile(filePath: string): Promise<HashedTarget> {
  const stat = await fsp.stat(filePath).catch((error: NodeJS.ErrnoException) => {
    throw new TargetFileError(error.code === 'ENOENT' ? `target file ${filePath} does not exist any more; choose it again` : `cannot read target file ${filePath}: ${error.message}`);
  });
  if (!stat.isFile()) throw new TargetFileError(`target file ${filePath} is not a regular file`);
  const sha256 = createHash('sha256');
  const sha512 = createHash('sha512');
  let length = 0;
  try {
    for await (const chunk of createReadStream(filePath, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
      sha256.update(chunk);
      sha512.update(chunk);
      length += chunk.length;
    }
  } catch (error) {
    throw new TargetFileError(`cannot read target file ${filePath}: ${error instanceof Error ? error.message : String(error)}`);
  }
  return { length, sha256: sha256.digest('hex'), sha512: sha512.digest('hex') };
}

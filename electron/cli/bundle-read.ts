import { FileTooLargeError, NotAFileError, readFileCapped } from '../core/fs/atomic-write';
import { DEFAULT_BUNDLE_LIMITS } from '../core/bundles';
import { CliUsageError } from './cli-io';

/** Reads a file named on the command line, capped at the bundle size limit; usage error (exit 2) if unreadable. */
export async function readInputFile(file: string, maxBytes = DEFAULT_BUNDLE_LIMITS.maxBundleBytes): Promise<Uint8Array> {
  let bytes: Uint8Array | null;
  try {
    bytes = await readFileCapped(file, maxBytes);
  } catch (error) {
    if (error instanceof FileTooLargeError || error instanceof NotAFileError) throw new CliUsageError(error.message);
    throw new CliUsageError(`cannot read ${file}: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (bytes === null) throw new CliUsageError(`${file}: no such file`);
  return bytes;
}

/** A zip (bundle) starts with a local file header; a journal starts with "{". */
export function looksLikeZip(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;
}

/** The 32 head words in rows of eight, for reading aloud. */
export function wordRows(words: readonly string[], indent: string): string {
  const rows: string[] = [];
  for (let i = 0; i < words.length; i += 8) rows.push(`${indent}${String(i + 1).padStart(2)}  ${words.slice(i, i + 8).join(' ')}`);
  return rows.join('\n');
}

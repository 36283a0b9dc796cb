import { crc32 } from 'node:zlib';

import yauzl from 'yauzl';

import { checkEntryName, checkUniqueNames } from './entry-names';
import { BundleRejectedError } from './errors';
import type { BundleLimits } from './limits';

/**
 * The zip layer of bundle import, on top of yauzl. Everything that can be decided from the
 * central directory (names, entry types, sizes, ratios, counts, overlaps) is decided before a
 * single byte is inflated; then each entry is inflated with its declared size enforced byte by
 * byte, its CRC-32 checked, and its local header name compared with the central directory's.
 */

export interface ZipEntryInfo {
  name: string;
  compressedSize: number;
  uncompressedSize: number;
  offset: number;
  entry: yauzl.Entry;
}

export interface OpenZip {
  zip: yauzl.ZipFile;
  entries: ZipEntryInfo[];
}

const S_IFMT = 0o170000;
const S_IFREG = 0o100000;
const S_IFDIR = 0o040000;
const S_IFLNK = 0o120000;
const FILE_TYPES: Record<number, string> = { 0o010000: 'FIFO', 0o020000: 'character device', 0o060000: 'block device', 0o140000: 'socket' };
/** Info-ZIP Unicode Path extra field: a second name some unzip tools prefer over the real one. */
const UNICODE_PATH_FIELD = 0x7075;
const utf8 = new TextDecoder('utf-8', { fatal: true });

export async function openZip(bytes: Uint8Array, limits: BundleLimits): Promise<OpenZip> {
  if (bytes.length > limits.maxBundleBytes) {
    throw new BundleRejectedError('BUNDLE_TOO_LARGE', `the bundle is ${bytes.length} bytes, above the ${limits.maxBundleBytes}-byte limit`);
  }
  let zip: yauzl.ZipFile;
  try {
    zip = await yauzl.fromBufferPromise(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length), {
      lazyEntries: true,
      // We decode and validate names ourselves, to refuse each bad name with its own precise code.
      decodeStrings: false,
      validateEntrySizes: true,
    });
  } catch (error) {
    throw new BundleRejectedError('NOT_A_ZIP', `not a readable zip file (${message(error)})`, undefined, { cause: error });
  }
  if (zip.entryCount > limits.maxEntries) {
    zip.close();
    throw new BundleRejectedError('ENTRY_COUNT', `the zip declares ${zip.entryCount} entries, above the limit of ${limits.maxEntries}`);
  }
  try {
    const entries = await listEntries(zip);
    checkEntries(entries, limits);
    return { zip, entries };
  } catch (error) {
    zip.close();
    throw error;
  }
}

async function listEntries(zip: yauzl.ZipFile): Promise<ZipEntryInfo[]> {
  const entries: ZipEntryInfo[] = [];
  await new Promise<void>((resolve, reject) => {
    zip.on('entry', (entry: yauzl.Entry) => {
      try {
        entries.push(describeEntry(entry));
        zip.readEntry();
      } catch (error) {
        reject(error instanceof Error ? error : new Error(String(error)));
      }
    });
    zip.on('end', () => resolve());
    zip.on('error', (error: Error) => {
      // yauzl refuses a stored entry whose two sizes differ while walking the directory.
      const code = /size mismatch/.test(error.message) ? 'DECLARED_SIZE_MISMATCH' : 'NOT_A_ZIP';
      const entry = entries.length < zip.entryCount ? `entry #${entries.length + 1}` : undefined;
      reject(new BundleRejectedError(code, `damaged central directory${entry === undefined ? '' : ` at ${entry}`} (${error.message})`, undefined, { cause: error }));
    });
    zip.readEntry();
  });
  return entries;
}

function describeEntry(entry: yauzl.Entry): ZipEntryInfo {
  const raw = entry.fileName as unknown as Buffer;
  let name: string;
  try {
    name = utf8.decode(raw);
  } catch (error) {
    throw new BundleRejectedError('BAD_NAME', `entry name is not UTF-8 (${message(error)})`, raw.toString('latin1'));
  }
  // Without the UTF-8 flag, unzip tools read non-ASCII names as CP437: they would see another name.
  if ((entry.generalPurposeBitFlag & 0x800) === 0 && /[\u0080-\uffff]/.test(name)) {
    throw new BundleRejectedError('BAD_NAME', 'non-ASCII entry name without the zip UTF-8 flag', name);
  }
  if (entry.extraFields.some((field) => field.id === UNICODE_PATH_FIELD)) {
    throw new BundleRejectedError('BAD_NAME', 'entry carries a second (Info-ZIP Unicode Path) name that other tools would use', name);
  }
  return { name, compressedSize: entry.compressedSize, uncompressedSize: entry.uncompressedSize, offset: entry.relativeOffsetOfLocalHeader, entry };
}

function checkEntries(entries: ZipEntryInfo[], limits: BundleLimits): void {
  let total = 0;
  for (const info of entries) {
    checkEntryName(info.name, limits.maxPathLength);
    checkEntryType(info);
    const { entry, name } = info;
    if (entry.isEncrypted()) throw new BundleRejectedError('ENCRYPTED', 'encrypted entries are not allowed', name);
    if (entry.compressionMethod !== 0 && entry.compressionMethod !== 8) {
      throw new BundleRejectedError('UNSUPPORTED_COMPRESSION', `compression method ${entry.compressionMethod} (only stored and deflate)`, name);
    }
    if (info.uncompressedSize > limits.maxEntryBytes) {
      throw new BundleRejectedError('ENTRY_TOO_LARGE', `declares ${info.uncompressedSize} bytes, above the ${limits.maxEntryBytes}-byte limit`, name);
    }
    total += info.uncompressedSize;
    if (total > limits.maxTotalBytes) {
      throw new BundleRejectedError('TOTAL_SIZE', `the entries add up to more than the ${limits.maxTotalBytes}-byte limit`, name);
    }
    if (info.uncompressedSize > limits.ratioFloorBytes && info.uncompressedSize > limits.maxCompressionRatio * Math.max(info.compressedSize, 1)) {
      const ratio = Math.round(info.uncompressedSize / Math.max(info.compressedSize, 1));
      throw new BundleRejectedError('COMPRESSION_RATIO', `compression ratio ${ratio}:1 is above the ${limits.maxCompressionRatio}:1 limit (a zip bomb)`, name);
    }
  }
  checkUniqueNames(entries.map((e) => e.name));
  checkNoSharedData(entries);
}

function checkEntryType({ entry, name }: ZipEntryInfo): void {
  const mode = entry.externalFileAttributes >>> 16;
  const type = mode & S_IFMT;
  if (type === S_IFLNK) throw new BundleRejectedError('LINK_ENTRY', 'symbolic link entries are not allowed', name);
  if (type === S_IFDIR || (entry.externalFileAttributes & 0x10) !== 0) throw new BundleRejectedError('DIRECTORY_ENTRY', 'directory entry', name);
  const special = FILE_TYPES[type];
  if (special !== undefined) throw new BundleRejectedError('DEVICE_ENTRY', `${special} entries are not allowed`, name);
  if (type !== 0 && type !== S_IFREG) throw new BundleRejectedError('DEVICE_ENTRY', `unknown file type 0o${type.toString(8)}`, name);
}

/**
 * Zip has no hard-link entry type; its equivalent is two central directory records pointing into
 * the same local data (the "overlapping files" zip bomb, and a way to make two names one file).
 */
function checkNoSharedData(entries: ZipEntryInfo[]): void {
  const byOffset = [...entries].sort((a, b) => a.offset - b.offset);
  for (let i = 1; i < byOffset.length; i++) {
    const prev = byOffset[i - 1] as ZipEntryInfo;
    const cur = byOffset[i] as ZipEntryInfo;
    // A local header is at least 30 bytes plus the name, then the compressed data.
    const prevEnd = prev.offset + 30 + Buffer.byteLength(prev.name) + prev.compressedSize;
    if (cur.offset < prevEnd) {
      throw new BundleRejectedError('HARDLINK_ENTRY', `shares its data with ${JSON.stringify(prev.name)} (overlapping entries: a zip hard link)`, cur.name);
    }
  }
}

/** Inflates one entry, enforcing its declared size, the limits, its CRC-32 and its local header name. */
export async function readZipEntry(zip: yauzl.ZipFile, info: ZipEntryInfo): Promise<Buffer> {
  const { name } = info;
  const local = await new Promise<{ fileName: Buffer }>((resolve, reject) => {
    zip.readLocalFileHeader(info.entry, (error, header) => (error ? reject(error) : resolve(header)));
  }).catch((error: unknown) => {
    throw new BundleRejectedError('CORRUPT_ENTRY', `unreadable local header (${message(error)})`, name, { cause: error });
  });
  if (!local.fileName.equals(info.entry.fileName as unknown as Buffer)) {
    throw new BundleRejectedError('LOCAL_HEADER_MISMATCH', `the local header names it ${JSON.stringify(local.fileName.toString('utf8'))}: tools that read local headers would see another file`, name);
  }
  const chunks: Buffer[] = [];
  let count = 0;
  try {
    const stream = await zip.openReadStreamPromise(info.entry);
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      count += chunk.length;
      // yauzl checks this too; counting here keeps the guarantee independent of its options.
      if (count > info.uncompressedSize) {
        (stream as { destroy?: () => void }).destroy?.();
        throw new BundleRejectedError('DECLARED_SIZE_MISMATCH', `inflates to more than the ${info.uncompressedSize} bytes it declares`, name);
      }
      chunks.push(chunk);
    }
  } catch (error) {
    if (error instanceof BundleRejectedError) throw error;
    const text = message(error);
    if (/bytes in the stream|size mismatch/.test(text)) {
      throw new BundleRejectedError('DECLARED_SIZE_MISMATCH', `actual size differs from the declared ${info.uncompressedSize} bytes (${text})`, name, { cause: error });
    }
    throw new BundleRejectedError('CORRUPT_ENTRY', `cannot be decompressed (${text})`, name, { cause: error });
  }
  if (count !== info.uncompressedSize) {
    throw new BundleRejectedError('DECLARED_SIZE_MISMATCH', `has ${count} bytes but declares ${info.uncompressedSize}`, name);
  }
  const data = Buffer.concat(chunks, count);
  if (crc32(data) !== info.entry.crc32) throw new BundleRejectedError('CORRUPT_ENTRY', 'CRC-32 mismatch: the entry is damaged', name);
  return data;
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

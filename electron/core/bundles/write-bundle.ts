import { createHash } from 'node:crypto';

import yazl from 'yazl';

import { BUNDLE_FORMAT, BUNDLE_FORMAT_VERSION, type BundleKind, type BundleManifest, type CollectedSignature } from '../../../shared/ceremony/types';
import { compareCodePoints } from '../../../shared/tuf/canonical-json';
import type { JsonObject } from '../../../shared/tuf/model';
import { readFileCapped, writeFileAtomic } from '../fs/atomic-write';
import { EquivocationError, JournalCorruptError, canonicalJsonLine, verifyJournal } from '../journal';
import { REQUIRED_PARTS, type BundleContent } from './content';
import { JOURNAL_ENTRY, MANIFEST_ENTRY, PROPOSAL_ENTRY, STATE_ENTRY, attestationEntryName, metadataEntryName, signatureEntryName } from './entry-names';
import { BundleRejectedError, BundleWriteError } from './errors';
import { readBundle } from './read-bundle';


/**
 * Builds a bundle in memory: deterministic (same content → same bytes on any machine: sorted
 * entries after manifest.json, fixed DOS timestamps and no extended-time fields, regular-file mode
 * 0644, deflate), and read back through readBundle() before it is returned, so we never hand out
 * a bundle our own importer would refuse.
 */
export async function writeBundle(kind: BundleKind, content: BundleContent): Promise<Buffer> {
  const entries = layout(kind, content);
  const manifest: BundleManifest = {
    format: BUNDLE_FORMAT,
    formatVersion: BUNDLE_FORMAT_VERSION,
    kind,
    repository: { dialect: content.repository.dialect, name: content.repository.name },
    createdAt: content.createdAt,
    nonce: content.nonce,
    entries: entries.map(({ path, bytes }) => ({ path, sha256: createHash('sha256').update(bytes).digest('hex'), length: bytes.length })),
    journalHead: journalHead(content.journal),
  };
  const zip = new yazl.ZipFile();
  // DOS time has no zone: yazl converts with local getters, so build the date from local fields
  // at write time (not at module load) and every machine, in any TZ, writes 1980-01-01 00:00.
  const options = { mtime: new Date(1980, 0, 1, 0, 0, 0), mode: 0o100644, compress: true, forceDosTimestamp: true };
  zip.addBuffer(canonicalJsonLine(manifest as unknown as JsonObject), MANIFEST_ENTRY, options);
  for (const { path, bytes } of entries) zip.addBuffer(bytes, path, options);
  zip.end();
  const chunks: Buffer[] = [];
  for await (const chunk of zip.outputStream as AsyncIterable<Buffer>) chunks.push(chunk);
  const bytes = Buffer.concat(chunks);
  try {
    await readBundle(bytes);
  } catch (error) {
    if (error instanceof BundleRejectedError) throw new BundleWriteError(`refusing to write a bundle our own reader rejects: ${error.message}`, { cause: error });
    throw error;
  }
  return bytes;
}

/**
 * Writes a bundle file atomically and durably (temp + fsync + rename + dir fsync), then reads it
 * back and compares the hash: a USB stick without a journal must not report a truncated file as
 * written (catalogue #41).
 */
export async function writeBundleFile(filePath: string, kind: BundleKind, content: BundleContent): Promise<{ bytes: Buffer; manifest: BundleManifest; sha256: string }> {
  const bytes = await writeBundle(kind, content);
  await writeFileAtomic(filePath, bytes, { mode: 0o644 });
  const back = await readFileCapped(filePath, bytes.length);
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  if (back === null || createHash('sha256').update(back).digest('hex') !== sha256) {
    throw new BundleWriteError(`${filePath} does not read back as written: the medium may be failing; write it again or use another one`);
  }
  const { manifest } = await readBundle(bytes);
  return { bytes, manifest, sha256 };
}

interface PlannedEntry {
  path: string;
  bytes: Buffer;
}

function layout(kind: BundleKind, content: BundleContent): PlannedEntry[] {
  for (const part of REQUIRED_PARTS[kind]) {
    const missing = part === 'metadata' ? Object.keys(content.metadata ?? {}).length === 0 : content[part] === undefined;
    if (missing) throw new BundleWriteError(`a ${kind} bundle must carry ${part}`);
  }
  const entries: PlannedEntry[] = [];
  // Canonical JSON with control characters escaped (a PEM's newlines): strict readers accept it.
  const json = (value: unknown): Buffer => canonicalJsonLine(value as JsonObject);
  if (content.state !== undefined) entries.push({ path: STATE_ENTRY, bytes: json(content.state) });
  if (content.proposal !== undefined) entries.push({ path: PROPOSAL_ENTRY, bytes: json(content.proposal) });
  if (content.journal !== undefined) entries.push({ path: JOURNAL_ENTRY, bytes: Buffer.from(content.journal) });
  sortSignatures(content.signatures ?? []).forEach((sig, i) => entries.push({ path: signatureEntryName(i), bytes: json(sig) }));
  for (const [role, bytes] of Object.entries(content.metadata ?? {})) entries.push({ path: nameOr(() => metadataEntryName(role)), bytes: Buffer.from(bytes) });
  for (const [name, bytes] of Object.entries(content.attestations ?? {})) entries.push({ path: nameOr(() => attestationEntryName(name)), bytes: Buffer.from(bytes) });
  return entries.sort((a, b) => compareCodePoints(a.path, b.path));
}

function nameOr(make: () => string): string {
  try {
    return make();
  } catch (error) {
    throw new BundleWriteError(error instanceof Error ? error.message : String(error));
  }
}

function sortSignatures(signatures: readonly CollectedSignature[]): CollectedSignature[] {
  return [...signatures].sort((a, b) => compareCodePoints(a.role, b.role) || a.version - b.version || compareCodePoints(a.keyid, b.keyid));
}

function journalHead(journal: Uint8Array | undefined): string | null {
  if (journal === undefined) return null;
  try {
    return verifyJournal(journal, { source: JOURNAL_ENTRY }).head;
  } catch (error) {
    if (error instanceof JournalCorruptError || error instanceof EquivocationError) {
      throw new BundleWriteError(`the journal to bundle does not verify: ${error.message}`, { cause: error });
    }
    throw error;
  }
}

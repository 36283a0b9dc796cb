import { createHash } from 'node:crypto';

import type { ZodError } from 'zod';

import type { BundleManifest, CollectedSignature, Proposal, RepoState } from '../../../shared/ceremony/types';
import { parseJsonBytes } from '../../../shared/tuf/strict-json';
import type { JsonValue } from '../../../shared/tuf/model';
import { FileTooLargeError, readFileCapped } from '../fs/atomic-write';
import { EquivocationError, JournalCorruptError, verifyJournal } from '../journal';
import { REQUIRED_PARTS, type ReadBundle, type ReadBundleContent } from './content';
import {
  JOURNAL_ENTRY,
  MANIFEST_ENTRY,
  PROPOSAL_ENTRY,
  SIGNATURE_ENTRY,
  STATE_ENTRY,
  attestationOfEntry,
  checkEntryName,
  checkUniqueNames,
  roleOfMetadataEntry,
} from './entry-names';
import { BundleRejectedError } from './errors';
import { resolveLimits, type BundleLimits } from './limits';
import { describeZodError, manifestSchema, proposalSchema, repoStateSchema, signatureSchema } from './schemas';
import { openZip, readZipEntry, type ZipEntryInfo } from './zip-read';

const MAX_MANIFEST_BYTES = 4 * 1024 * 1024;

/**
 * Reads and checks a whole bundle in memory; returns typed content or throws BundleRejectedError.
 * It never writes anything, so a refused bundle leaves no trace (catalogue #31, #32). Order:
 * size → zip central directory (count, names, types, sizes, ratios, overlaps) → manifest →
 * manifest ↔ entries → each entry inflated under its declared size → sha256/length → content
 * shapes → journal chain and head.
 */
export async function readBundle(bytes: Uint8Array, limitOverrides: Partial<BundleLimits> = {}): Promise<ReadBundle> {
  const limits = resolveLimits(limitOverrides);
  const { zip, entries } = await openZip(bytes, limits);
  try {
    const byName = new Map(entries.map((e) => [e.name, e]));
    const manifestInfo = byName.get(MANIFEST_ENTRY);
    if (manifestInfo === undefined) throw new BundleRejectedError('MANIFEST_MISSING', 'no manifest.json: not a Keyrite bundle');
    if (manifestInfo.uncompressedSize > MAX_MANIFEST_BYTES) {
      throw new BundleRejectedError('MANIFEST_INVALID', `manifest.json declares ${manifestInfo.uncompressedSize} bytes, above ${MAX_MANIFEST_BYTES}`, MANIFEST_ENTRY);
    }
    const manifest = parseManifest(await readZipEntry(zip, manifestInfo), limits);
    checkManifestAgainstZip(manifest, entries);
    const data = new Map<string, Buffer>();
    for (const listed of manifest.entries) {
      const info = byName.get(listed.path) as ZipEntryInfo;
      const bytesOfEntry = await readZipEntry(zip, info);
      const digest = createHash('sha256').update(bytesOfEntry).digest('hex');
      if (digest !== listed.sha256) {
        throw new BundleRejectedError('DIGEST_MISMATCH', `sha256 ${digest} differs from the manifest's ${listed.sha256}: the entry was altered`, listed.path);
      }
      data.set(listed.path, bytesOfEntry);
    }
    const content = parseContent(manifest, data);
    return { manifest, content, sha256: createHash('sha256').update(bytes).digest('hex'), size: bytes.length };
  } finally {
    zip.close();
  }
}

/** Reads a bundle file with the size cap applied before reading, then readBundle(). */
export async function readBundleFile(filePath: string, limitOverrides: Partial<BundleLimits> = {}): Promise<ReadBundle> {
  const limits = resolveLimits(limitOverrides);
  let bytes: Uint8Array | null;
  try {
    bytes = await readFileCapped(filePath, limits.maxBundleBytes);
  } catch (error) {
    if (error instanceof FileTooLargeError) throw new BundleRejectedError('BUNDLE_TOO_LARGE', error.message, undefined, { cause: error });
    throw error;
  }
  if (bytes === null) throw Object.assign(new Error(`${filePath}: no such file`), { code: 'ENOENT' });
  return readBundle(bytes, limits);
}

function parseJsonEntry(bytes: Uint8Array, entry: string, code: 'MANIFEST_INVALID' | 'CONTENT_INVALID'): JsonValue {
  try {
    return parseJsonBytes(bytes, { maxBytes: bytes.length, maxDepth: 64 }).value;
  } catch (error) {
    throw new BundleRejectedError(code, `not strict JSON (${error instanceof Error ? error.message : String(error)})`, entry, { cause: error });
  }
}

function parseManifest(bytes: Buffer, limits: BundleLimits): BundleManifest {
  const parsed = manifestSchema.safeParse(parseJsonEntry(bytes, MANIFEST_ENTRY, 'MANIFEST_INVALID'));
  if (!parsed.success) throw new BundleRejectedError('MANIFEST_INVALID', describeZodError(parsed.error), MANIFEST_ENTRY);
  const manifest = parsed.data;
  for (const listed of manifest.entries) {
    try {
      checkEntryName(listed.path, limits.maxPathLength);
    } catch (error) {
      if (error instanceof BundleRejectedError) throw new BundleRejectedError('MANIFEST_INVALID', `lists an unsafe path: ${error.message}`, MANIFEST_ENTRY);
      throw error;
    }
    if (listed.path === MANIFEST_ENTRY) throw new BundleRejectedError('MANIFEST_INVALID', 'the manifest lists itself', MANIFEST_ENTRY);
  }
  try {
    checkUniqueNames(manifest.entries.map((e) => e.path));
  } catch (error) {
    if (error instanceof BundleRejectedError) throw new BundleRejectedError('MANIFEST_INVALID', error.message, MANIFEST_ENTRY);
    throw error;
  }
  return manifest;
}

/** Every zip entry is listed, every listed entry is there, and the declared sizes agree. */
function checkManifestAgainstZip(manifest: BundleManifest, entries: ZipEntryInfo[]): void {
  const listed = new Map(manifest.entries.map((e) => [e.path, e]));
  for (const info of entries) {
    if (info.name === MANIFEST_ENTRY) continue;
    const entry = listed.get(info.name);
    if (entry === undefined) throw new BundleRejectedError('NOT_IN_MANIFEST', 'the zip holds an entry the manifest does not list', info.name);
    if (entry.length !== info.uncompressedSize) {
      throw new BundleRejectedError('LENGTH_MISMATCH', `the manifest says ${entry.length} bytes, the zip declares ${info.uncompressedSize}`, info.name);
    }
  }
  const present = new Set(entries.map((e) => e.name));
  for (const entry of manifest.entries) {
    if (!present.has(entry.path)) throw new BundleRejectedError('MISSING_ENTRY', 'listed in the manifest but absent from the zip', entry.path);
  }
}

function parseContent(manifest: BundleManifest, data: Map<string, Buffer>): ReadBundleContent {
  const content: ReadBundleContent = {
    kind: manifest.kind,
    repository: manifest.repository,
    createdAt: manifest.createdAt,
    nonce: manifest.nonce,
    signatures: [],
    metadata: {},
    attestations: {},
  };
  const signatures: [string, CollectedSignature][] = [];
  for (const [name, bytes] of data) {
    const role = roleOfMetadataEntry(name);
    const attestation = attestationOfEntry(name);
    if (name === STATE_ENTRY) content.state = shaped(repoStateSchema, bytes, name) as RepoState;
    else if (name === PROPOSAL_ENTRY) content.proposal = shaped(proposalSchema, bytes, name) as Proposal;
    else if (name === JOURNAL_ENTRY) content.journal = new Uint8Array(bytes);
    else if (SIGNATURE_ENTRY.test(name)) signatures.push([name, shaped(signatureSchema, bytes, name) as CollectedSignature]);
    else if (role !== null) content.metadata[role] = new Uint8Array(bytes);
    else if (attestation !== null) content.attestations[attestation] = new Uint8Array(bytes);
    else throw new BundleRejectedError('UNKNOWN_ENTRY', 'not part of the bundle layout (manifest.json, state/, proposal.json, signatures/, metadata/, journal.jsonl, attestation/)', name);
  }
  content.signatures = signatures.sort(([a], [b]) => (a < b ? -1 : 1)).map(([, s]) => s);
  checkRequiredParts(manifest, content);
  checkConsistency(manifest, content);
  checkJournal(manifest, content);
  return content;
}

function shaped(schema: { safeParse: (v: unknown) => { success: true; data: unknown } | { success: false; error: ZodError } }, bytes: Buffer, name: string): unknown {
  const parsed = schema.safeParse(parseJsonEntry(bytes, name, 'CONTENT_INVALID'));
  if (!parsed.success) throw new BundleRejectedError('CONTENT_INVALID', describeZodError(parsed.error), name);
  return parsed.data;
}

function checkRequiredParts(manifest: BundleManifest, content: ReadBundleContent): void {
  for (const part of REQUIRED_PARTS[manifest.kind]) {
    const missing = part === 'metadata' ? Object.keys(content.metadata).length === 0 : content[part] === undefined;
    if (missing) throw new BundleRejectedError('CONTENT_INVALID', `a ${manifest.kind} bundle must carry ${partName(part)}`);
  }
}

function partName(part: 'state' | 'proposal' | 'journal' | 'metadata'): string {
  return { state: STATE_ENTRY, proposal: PROPOSAL_ENTRY, journal: JOURNAL_ENTRY, metadata: 'metadata/<role>.json' }[part];
}

/** The manifest's repository and nonce are the request's: a bundle cannot mix two repositories. */
function checkConsistency(manifest: BundleManifest, content: ReadBundleContent): void {
  const { state, proposal } = content;
  const repo = `${manifest.repository.name} (${manifest.repository.dialect})`;
  if (state !== undefined && (state.name !== manifest.repository.name || state.dialect !== manifest.repository.dialect || state.nonce !== manifest.nonce)) {
    throw new BundleRejectedError('CONTENT_INVALID', `state/repo.json is for ${state.name} (${state.dialect}, nonce ${state.nonce}), the manifest for ${repo} (nonce ${manifest.nonce})`, STATE_ENTRY);
  }
  if (proposal !== undefined && (proposal.repository !== manifest.repository.name || proposal.dialect !== manifest.repository.dialect || proposal.basis.nonce !== manifest.nonce)) {
    throw new BundleRejectedError('CONTENT_INVALID', `proposal.json is for ${proposal.repository} (${proposal.dialect}, nonce ${proposal.basis.nonce}), the manifest for ${repo} (nonce ${manifest.nonce})`, PROPOSAL_ENTRY);
  }
}

function checkJournal(manifest: BundleManifest, content: ReadBundleContent): void {
  if (content.journal === undefined) {
    if (manifest.journalHead !== null) throw new BundleRejectedError('JOURNAL_HEAD_MISMATCH', `the manifest names journal head ${manifest.journalHead} but there is no journal.jsonl`);
    return;
  }
  let head: string;
  try {
    head = verifyJournal(content.journal, { source: JOURNAL_ENTRY }).head;
  } catch (error) {
    if (error instanceof JournalCorruptError || error instanceof EquivocationError) {
      throw new BundleRejectedError('JOURNAL_INVALID', error.message, JOURNAL_ENTRY, { cause: error });
    }
    throw error;
  }
  if (manifest.journalHead !== head) {
    throw new BundleRejectedError('JOURNAL_HEAD_MISMATCH', `the manifest names journal head ${String(manifest.journalHead)}, the journal's chain ends at ${head}`, JOURNAL_ENTRY);
  }
}

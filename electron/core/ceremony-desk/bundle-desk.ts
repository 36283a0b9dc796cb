/** The Bundles screen's operations: read + verify a bundle file, copy it out unchanged. */
import { createHash } from 'node:crypto';
import { promises as fsp } from 'node:fs';

import type { BundleReport } from '../../../shared/ipc/ceremony';
import { DEFAULT_BUNDLE_LIMITS, verifyBundle } from '../bundles';
import type { CryptoProvider } from '../../../shared/tuf/crypto';
import { readFileCapped, writeFileAtomic } from '../fs/atomic-write';
import { mapped } from './errors';

// The file is not there any more (moved or deleted after it was picked).
export class BundleFileMissingError extends Error {
  override readonly name = 'BundleFileMissingError';
  readonly ipcCode = 'NotFound';
}

// Export never replaces a file: a bundle is evidence, and the user picked a name that exists.
export class BundleExportExistsError extends Error {
  override readonly name = 'BundleExportExistsError';
  readonly ipcCode = 'InvalidInput';
}

async function readBundleBytes(filePath: string): Promise<Uint8Array> {
  // One more byte than the limit, so an oversized file is reported as such by the reader.
  const bytes = await readFileCapped(filePath, DEFAULT_BUNDLE_LIMITS.maxBundleBytes + 1);
  if (bytes === null) throw new BundleFileMissingError(`${filePath} does not exist any more; choose it again`);
  return bytes;
}

export function inspectBundleFile(pickId: string, filePath: string, crypto: CryptoProvider): Promise<BundleReport> {
  return mapped(async () => {
    const bytes = await readBundleBytes(filePath);
    const result = await verifyBundle(bytes, { crypto });
    const s = result.summary;
    return {
      pickId,
      displayPath: filePath,
      ok: result.ok,
      checks: result.checks.map((c) => ({ code: c.code, passed: c.passed, message: c.message, entry: c.entry ?? null })),
      kind: s?.kind ?? null,
      repository: s ? { dialect: s.repository.dialect, name: s.repository.name } : null,
      createdAt: s?.createdAt ?? null,
      sha256: s?.sha256 ?? createHash('sha256').update(bytes).digest('hex'),
      size: s?.size ?? bytes.length,
      journal: s?.journal ? { head: s.journal.head, headWords: s.journal.headWords, entries: s.journal.entries } : null,
      entries: s?.entries ?? [],
      metadata: (s?.metadata ?? []).map((m) => ({
        role: m.role,
        version: m.version ?? null,
        expires: m.expires ?? null,
        signatures: m.signatures ?? null,
        sha256: m.sha256,
        error: m.error ?? null,
      })),
      signatures: s?.signatures ?? [],
      proposal: s?.proposal ? { ceremonyId: s.proposal.ceremonyId, kind: s.proposal.kind, diff: s.proposal.diff, blockingFailures: s.proposal.blockingFailures } : null,
    };
  });
}

/** Copies the bundle byte for byte (after verifying it reads) to a new file. */
export function exportBundleFile(sourcePath: string, destination: string): Promise<{ displayPath: string; sha256: string }> {
  return mapped(async () => {
    const bytes = await readBundleBytes(sourcePath);
    const exists = await fsp.stat(destination).then(
      () => true,
      (error: NodeJS.ErrnoException) => {
        if (error.code === 'ENOENT') return false;
        throw error;
      },
    );
    if (exists) throw new BundleExportExistsError(`${destination} already exists; choose a new file name`);
    await writeFileAtomic(destination, bytes);
    return { displayPath: destination, sha256: createHash('sha256').update(bytes).digest('hex') };
  });
}

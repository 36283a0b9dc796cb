import { randomBytes } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import {
  BundleRejectedError,
  extractBundle,
  importBundle,
  readBundle,
  verifyBundle,
  writeBundle,
  type BundleLimits,
  type BundleRejectCode,
} from '../../../electron/core/bundles';
import { entryHash, encodeEntryLine } from '../../../electron/core/journal';
import { rawZip, type RawEntry } from './support/raw-zip';
import { journalBytes, manifestFor, requestEntries, signedContent, unzipAll } from './support/sample-bundle';

/**
 * Catalogue #31, #32 (and #44 inside a bundle): each bad input is refused as a whole, with a
 * precise code and message, by readBundle, verifyBundle, importBundle and extractBundle alike —
 * and nothing at all is written to the workspace or the extraction target.
 */

let workspace: string;
beforeEach(async () => {
  workspace = await fsp.mkdtemp(path.join(os.tmpdir(), 'keyrite-bundle-reject-'));
});
afterEach(async () => {
  await fsp.rm(workspace, { recursive: true, force: true });
});

async function expectRejected(bytes: Buffer, code: BundleRejectCode, message: string | RegExp, limits: Partial<BundleLimits> = {}): Promise<void> {
  const error = await readBundle(bytes, limits).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(BundleRejectedError);
  expect((error as BundleRejectedError).code).toBe(code);
  if (typeof message === 'string') expect((error as Error).message).toBe(message);
  else expect((error as Error).message).toMatch(message);
  const verification = await verifyBundle(bytes, { limits });
  expect(verification.ok).toBe(false);
  expect(verification.checks.map((c) => c.code)).toEqual([code]);
  await expect(importBundle(workspace, bytes, limits)).rejects.toMatchObject({ code });
  const target = path.join(workspace, 'extracted');
  await expect(extractBundle(bytes, target, limits)).rejects.toMatchObject({ code });
  // Nothing written: not the bundle store, not the extraction directory, not a temp file.
  expect(await fsp.readdir(workspace)).toEqual([]);
}

describe('bundle import: names (catalogue #31)', () => {
  it('rejects ../../x path traversal', async () => {
    await expectRejected(rawZip(requestEntries([{ name: '../../x', data: Buffer.from('pwn') }])), 'PATH_TRAVERSAL', 'bundle rejected (PATH_TRAVERSAL) at "../../x": a ".." segment escapes the extraction directory');
  });

  it('rejects traversal hidden inside a path (metadata/../../x.json)', async () => {
    await expectRejected(rawZip(requestEntries([{ name: 'metadata/../../x.json', data: Buffer.from('{}') }])), 'PATH_TRAVERSAL', /at "metadata\/\.\.\/\.\.\/x\.json"/);
  });

  it('rejects the absolute path /etc/x', async () => {
    await expectRejected(rawZip(requestEntries([{ name: '/etc/x', data: Buffer.from('pwn') }])), 'ABSOLUTE_PATH', 'bundle rejected (ABSOLUTE_PATH) at "/etc/x": absolute path');
  });

  it('rejects the Windows absolute path C:\\x', async () => {
    await expectRejected(rawZip(requestEntries([{ name: 'C:\\x', data: Buffer.from('pwn') }])), 'ABSOLUTE_PATH', 'bundle rejected (ABSOLUTE_PATH) at "C:\\\\x": absolute Windows path (drive letter)');
  });

  it('rejects a backslash separator', async () => {
    await expectRejected(rawZip(requestEntries([{ name: 'attestation\\..\\x.der', data: Buffer.from('pwn') }])), 'BACKSLASH', /BACKSLASH.*backslash in an entry name/);
  });

  it('rejects a symlink entry', async () => {
    await expectRejected(
      rawZip(requestEntries([{ name: 'attestation/link.der', data: Buffer.from('/etc/passwd'), mode: 0o120777 }])),
      'LINK_ENTRY',
      'bundle rejected (LINK_ENTRY) at "attestation/link.der": symbolic link entries are not allowed',
    );
  });

  it('rejects a hard link (two entries sharing one local file)', async () => {
    const entries = requestEntries([{ name: 'attestation/a.der', data: Buffer.from('one') }]);
    const linked: RawEntry[] = [...entries, { name: 'attestation/b.der', data: Buffer.from('one'), sameDataAs: entries.length - 1 }];
    await expectRejected(rawZip(linked), 'HARDLINK_ENTRY', /at "attestation\/b.der": shares its data with "attestation\/a.der" \(overlapping entries: a zip hard link\)/);
  });

  it('rejects device and FIFO entries', async () => {
    await expectRejected(rawZip(requestEntries([{ name: 'attestation/tty.der', data: Buffer.alloc(0), mode: 0o020644 }])), 'DEVICE_ENTRY', /character device entries are not allowed/);
    await expectRejected(rawZip(requestEntries([{ name: 'attestation/fifo.der', data: Buffer.alloc(0), mode: 0o010644 }])), 'DEVICE_ENTRY', /FIFO entries are not allowed/);
  });

  it('rejects a directory entry', async () => {
    await expectRejected(rawZip([...requestEntries(), { name: 'state/', data: Buffer.alloc(0), mode: 0o040755 }]), 'DIRECTORY_ENTRY', /at "state\/": directory entry/);
  });

  it('rejects duplicate names', async () => {
    const entries = requestEntries();
    await expectRejected(rawZip([...entries, entries[1] as RawEntry]), 'DUPLICATE_NAME', 'bundle rejected (DUPLICATE_NAME) at "state/repo.json": the name appears twice in the bundle');
  });

  it('rejects names that collide by case', async () => {
    await expectRejected(
      rawZip(requestEntries([{ name: 'attestation/key.der', data: Buffer.from('1') }, { name: 'attestation/KEY.der', data: Buffer.from('2') }])),
      'CASE_COLLISION',
      'bundle rejected (CASE_COLLISION) at "attestation/KEY.der": collides with "attestation/key.der" on case-insensitive file systems',
    );
  });

  it('rejects a non-ASCII name without the UTF-8 flag, and names outside the safe set', async () => {
    await expectRejected(rawZip(requestEntries([{ name: 'attestation/clé.der', data: Buffer.from('1'), flags: 0 }])), 'BAD_NAME', /non-ASCII entry name without the zip UTF-8 flag/);
    await expectRejected(rawZip(requestEntries([{ name: 'attestation/x:y.der', data: Buffer.from('1') }])), 'BAD_NAME', /only letters, digits/);
    await expectRejected(rawZip(requestEntries([{ name: 'attestation/CON.der', data: Buffer.from('1') }])), 'BAD_NAME', /reserved device name on Windows/);
  });

  it('rejects a local header that names another file than the central directory', async () => {
    await expectRejected(rawZip(requestEntries([{ name: 'attestation/a.der', localName: 'attestation/b.der', data: Buffer.from('1') }])), 'LOCAL_HEADER_MISMATCH', /local header names it "attestation\/b.der"/);
  });
});

describe('bundle import: manifest (catalogue #31)', () => {
  it('rejects an entry the manifest does not list', async () => {
    await expectRejected(rawZip([...requestEntries(), { name: 'attestation/extra.der', data: Buffer.from('1') }]), 'NOT_IN_MANIFEST', 'bundle rejected (NOT_IN_MANIFEST) at "attestation/extra.der": the zip holds an entry the manifest does not list');
  });

  it('rejects a manifest entry missing from the zip', async () => {
    const [manifest] = requestEntries([{ name: 'attestation/gone.der', data: Buffer.from('1') }]);
    const present = requestEntries().slice(1);
    await expectRejected(rawZip([manifest as RawEntry, ...present]), 'MISSING_ENTRY', 'bundle rejected (MISSING_ENTRY) at "attestation/gone.der": listed in the manifest but absent from the zip');
  });

  it('rejects a sha256 mismatch', async () => {
    const [manifest, state] = requestEntries();
    const altered = Buffer.from((state as RawEntry).data.toString().replace('127.0.0.1:4443', '127.0.0.1:4444'));
    await expectRejected(rawZip([manifest as RawEntry, { name: 'state/repo.json', data: altered }]), 'DIGEST_MISMATCH', /at "state\/repo.json": sha256 [0-9a-f]{64} differs from the manifest's [0-9a-f]{64}: the entry was altered/);
  });

  it('rejects a length mismatch between the manifest and the zip', async () => {
    const files = requestEntries().slice(1);
    const manifest = manifestFor(files.map((f) => ({ ...f, data: Buffer.concat([f.data, Buffer.from(' ')]) })));
    await expectRejected(rawZip([manifest, ...files]), 'LENGTH_MISMATCH', /at "state\/repo.json": the manifest says \d+ bytes, the zip declares \d+/);
  });

  it('rejects a bundle without manifest.json, and an unsupported format version', async () => {
    await expectRejected(rawZip(requestEntries().slice(1)), 'MANIFEST_MISSING', 'bundle rejected (MANIFEST_MISSING): no manifest.json: not a Keyrite bundle');
    const files = requestEntries().slice(1);
    await expectRejected(rawZip([manifestFor(files, { formatVersion: 2 }), ...files]), 'MANIFEST_INVALID', /at "manifest.json": formatVersion: /);
  });

  it('rejects an entry outside the bundle layout even when the manifest lists it', async () => {
    await expectRejected(rawZip(requestEntries([{ name: 'scripts/run.sh', data: Buffer.from('rm -rf /') }])), 'UNKNOWN_ENTRY', /at "scripts\/run.sh": not part of the bundle layout/);
  });

  it('rejects content that contradicts the manifest (another request nonce)', async () => {
    const files = requestEntries().slice(1);
    await expectRejected(rawZip([manifestFor(files, { nonce: 'ffffffffffffffff' }), ...files]), 'CONTENT_INVALID', /state\/repo.json is for example.com\/test\/repo \(notary-v1, nonce 0123/);
  });
});

describe('bundle import: sizes and bombs (catalogue #32)', () => {
  it('rejects an entry whose actual size exceeds its declared size', async () => {
    const data = Buffer.from('x'.repeat(5000));
    const files: RawEntry[] = [{ name: 'state/repo.json', data: requestEntries()[1]?.data ?? Buffer.alloc(0) }, { name: 'attestation/a.der', data, declaredSize: 100 }];
    // The manifest agrees with the lie (length 100), so only counting the inflated bytes catches it.
    const manifest = manifestFor(files.map((f) => (f.declaredSize === undefined ? f : { ...f, data: f.data.subarray(0, 100) })));
    await expectRejected(rawZip([manifest, ...files]), 'DECLARED_SIZE_MISMATCH', /at "attestation\/a.der": .*(more than the 100 bytes it declares|declared 100 bytes)/);
  });

  it('rejects an entry whose actual size is below its declared size', async () => {
    const data = Buffer.from('short');
    const files: RawEntry[] = [requestEntries()[1] as RawEntry, { name: 'attestation/a.der', data, declaredSize: 50 }];
    const manifest = manifestFor(files.map((f) => (f.declaredSize === undefined ? f : { ...f, data: Buffer.concat([f.data, Buffer.alloc(45)]) })));
    await expectRejected(rawZip([manifest, ...files]), 'DECLARED_SIZE_MISMATCH', /at "attestation\/a.der": .*declared 50 bytes/);
  });

  it('rejects a stored (uncompressed) entry whose declared size differs from its data', async () => {
    const files: RawEntry[] = [requestEntries()[1] as RawEntry, { name: 'attestation/a.der', data: Buffer.from('0123456789'), method: 0, declaredSize: 4 }];
    const manifest = manifestFor(files.map((f) => (f.declaredSize === undefined ? f : { ...f, data: f.data.subarray(0, 4) })));
    await expectRejected(rawZip([manifest, ...files]), 'DECLARED_SIZE_MISMATCH', /damaged central directory at entry #3 \(compressed\/uncompressed size mismatch for stored file: 10 != 4\)/);
  });

  it('rejects a compression-ratio bomb before inflating it', async () => {
    const zeros = Buffer.alloc(20 * 1024 * 1024);
    const started = Date.now();
    await expectRejected(rawZip(requestEntries([{ name: 'attestation/bomb.der', data: zeros }])), 'COMPRESSION_RATIO', /at "attestation\/bomb.der": compression ratio \d+:1 is above the 100:1 limit \(a zip bomb\)/);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('rejects a total-size bomb (each entry small, the sum too large)', async () => {
    const parts = [1, 2, 3].map((i) => ({ name: `attestation/part${i}.der`, data: randomBytes(150_000) }));
    await expectRejected(rawZip(requestEntries(parts)), 'TOTAL_SIZE', /the entries add up to more than the 300000-byte limit/, { maxTotalBytes: 300_000 });
  });

  it('rejects one entry above the per-entry cap', async () => {
    await expectRejected(rawZip(requestEntries([{ name: 'attestation/big.der', data: randomBytes(150_000) }])), 'ENTRY_TOO_LARGE', /declares 150000 bytes, above the 100000-byte limit/, { maxEntryBytes: 100_000 });
  });

  it('rejects an entry-count bomb from the end-of-central-directory count alone', async () => {
    await expectRejected(rawZip(requestEntries(), { declaredCount: 65_535 }), 'ENTRY_COUNT', 'bundle rejected (ENTRY_COUNT): the zip declares 65535 entries, above the limit of 10000');
  });

  it('rejects too many real entries', async () => {
    const many = Array.from({ length: 30 }, (_, i) => ({ name: `attestation/k${i}.der`, data: Buffer.from([i]) }));
    await expectRejected(rawZip(requestEntries(many)), 'ENTRY_COUNT', /declares 32 entries, above the limit of 20/, { maxEntries: 20 });
  });

  it('rejects a bundle file above the size cap, and bytes that are not a zip', async () => {
    await expectRejected(rawZip(requestEntries()), 'BUNDLE_TOO_LARGE', /above the 100-byte limit/, { maxBundleBytes: 100 });
    await expectRejected(randomBytes(4096), 'NOT_A_ZIP', /not a readable zip file/);
  });

  it('rejects encrypted entries and a CRC-32 mismatch', async () => {
    await expectRejected(rawZip(requestEntries([{ name: 'attestation/e.der', data: Buffer.from('secret'), flags: 0x801 }])), 'ENCRYPTED', /encrypted entries are not allowed/);
    await expectRejected(rawZip(requestEntries([{ name: 'attestation/c.der', data: Buffer.from('data'), crc: 1234 }])), 'CORRUPT_ENTRY', /CRC-32 mismatch/);
  });
});

describe('bundle import: journal', () => {
  /** A signed bundle's raw entries with the journal replaced and the manifest re-digested to match. */
  async function withJournal(journal: Buffer, head?: string): Promise<Buffer> {
    const entries = await unzipAll(await writeBundle('signed', await signedContent()));
    const files = entries.filter((e) => e.name !== 'manifest.json').map((e) => (e.name === 'journal.jsonl' ? { ...e, data: journal } : e));
    const original = JSON.parse(entries[0]?.data.toString() ?? '{}') as { journalHead: string };
    return rawZip([manifestFor(files, { kind: 'signed', journalHead: head ?? original.journalHead }), ...files]);
  }

  it('rejects an edited journal even when the manifest digests were recomputed', async () => {
    const content = await signedContent();
    const edited = Buffer.from(Buffer.from(content.journal ?? []).toString().replace('"kind":"rotate-root"', '"kind":"init"'));
    await expectRejected(await withJournal(edited), 'JOURNAL_INVALID', /at "journal.jsonl": journal.jsonl line 1: hash [0-9a-f]{64} does not match the entry's content/);
  });

  it('rejects a manifest whose journal head is not the journal\'s', async () => {
    const content = await signedContent();
    await expectRejected(await withJournal(Buffer.from(content.journal ?? []), 'f'.repeat(64)), 'JOURNAL_HEAD_MISMATCH', /the manifest names journal head f{64}, the journal's chain ends at [0-9a-f]{64}/);
  });

  it('rejects a journal that signs one role and version over two payloads (catalogue #44)', async () => {
    const journal = journalBytes([
      { type: 'sign-intent', data: { role: 'root', version: 2, payloadSha256: 'a'.repeat(64) } },
      { type: 'sign-intent', data: { role: 'root', version: 2, payloadSha256: 'b'.repeat(64) } },
    ]);
    await expectRejected(await withJournal(journal), 'JOURNAL_INVALID', /refusing to sign root v2 over different bytes: payload a{16}… was already committed for it \(journal line 1\)/);
  });

  it('rejects a torn journal line inside a bundle', async () => {
    const journal = journalBytes([{ type: 'plan', data: {} }]);
    const unsigned = { seq: 2, at: '2026-11-22T02:00:01.000Z', type: 'note' as const, data: {}, prev: 'x' };
    const torn = encodeEntryLine({ ...unsigned, hash: entryHash(unsigned) }).subarray(0, 20);
    await expectRejected(await withJournal(Buffer.concat([journal, torn])), 'JOURNAL_INVALID', /journal.jsonl line 2: unterminated last line/);
  });
});

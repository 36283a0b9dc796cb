import { promises as fsp } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import {
  BundleWriteError,
  ExtractTargetExistsError,
  extractBundle,
  importBundle,
  inspectBundle,
  metadataEntryName,
  readBundle,
  readBundleFile,
  roleOfMetadataEntry,
  verifyBundle,
  writeBundle,
  writeBundleFile,
} from '../../../electron/core/bundles';
import { verifyJournal } from '../../../electron/core/journal';
import { run } from '../../support/processes';
import { buildNotaryRepo } from '../../support/repo-builder';
import { GUN, NONCE, requestState, signedContent, unzipAll } from './support/sample-bundle';

let dir: string;
beforeEach(async () => {
  dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'keyrite-bundle-'));
});
afterEach(async () => {
  await fsp.rm(dir, { recursive: true, force: true });
});

describe('writeBundle / readBundle', () => {
  it('round-trips a signed bundle: exact metadata bytes, signatures, journal, attestation', async () => {
    const content = await signedContent();
    const bundle = await readBundle(await writeBundle('signed', content));
    expect(bundle.manifest.kind).toBe('signed');
    expect(bundle.manifest.repository).toEqual({ dialect: 'notary-v1', name: 'example.com/test/repo' });
    expect(bundle.manifest.nonce).toBe(NONCE);
    expect(bundle.manifest.journalHead).toBe(verifyJournal(content.journal ?? new Uint8Array()).head);
    for (const [role, bytes] of Object.entries(content.metadata ?? {})) expect(Buffer.from(bundle.content.metadata[role] ?? [])).toEqual(Buffer.from(bytes));
    expect(Buffer.from(bundle.content.journal ?? [])).toEqual(Buffer.from(content.journal ?? []));
    expect(bundle.content.signatures.map((s) => s.role)).toEqual(['root', 'targets', 'targets/releases']);
    expect(bundle.content.proposal).toEqual(content.proposal);
    expect(bundle.content.state).toEqual(content.state);
    expect(Buffer.from(bundle.content.attestations['yubikey-12345678-9c'] ?? [])).toEqual(Buffer.from('3082deadbeef', 'hex'));
  });

  it('round-trips JSON values with control characters (a key PEM in the proposal)', async () => {
    const content = await signedContent();
    const proposal = content.proposal;
    if (proposal === undefined) throw new Error('fixture has a proposal');
    const pem = '-----BEGIN PUBLIC KEY-----\nMFkw\r\n\t-----END PUBLIC KEY-----\n';
    const key = { keyid: 'k1', keyObject: { keytype: 'ecdsa', keyval: { public: pem } }, publicKeyPem: pem, algorithm: 'ecdsa-p256' as const, signer: { kind: 'external' as const } };
    const bundle = await readBundle(await writeBundle('signed', { ...content, proposal: { ...proposal, keys: [key] } }));
    expect(bundle.content.proposal?.keys).toEqual([key]);
  });

  it('lays out one file with manifest.json first and entries sorted; Notary delegations keep their "/"', async () => {
    const names = (await unzipAll(await writeBundle('signed', await signedContent()))).map((e) => e.name);
    expect(names).toEqual([
      'manifest.json',
      'attestation/yubikey-12345678-9c.der',
      'journal.jsonl',
      'metadata/root.json',
      'metadata/targets.json',
      'metadata/targets/releases.json',
      'proposal.json',
      'signatures/0001.json',
      'signatures/0002.json',
      'signatures/0003.json',
      'state/repo.json',
    ]);
  });

  it('is deterministic: same content, same bytes, whatever the time zone', async () => {
    const content = await signedContent();
    const first = await writeBundle('signed', content);
    const tz = process.env['TZ'];
    try {
      process.env['TZ'] = 'Pacific/Kiritimati';
      expect((await writeBundle('signed', content)).equals(first)).toBe(true);
    } finally {
      if (tz === undefined) delete process.env['TZ'];
      else process.env['TZ'] = tz;
    }
  });

  it('is a standard zip other tools read: python zipfile checks every CRC and sees regular files dated 1980-01-01', async () => {
    const file = path.join(dir, 'b.zip');
    await fsp.writeFile(file, await writeBundle('signed', await signedContent()));
    const script = [
      'import sys, zipfile',
      'z = zipfile.ZipFile(sys.argv[1])',
      'assert z.testzip() is None',
      'print(sorted({(i.external_attr >> 16, i.date_time) for i in z.infolist()}))',
      'print(len(z.infolist()))',
    ].join('\n');
    const result = await run('/usr/bin/python3', ['-c', script, file]);
    expect(result.stderr).toBe('');
    expect(result.stdout).toBe(`[(${0o100644}, (1980, 1, 1, 0, 0, 0))]\n11\n`);
  });

  it('writes a request bundle (no journal: head null)', async () => {
    const bundle = await readBundle(await writeBundle('request', { repository: { dialect: 'notary-v1', name: 'example.com/test/repo' }, createdAt: '2026-11-22T01:00:00.000Z', nonce: NONCE, state: requestState() }));
    expect(bundle.manifest.journalHead).toBeNull();
    expect(bundle.content.state?.source).toEqual({ kind: 'notary-server', url: 'http://127.0.0.1:4443', gun: 'example.com/test/repo' });
  });

  it('refuses to write a bundle missing a required part, or with a broken journal', async () => {
    const content = await signedContent();
    const { journal: _journal, ...noJournal } = content;
    await expect(writeBundle('signed', noJournal)).rejects.toThrow(new BundleWriteError('a signed bundle must carry journal'));
    await expect(writeBundle('signed', { ...content, journal: Buffer.from('{"not":"a journal"}\n') })).rejects.toThrow(/the journal to bundle does not verify: journal.jsonl line 1/);
    await expect(writeBundle('signed', { ...content, attestations: { '../x': Buffer.from('1') } })).rejects.toBeInstanceOf(BundleWriteError);
  });

  it('writes the file atomically and reads it back', async () => {
    const file = path.join(dir, 'out.keyrite.zip');
    const { sha256, manifest } = await writeBundleFile(file, 'signed', await signedContent());
    expect(await fsp.readdir(dir)).toEqual(['out.keyrite.zip']);
    const back = await readBundleFile(file);
    expect(back.sha256).toBe(sha256);
    expect(back.manifest).toEqual(manifest);
  });

  it('maps any role name to a safe, reversible entry name', () => {
    for (const role of ['root', 'targets/releases', 'a b', '../x', '.hidden', 'CON', 'ö', 'x%y', 'a//b', 'Targets', 'x:y']) {
      const name = metadataEntryName(role);
      expect(name, role).toMatch(/^metadata\/[A-Za-z0-9_%@+-][A-Za-z0-9._%@+\-/]*\.json$/);
      expect(name, role).not.toMatch(/(^|\/)\.\.?(\/|$)/);
      expect(roleOfMetadataEntry(name), role).toBe(role);
    }
    expect(metadataEntryName('../x')).toBe('metadata/%2E.%2Fx.json');
    expect(roleOfMetadataEntry('metadata/a%2Fb.json')).toBeNull(); // a non-canonical spelling of "a/b"
  });
});

describe('inspectBundle / verifyBundle', () => {
  it('summarizes for humans: roles with versions, journal head as words, proposal diff', async () => {
    const summary = await inspectBundle(await writeBundle('signed', await signedContent()));
    expect(summary.metadata.map((m) => [m.role, m.type, m.version])).toEqual([
      ['root', 'root', 1],
      ['targets', 'targets', 1],
      ['targets/releases', 'targets', 1],
    ]);
    expect(summary.journal?.entries).toBe(5);
    expect(summary.journal?.headWords).toHaveLength(32);
    expect(summary.proposal?.diff).toEqual(['root: threshold 1 → 2']);
    expect(summary.signatures).toHaveLength(3);
  });

  it('verifies manifest, journal chain, journal head, metadata parsing and proposal payloads', async () => {
    const result = await verifyBundle(await writeBundle('signed', await signedContent()));
    expect(result.ok).toBe(true);
    expect(result.checks.map((c) => c.code)).toEqual([
      'MANIFEST',
      'JOURNAL_CHAIN',
      'JOURNAL_HEAD',
      'METADATA_PARSE',
      'METADATA_MATCHES_PROPOSAL',
      'METADATA_PARSE',
      'METADATA_MATCHES_PROPOSAL',
      'METADATA_PARSE',
      'METADATA_MATCHES_PROPOSAL',
      'SIGNATURES',
      'SIGNATURES',
      'SIGNATURES',
    ]);
    expect(result.checks.filter((c) => c.code === 'SIGNATURES').map((c) => c.message)).toEqual([
      'root v1: 1 valid signature(s) by its own root keys, threshold 1',
      "targets v1: 1 valid signature(s) by root v1's targets keys, threshold 1",
      'targets/releases v1: 1 valid signature(s) by the keys targets delegates to it, threshold 1',
    ]);
  });

  it('fails a new root signed only by its new keys: the previous root threshold is required too (catalogue #2)', async () => {
    for (const signWith of ['new', 'both'] as const) {
      const repo = await buildNotaryRepo({ gun: GUN, rootRotations: [{ rootKeys: 1, signWith }] });
      const content = await signedContent();
      const rotated = {
        ...content,
        state: { ...requestState(), files: { root: Buffer.from(repo.rootBytes(1)).toString('base64') } },
        metadata: { root: repo.rootBytes(2) },
      };
      const { proposal: _p, ...noProposal } = rotated;
      const result = await verifyBundle(await writeBundle('signed', noProposal));
      const failed = result.checks.filter((c) => !c.passed).map((c) => c.message);
      if (signWith === 'new') expect(failed).toEqual(["root v2: 0 valid signature(s) by the keys of the previous root v1, threshold 1"]);
      else expect(failed).toEqual([]);
    }
  });

  it('fails verification for metadata that does not parse as its role, or differs from the proposal', async () => {
    const content = await signedContent();
    const swapped = { ...content, metadata: { ...content.metadata, targets: content.metadata?.['root'] ?? new Uint8Array() } };
    const result = await verifyBundle(await writeBundle('signed', swapped));
    expect(result.ok).toBe(false);
    expect(result.checks.filter((c) => !c.passed).map((c) => [c.code, c.entry])).toEqual([
      ['METADATA_PARSE', 'targets'],
      ['SIGNATURES', 'targets/releases'],
    ]);
    const proposal = content.proposal;
    if (proposal === undefined) throw new Error('fixture has a proposal');
    const other = { ...content, proposal: { ...proposal, roles: proposal.roles.map((r) => (r.role === 'root' ? { ...r, payloadSha256: 'e'.repeat(64) } : r)) } };
    const mismatch = await verifyBundle(await writeBundle('signed', other));
    expect(mismatch.checks.filter((c) => !c.passed).map((c) => c.message)).toEqual([`root: the bundle holds v1 payload ${content.proposal?.roles[0]?.payloadSha256 ?? ''}, the proposal v1 payload ${'e'.repeat(64)}`]);
  });
});

describe('extractBundle / importBundle', () => {
  it('extracts into a fresh directory only, regular files with mode 0600', async () => {
    const bytes = await writeBundle('signed', await signedContent());
    const target = path.join(dir, 'x');
    const written = await extractBundle(bytes, target);
    expect(written).toContain('metadata/targets/releases.json');
    const stat = await fsp.lstat(path.join(target, 'metadata/targets/releases.json'));
    expect(stat.isFile()).toBe(true);
    if (process.platform !== 'win32') expect(stat.mode & 0o777).toBe(0o600);
    await expect(extractBundle(bytes, target)).rejects.toBeInstanceOf(ExtractTargetExistsError);
  });

  it('stores an imported bundle content-addressed in the workspace, idempotently', async () => {
    const bytes = await writeBundle('signed', await signedContent());
    const first = await importBundle(dir, bytes);
    expect(path.relative(dir, first.path)).toBe(`bundles/${first.sha256}.zip`);
    expect(await importBundle(dir, bytes)).toEqual(first);
    expect(await fsp.readdir(path.join(dir, 'bundles'))).toEqual([`${first.sha256}.zip`]);
  });
});

import { createHash } from 'node:crypto';

import type { CollectedSignature, JournalEntry, Proposal, RepoState } from '../../../../shared/ceremony/types';
import { canonicalize } from '../../../../shared/tuf/canonical-json';
import { parseMetadata } from '../../../../shared/tuf/metadata';
import type { JsonObject } from '../../../../shared/tuf/model';
import { encodeEntryLine, entryHash, GENESIS_PREV } from '../../../../electron/core/journal';
import { resolveLimits, type BundleContent } from '../../../../electron/core/bundles';
import { openZip, readZipEntry } from '../../../../electron/core/bundles/zip-read';
import { buildNotaryRepo } from '../../../support/repo-builder';
import type { RawEntry } from './raw-zip';

export const NONCE = '0123456789abcdef0123456789abcdef';
export const GUN = 'example.com/test/repo';

const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

/** journal.jsonl bytes for the given entries, correctly chained. */
export function journalBytes(items: { type: JournalEntry['type']; data: JsonObject }[]): Buffer {
  let prev = GENESIS_PREV;
  const lines = items.map((item, i) => {
    const unsigned = { seq: i + 1, at: `2026-11-22T02:00:${String(i).padStart(2, '0')}.000Z`, type: item.type, data: item.data, prev };
    const entry = { ...unsigned, hash: entryHash(unsigned) };
    prev = entry.hash;
    return encodeEntryLine(entry);
  });
  return Buffer.concat(lines);
}

/** A signed Notary bundle's content: real metadata (root, targets, targets/releases), proposal, journal. */
let sampleRepo: ReturnType<typeof buildNotaryRepo> | undefined;

export async function signedContent(): Promise<BundleContent> {
  // Key generation dominates; tests only read the repository, so one per test file is enough.
  sampleRepo ??= buildNotaryRepo({ gun: GUN, delegations: [{ name: 'targets/releases' }] });
  const repo = await sampleRepo;
  const metadata: Record<string, Uint8Array> = { root: repo.bytes('root'), targets: repo.bytes('targets'), 'targets/releases': repo.bytes('targets/releases') };
  const roles = Object.entries(metadata).map(([role, bytes]) => {
    const envelope = parseMetadata(bytes);
    return {
      role,
      version: envelope.signed.version,
      expires: envelope.signed.expires,
      signed: envelope.signedJson,
      payloadSha256: sha256(canonicalize(envelope.signedJson)),
      requirements: [{ label: `${role} threshold`, keyids: ['k1'], threshold: 1 }],
      signing: 'offline' as const,
    };
  });
  const proposal: Proposal = {
    ceremonyId: 'c-2026-11-22-rotate',
    kind: 'rotate-root',
    dialect: 'notary-v1',
    repository: GUN,
    basis: { nonce: NONCE, rootVersion: 1 },
    roles,
    keys: [],
    diff: [{ role: 'root', kind: 'threshold', summary: 'root: threshold 1 → 2' }],
    checks: [{ code: 'ROOT_VERSION_NEXT', severity: 'blocking', passed: true, message: 'root version is trusted + 1' }],
  };
  const signatures: CollectedSignature[] = roles.map((r) => ({
    role: r.role,
    version: r.version,
    payloadSha256: r.payloadSha256,
    keyid: `key-${r.role.replace('/', '-')}`,
    sig: 'c2ln',
    method: 'ecdsa',
    signerLabel: 'YubiKey 12345678 (Alice)',
    verifiedAt: '2026-11-22T02:00:05.000Z',
  }));
  const journal = journalBytes([
    { type: 'plan', data: { kind: 'rotate-root' } },
    ...roles.map((r) => ({ type: 'sign-intent' as const, data: { role: r.role, version: r.version, payloadSha256: r.payloadSha256 } })),
    { type: 'finalized', data: {} },
  ]);
  return {
    repository: { dialect: 'notary-v1', name: GUN },
    createdAt: '2026-11-22T02:10:00.000Z',
    nonce: NONCE,
    state: requestState(),
    proposal,
    signatures,
    metadata,
    journal,
    attestations: { 'yubikey-12345678-9c': Buffer.from('3082deadbeef', 'hex') },
  };
}

export function requestState(): RepoState {
  return {
    dialect: 'notary-v1',
    name: GUN,
    source: { kind: 'notary-server', url: 'http://127.0.0.1:4443', gun: GUN },
    files: {},
    rootHistory: [],
    serverKeys: { timestamp: { keytype: 'ecdsa', keyval: { public: 'AAAA', private: null } } },
    createdAt: '2026-11-22T01:00:00.000Z',
    nonce: NONCE,
  };
}

/** The entries of a zip as written (name → bytes), for re-zipping with one thing changed. */
export async function unzipAll(bytes: Buffer): Promise<RawEntry[]> {
  const { zip, entries } = await openZip(bytes, resolveLimits());
  try {
    const out: RawEntry[] = [];
    for (const info of entries) out.push({ name: info.name, data: await readZipEntry(zip, info) });
    return out;
  } finally {
    zip.close();
  }
}

/** manifest.json for raw entries (as the real writer would make it). */
export function manifestFor(entries: RawEntry[], overrides: Partial<JsonObject> = {}): RawEntry {
  const manifest = {
    format: 'keyrite-bundle',
    formatVersion: 1,
    kind: 'request',
    repository: { dialect: 'notary-v1', name: GUN },
    createdAt: '2026-11-22T02:10:00.000Z',
    nonce: NONCE,
    entries: entries.map((e) => ({ path: e.name, sha256: sha256(e.data), length: e.data.length })),
    journalHead: null,
    ...overrides,
  };
  return { name: 'manifest.json', data: Buffer.from(canonicalize(manifest as JsonObject)) };
}

/** A minimal valid request bundle as raw entries, plus extra entries listed in its manifest. */
export function requestEntries(extra: RawEntry[] = []): RawEntry[] {
  const files: RawEntry[] = [{ name: 'state/repo.json', data: Buffer.from(canonicalize(requestState() as unknown as JsonObject)) }, ...extra];
  return [manifestFor(files), ...files];
}

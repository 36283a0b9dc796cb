import { promises as fsp } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { findTokenEntry, InventoryCorruptError, InventoryEntryNotFoundError, InventoryFile, InventoryStore, serverKeyRecord, tokenKeyRecord, type InventoryRecord } from '../../../../electron/core/inventory';

const ID_A = 'a'.repeat(64);
const ID_B = 'b'.repeat(64);

function record(id: string, overrides: Partial<InventoryRecord> = {}): InventoryRecord {
  return {
    id,
    keyIds: { notary: id, tuf: 'c'.repeat(64) },
    algorithm: 'ecdsa-p256',
    publicKey: 'MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE',
    roles: ['targets'],
    gun: 'example.com/app',
    label: 'ci',
    holder: 'alice',
    location: { kind: 'file', fileName: `${id}-0123456789abcdef.krkey` },
    origin: 'generated',
    status: 'active',
    ...overrides,
  };
}

let dir: string;
let now: Date;
const clock = (): Date => now;

beforeEach(async () => {
  dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'keyrite-inventory-'));
  now = new Date('2026-03-01T10:00:00.000Z');
});
afterEach(async () => {
  await fsp.rm(dir, { recursive: true, force: true });
});

describe('InventoryStore', () => {
  it('is empty without a file and persists keys/inventory.json in the workspace', async () => {
    const store = InventoryStore.forWorkspace(dir, clock);
    expect(await store.list()).toEqual([]);
    await store.upsert(record(ID_A));
    expect(store.filePath).toBe(path.join(dir, 'keys', 'inventory.json'));
    const onDisk = InventoryFile.parse(JSON.parse(await fsp.readFile(store.filePath, 'utf8')));
    expect(onDisk.keys).toHaveLength(1);
    expect(onDisk.keys[0]).toMatchObject({ id: ID_A, roles: ['targets'], holder: 'alice', addedAt: '2026-03-01T10:00:00.000Z' });
    // A second store instance (another process) reads the same state.
    expect((await InventoryStore.forWorkspace(dir).get(ID_A))?.label).toBe('ci');
    // Written as 0600: it says where the root keys are.
    expect((await fsp.stat(store.filePath)).mode & 0o777).toBe(0o600);
  });

  it('merges roles on re-record, keeps known label/holder/addedAt, and records token and server locations', async () => {
    const store = InventoryStore.forWorkspace(dir, clock);
    await store.upsert(record(ID_A));
    now = new Date('2026-03-02T10:00:00.000Z');
    const merged = await store.upsert(record(ID_A, { roles: ['snapshot'], label: null, holder: null, origin: 'imported' }));
    expect(merged).toMatchObject({ roles: ['snapshot', 'targets'], label: 'ci', holder: 'alice', origin: 'generated', addedAt: '2026-03-01T10:00:00.000Z', updatedAt: '2026-03-02T10:00:00.000Z' });
    await store.upsert(record(ID_B, { location: { kind: 'token', tokenSerial: '13078778', ckaId: '02', spkiSha256: 'd'.repeat(64), tokenLabel: 'YubiKey PIV' }, origin: 'token' }));
    const server = 'e'.repeat(64);
    await store.upsert(record(server, { location: { kind: 'server', server: 'https://notary.example.com' }, roles: ['timestamp'], origin: 'recorded' }));
    expect((await store.list()).map((e) => e.location.kind)).toEqual(['file', 'token', 'server']);
  });

  it('update changes location and status; unknown IDs are a named error', async () => {
    const store = InventoryStore.forWorkspace(dir, clock);
    await store.upsert(record(ID_A));
    const updated = await store.update(ID_A, { status: 'quarantined', location: { kind: 'file', fileName: 'x.krkey.2026' } });
    expect(updated.status).toBe('quarantined');
    await expect(store.update(ID_B, { status: 'quarantined' })).rejects.toBeInstanceOf(InventoryEntryNotFoundError);
  });

  it('serialises concurrent writers in one process (no lost update)', async () => {
    const store = InventoryStore.forWorkspace(dir, clock);
    const ids = Array.from({ length: 8 }, (_, i) => i.toString(16).repeat(64));
    await Promise.all(ids.map((id) => store.upsert(record(id))));
    expect((await store.list()).map((e) => e.id).sort()).toEqual(ids.sort());
  });

  it('refuses a corrupt inventory with a precise error and never resets it', async () => {
    const store = InventoryStore.forWorkspace(dir, clock);
    await store.upsert(record(ID_A));
    const good = await fsp.readFile(store.filePath, 'utf8');

    await fsp.writeFile(store.filePath, good.slice(0, good.length / 2));
    await expect(store.list()).rejects.toThrow(/inventory.json is unusable: not valid JSON/);
    await expect(store.upsert(record(ID_B))).rejects.toBeInstanceOf(InventoryCorruptError);
    // The truncated file is still there, byte for byte: nothing was silently replaced.
    expect(await fsp.readFile(store.filePath, 'utf8')).toBe(good.slice(0, good.length / 2));

    const wrongLocation = JSON.parse(good) as { keys: Array<{ location: unknown }> };
    wrongLocation.keys[0]!.location = { kind: 'file', fileName: '../../etc/passwd' };
    await fsp.writeFile(store.filePath, JSON.stringify(wrongLocation));
    await expect(store.list()).rejects.toThrow(/keys\.0\.location\.fileName: a file name inside the key store/);

    const duplicate = JSON.parse(good) as { keys: unknown[] };
    duplicate.keys.push(duplicate.keys[0]);
    await fsp.writeFile(store.filePath, JSON.stringify(duplicate));
    await expect(store.list()).rejects.toThrow(new RegExp(`key ${ID_A} is listed twice`));

    await fsp.writeFile(store.filePath, JSON.stringify({ format: 'keyrite-key-inventory', version: 2, keys: [] }));
    await expect(store.list()).rejects.toThrow(/version/);
  });
});

describe('token and server records', () => {
  const tokenKey = {
    tokenSerial: '13078778',
    ckaId: '02',
    label: 'root key',
    keyType: 'ec' as const,
    curve: 'P-256' as const,
    spkiDer: '3059',
    publicKeyPem: '',
    spkiSha256: 'd'.repeat(64),
    keyIdentity: `13078778/02/${'d'.repeat(64)}`,
    keyIds: { tuf: 'c'.repeat(64), notary: ID_A },
    alwaysAuthenticate: false,
  };

  it('records a token key by serial + CKA_ID + SPKI hash and finds it again only by that full identity', async () => {
    const store = InventoryStore.forWorkspace(dir, clock);
    const entry = await store.upsert(tokenKeyRecord(tokenKey, 'YubiKey PIV #13078778', { roles: ['root'], gun: null, holder: 'officer 1' }));
    expect(entry).toMatchObject({ id: ID_A, algorithm: 'ecdsa-p256', label: 'root key', holder: 'officer 1', publicKey: 'MFk=', origin: 'token' });
    expect(entry.location).toEqual({ kind: 'token', tokenSerial: '13078778', ckaId: '02', spkiSha256: 'd'.repeat(64), tokenLabel: 'YubiKey PIV #13078778' });
    const entries = await store.list();
    expect(findTokenEntry(entries, tokenKey)?.id).toBe(ID_A);
    // Same slot, new key (re-generated in 9c): not the recorded key.
    expect(findTokenEntry(entries, { ...tokenKey, spkiSha256: 'e'.repeat(64) })).toBeNull();
  });

  it('records a server-managed key', async () => {
    const store = InventoryStore.forWorkspace(dir, clock);
    const entry = await store.upsert(serverKeyRecord({ keyIds: { notary: ID_B, tuf: ID_B }, algorithm: 'ecdsa-p256', publicKey: 'AAAA' }, 'https://notary.example.com', { roles: ['timestamp'], gun: 'example.com/app' }));
    expect(entry.location).toEqual({ kind: 'server', server: 'https://notary.example.com' });
  });
});

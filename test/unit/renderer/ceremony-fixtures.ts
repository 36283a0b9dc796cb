import type { CeremonyDetail, RequestPreview } from '../../../shared/ipc/ceremony';
import type { InventoryRow, TokenKeyView } from '../../../shared/ipc/custody';
import type { TokenInfo } from '../../../shared/token/types';

/** Test data for the ceremony wizard specs: requests, tokens, keys and a ceremony detail, schema-shaped. */
export const hex = (c: string, n = 64): string => c.repeat(n);

export const token = (serial: string, patch: Partial<TokenInfo> = {}): TokenInfo => ({
  serial, label: `officer-${serial}`, model: 'SoftHSM v2', manufacturer: 'SoftHSM project', firmware: '2.6', hardware: '1.0',
  flags: 0x40c, pinState: 'ok', loginRequired: true, protectedAuthPath: false, ...patch,
});

export const tokenKey = (serial: string, ckaId: string, id: string, holder: string): TokenKeyView => ({
  tokenSerial: serial, ckaId, slot: null, label: `root ${holder}`, curve: 'P-256', spkiSha256: hex(id), publicKeyPem: '-----BEGIN PUBLIC KEY-----\n-----END PUBLIC KEY-----',
  keyIds: { tuf: hex(id), notary: hex(id, 63) + '0' }, alwaysAuthenticate: null,
  attestation: { badge: 'unverifiable', reason: 'SoftHSM', serial: null, firmware: null, pinPolicy: null, touchPolicy: null },
  inventoryId: null, roles: ['root'], holder,
});

export const fileKey = (id: string, role: string, holder: string | null = null): InventoryRow => ({
  id: hex(id), keyIds: { tuf: hex(id), notary: hex(id) }, algorithm: 'ed25519', roles: [role], gun: null, label: `${role} key`, holder,
  location: { kind: 'file', fileName: `${hex(id)}.key` }, origin: 'generated', status: 'active', addedAt: '2026-11-22T00:00:00.000Z', attestation: null,
});

const role = (name: string, delegatedBy: string | null, keyids: string[], patch: Partial<RequestPreview['roles'][number]> = {}): RequestPreview['roles'][number] => ({
  role: name, delegatedBy, keyids, threshold: 1, paths: null, version: 1, expires: '2027-01-01T00:00:00Z', dueForRefresh: false, targetCount: null, ...patch,
});

/** A TUF request for a repository that does not exist yet (init only). */
export const newTufRequest: RequestPreview = {
  pickId: 'pick-request-0001', displayPath: '/media/usb/new.request.bundle', dialect: 'tuf-1.0', repository: 'example.com/new', source: 'tuf-dir /srv/repo',
  createdAt: '2026-11-22T05:00:00Z', rootVersion: 0, rootExpires: null, rootThreshold: null, rootKeys: [], roles: [], keys: [], serverKeys: [], targetChanges: 0,
};

const rootKey = { keyid: hex('a'), algorithm: 'ecdsa-p256' as const, holder: 'Alice Officer', tokenSerial: 'A1', label: null, where: 'token' as const };
const aliceKey = { keyid: hex('d'), algorithm: 'ed25519' as const, holder: 'Alice Dev', tokenSerial: null, label: null, where: 'external' as const };

/** An existing TUF repository: root 1-of-1 on token A1, a delegation `alice`, targets due for refresh. */
export const tufRequest: RequestPreview = {
  ...newTufRequest,
  pickId: 'pick-request-0002', repository: 'example.com/app', rootVersion: 1, rootExpires: '2027-11-22T00:00:00Z', rootThreshold: 1, rootKeys: [rootKey],
  roles: [
    role('root', null, [hex('a')]),
    role('targets', 'root', [hex('b')], { dueForRefresh: true, targetCount: 2 }),
    role('snapshot', 'root', [hex('c')]),
    role('timestamp', 'root', [hex('e')]),
    role('alice', 'targets', [hex('d')], { paths: ['alice/*'], targetCount: 1 }),
  ],
  keys: [
    { ...rootKey, roles: ['root'] },
    { keyid: hex('b'), algorithm: 'ed25519', holder: null, tokenSerial: null, label: null, where: 'file', roles: ['targets'] },
    { ...aliceKey, roles: ['alice'] },
  ],
};

/** An existing Notary repository with the server's timestamp and snapshot keys. */
export const notaryRequest: RequestPreview = {
  ...tufRequest,
  pickId: 'pick-request-0003', dialect: 'notary-v1', repository: 'docker.io/acme/app',
  roles: [...tufRequest.roles.filter((r) => r.role !== 'alice'), role('targets/releases', 'targets', [hex('d')], { paths: [''] }), role('targets/alice', 'targets', [hex('d')], { paths: [''] })],
  serverKeys: [{ role: 'timestamp', keyid: hex('5') }, { role: 'snapshot', keyid: hex('6') }],
};

export const detail = (patch: Partial<CeremonyDetail> = {}): CeremonyDetail => ({
  summary: { id: 'c-2026-11-22-0001', kind: 'init', dialect: 'tuf-1.0', repository: 'example.com/new', phase: 'signing', createdAt: '2026-11-22T05:10:00Z', complete: false, journalHead: hex('0'), journalWords: ['aardvark', 'absurd'], journalEntries: 4 },
  confirmed: true, aborted: null, basisRootVersion: 0, keys: [], diff: [], checks: [], blocking: [], roles: [],
  pendingSigners: [{ where: 'file', tokenSerial: null, keyFileId: hex('b'), holder: 'Tagging team', keyids: [hex('b')], tasks: ['targets v1'] }],
  signatures: [], finalizedRoles: [], exported: [], pendingIntents: 0,
  ...patch,
});

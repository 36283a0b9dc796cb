/** Inventory records for keys that are not workspace files: token keys and server-managed keys. */
import type { TokenKey } from '../../../shared/token/types';
import type { InventoryEntry } from './inventory-schema';
import type { InventoryRecord } from './inventory-store';

export interface KeyDuty {
  roles: string[];
  gun: string | null;
  label?: string | null;
  holder?: string | null;
}

/**
 * A key on a PKCS#11 token, identified by token serial + CKA_ID + sha256(SPKI) (never slot index or
 * handle). The key IDs are the ones the token listing computed in both dialects.
 */
export function tokenKeyRecord(key: TokenKey, tokenLabel: string | null, duty: KeyDuty): InventoryRecord {
  return {
    id: key.keyIds.notary,
    keyIds: { notary: key.keyIds.notary, tuf: key.keyIds.tuf },
    algorithm: key.curve === 'P-256' ? 'ecdsa-p256' : 'ecdsa-p384',
    publicKey: Buffer.from(key.spkiDer, 'hex').toString('base64'),
    roles: duty.roles,
    gun: duty.gun,
    label: duty.label ?? (key.label || null),
    holder: duty.holder ?? null,
    location: { kind: 'token', tokenSerial: key.tokenSerial, ckaId: key.ckaId, spkiSha256: key.spkiSha256, tokenLabel },
    origin: 'token',
    status: 'active',
  };
}

/** A key the Notary server holds (timestamp, often snapshot): recorded so the inventory is complete. */
export function serverKeyRecord(
  key: { keyIds: { notary: string; tuf: string }; algorithm: InventoryEntry['algorithm']; publicKey: string },
  server: string | null,
  duty: KeyDuty,
): InventoryRecord {
  return {
    id: key.keyIds.notary,
    keyIds: key.keyIds,
    algorithm: key.algorithm,
    publicKey: key.publicKey,
    roles: duty.roles,
    gun: duty.gun,
    label: duty.label ?? null,
    holder: duty.holder ?? null,
    location: { kind: 'server', server },
    origin: 'recorded',
    status: 'active',
  };
}

/** The inventory entry for a token key, matched by its full identity (a re-generated key with the same CKA_ID is not it). */
export function findTokenEntry(entries: readonly InventoryEntry[], key: Pick<TokenKey, 'tokenSerial' | 'ckaId' | 'spkiSha256'>): InventoryEntry | null {
  return (
    entries.find((e) => e.location.kind === 'token' && e.location.tokenSerial === key.tokenSerial && e.location.ckaId === key.ckaId && e.location.spkiSha256 === key.spkiSha256) ?? null
  );
}

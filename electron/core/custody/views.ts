/**
 * Plain-data views the GUI receives: built field by field (never spread from core objects), so a
 * private field added to a core type can never reach the renderer by accident.
 */
import type { AttestationView, InventoryRow, TokenKeyView } from '../../../shared/ipc/custody';
import type { TokenKey } from '../../../shared/token/types';
import type { AttestationResult } from '../attestation';
import type { InventoryAttestation, InventoryEntry } from '../inventory';
import { slotForCkaId } from './piv-slots';

export function attestationView(result: AttestationResult): AttestationView {
  const details = result.details ?? {};
  return {
    badge: result.badge,
    reason: result.reason,
    serial: details.serial ?? null,
    firmware: details.firmware ?? null,
    pinPolicy: details.pinPolicy ?? null,
    touchPolicy: details.touchPolicy ?? null,
  };
}

/** The attestation recorded in the inventory (at enrollment or by `keys attest`). */
export function recordedAttestationView(record: InventoryAttestation): AttestationView {
  return {
    badge: record.badge,
    reason: record.reason,
    serial: record.serial,
    firmware: record.firmware,
    pinPolicy: record.pinPolicy,
    touchPolicy: record.touchPolicy,
  };
}

export function tokenKeyView(key: TokenKey, attestation: AttestationView, entry: InventoryEntry | null): TokenKeyView {
  return {
    tokenSerial: key.tokenSerial,
    ckaId: key.ckaId,
    slot: slotForCkaId(key.ckaId),
    label: key.label,
    curve: key.curve,
    spkiSha256: key.spkiSha256,
    publicKeyPem: key.publicKeyPem,
    keyIds: { tuf: key.keyIds.tuf, notary: key.keyIds.notary },
    alwaysAuthenticate: key.alwaysAuthenticate,
    attestation,
    inventoryId: entry?.id ?? null,
    roles: entry ? [...entry.roles] : [],
    holder: entry?.holder ?? null,
  };
}

export function inventoryRow(entry: InventoryEntry): InventoryRow {
  const { location } = entry;
  return {
    id: entry.id,
    keyIds: { notary: entry.keyIds.notary, tuf: entry.keyIds.tuf },
    algorithm: entry.algorithm,
    roles: [...entry.roles],
    gun: entry.gun,
    label: entry.label,
    holder: entry.holder,
    location:
      location.kind === 'token'
        ? { kind: 'token', tokenSerial: location.tokenSerial, ckaId: location.ckaId, slot: slotForCkaId(location.ckaId), tokenLabel: location.tokenLabel }
        : location.kind === 'file'
          ? { kind: 'file', fileName: location.fileName }
          : { kind: 'server', server: location.server },
    origin: entry.origin,
    status: entry.status,
    addedAt: entry.addedAt,
    attestation: entry.attestation ? recordedAttestationView(entry.attestation) : null,
  };
}

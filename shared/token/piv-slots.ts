/**
 * PIV key slots ↔ CKA_ID as ykcs11 numbers them (hardware.md §1): 1→9a, 2→9c, 3→9d, 4→9e,
 * 5–24→retired 82–95, 25→f9 (the attestation key; never a user key).
 */
export const PIV_ATTESTATION_CKA_ID = '19';

/** The PIV slot (lower-case hex, e.g. "9c") a CKA_ID stands for, or null outside ykcs11's numbering. */
export function pivSlotForCkaId(ckaId: string): string | null {
  if (!/^[0-9a-f]{2}$/.test(ckaId)) return null;
  const id = Number.parseInt(ckaId, 16);
  if (id >= 1 && id <= 4) return (['9a', '9c', '9d', '9e'] as const)[id - 1] ?? null;
  if (id >= 5 && id <= 24) return (0x82 + id - 5).toString(16);
  if (id === 25) return 'f9';
  return null;
}

/** The CKA_ID (hex) ykcs11 gives a PIV slot, or null for an unknown slot. */
export function ckaIdForPivSlot(slot: string): string | null {
  for (let id = 1; id <= 25; id++) {
    const ckaId = id.toString(16).padStart(2, '0');
    if (pivSlotForCkaId(ckaId) === slot.toLowerCase()) return ckaId;
  }
  return null;
}

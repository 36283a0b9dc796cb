/**
 * PIV slot names ↔ CKA_ID as ykcs11 numbers them (hardware.md §1: 1→9a, 2→9c, 3→9d, 4→9e,
 * 5–24→retired 82–95, 25→f9). SoftHSM has no slots, so the same CKA_IDs are used there: a key
 * enrolled "in 9c" on SoftHSM has CKA_ID 02, exactly what it would have on a YubiKey.
 */
export type GeneratableSlot = '9a' | '9c' | '9d' | '9e';

const SLOT_TO_ID: Record<GeneratableSlot, string> = { '9a': '01', '9c': '02', '9d': '03', '9e': '04' };

export function ckaIdForSlot(slot: GeneratableSlot): string {
  return SLOT_TO_ID[slot];
}

/** The PIV slot a CKA_ID stands for, or null for IDs outside ykcs11's numbering. */
export function slotForCkaId(ckaId: string): string | null {
  if (!/^[0-9a-f]{2}$/.test(ckaId)) return null;
  const id = Number.parseInt(ckaId, 16);
  if (id >= 1 && id <= 4) return (['9a', '9c', '9d', '9e'] as const)[id - 1] ?? null;
  if (id >= 5 && id <= 24) return (0x82 + id - 5).toString(16);
  if (id === 25) return 'f9';
  return null;
}

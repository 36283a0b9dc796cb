/**
 * The PIV slots a key may be generated in, named for the enrol wizard and `keys generate --token`.
 * The slot ↔ CKA_ID numbering itself lives once, in shared/token/piv-slots.ts (ykcs11's: 9a→01,
 * 9c→02, 9d→03, 9e→04). SoftHSM has no slots, so the same CKA_IDs are used there: a key enrolled
 * "in 9c" on SoftHSM has CKA_ID 02, exactly what it would have on a YubiKey.
 */
import { ckaIdForPivSlot, pivSlotForCkaId } from '../../../shared/token/piv-slots';

export type GeneratableSlot = '9a' | '9c' | '9d' | '9e';

export function ckaIdForSlot(slot: GeneratableSlot): string {
  const ckaId = ckaIdForPivSlot(slot);
  // The four generatable slots are always in ykcs11's numbering; null would be a broken table.
  if (ckaId === null) throw new Error(`no CKA_ID for PIV slot ${slot}`);
  return ckaId;
}

/** The PIV slot a CKA_ID stands for, or null for IDs outside ykcs11's numbering. */
export const slotForCkaId = pivSlotForCkaId;

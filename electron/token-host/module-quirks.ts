/**
 * What differs between PKCS#11 modules, decided once from C_GetInfo. Only ykcs11 (Yubico's PIV
 * module) has quirks Keyrite must follow; everything else gets plain PKCS#11 (hardware.md §1, §7).
 */
import type { PinState } from '../../shared/token/types';

export interface ModuleQuirks {
  /**
   * ykcs11: the PIV applet. Key generation needs the SO login (management key); the private
   * template must not carry CKA_EXTRACTABLE / CKA_ALWAYS_AUTHENTICATE (CKR_ATTRIBUTE_TYPE_INVALID:
   * PIV keys are never extractable and 9c is always-authenticate by itself); CKA_ID 0x19 is the
   * F9 attestation key; firmware minor encodes minor*10+patch; attestation objects exist.
   */
  piv: boolean;
}

export function quirksFor(manufacturerId: string): ModuleQuirks {
  return { piv: manufacturerId.trim().startsWith('Yubico') };
}

/**
 * Tries left when the flags say it exactly. ykcs11 sets COUNT_LOW at exactly 2 tries, FINAL_TRY
 * at 1, LOCKED at 0 (ykcs11.c C_GetTokenInfo); other modules set COUNT_LOW after any failure.
 */
export function triesLeft(quirks: ModuleQuirks, pinState: PinState | undefined): number | null {
  if (pinState === 'locked') return 0;
  if (pinState === 'final-try') return 1;
  if (quirks.piv && pinState === 'count-low') return 2;
  return null;
}

/** CK_TOKEN_INFO.firmwareVersion as text; ykcs11 packs 5.4.3 as {5, 43}. */
export function firmwareText(quirks: ModuleQuirks, v: { major: number; minor: number }): string {
  if (quirks.piv && v.minor >= 10) return `${v.major}.${Math.floor(v.minor / 10)}.${v.minor % 10}`;
  return `${v.major}.${v.minor}`;
}

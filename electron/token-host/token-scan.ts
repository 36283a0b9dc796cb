/** Slot enumeration: which tokens are present now, described from CK_TOKEN_INFO. */
import type { Handle, PKCS11, TokenInfo as Pkcs11TokenInfo } from 'pkcs11js';

import { CKF_LOGIN_REQUIRED, CKF_PROTECTED_AUTHENTICATION_PATH, pinStateFromFlags } from '../../shared/token/pin-state';
import type { TokenInfo } from '../../shared/token/types';
import { ckrOf } from './ckr-errors';
import { firmwareText, type ModuleQuirks } from './module-quirks';

const CKF_TOKEN_INITIALIZED = 0x400;

/** PKCS#11 strings are blank-padded (and pkcs11js may leave NULs). */
export const trimPadded = (s: string): string => s.replace(/[\s\0]+$/, '');
export const version = (v: { major: number; minor: number }): string => `${v.major}.${v.minor}`;

export interface ScannedToken {
  slot: Handle;
  info: TokenInfo;
}

/** Present tokens; slots whose token cannot be read (SoftHSM with its token dir gone) are skipped. */
export function scanTokens(p11: PKCS11, quirks: ModuleQuirks = { piv: false }): ScannedToken[] {
  const tokens: ScannedToken[] = [];
  for (const slot of p11.C_GetSlotList(true)) {
    let raw: Pkcs11TokenInfo;
    try {
      raw = p11.C_GetTokenInfo(slot);
    } catch (error) {
      if (ckrOf(error) === null) throw error;
      continue; // a slot that cannot describe its token is, for us, an absent token
    }
    // Keyrite never initialises tokens (C_InitToken on ykcs11 is a full PIV reset): skip blank ones.
    if ((raw.flags & CKF_TOKEN_INITIALIZED) === 0) continue;
    tokens.push({
      slot,
      info: {
        serial: trimPadded(raw.serialNumber),
        label: trimPadded(raw.label),
        model: trimPadded(raw.model),
        manufacturer: trimPadded(raw.manufacturerID),
        firmware: firmwareText(quirks, raw.firmwareVersion),
        hardware: version(raw.hardwareVersion),
        flags: raw.flags,
        pinState: pinStateFromFlags(raw.flags),
        loginRequired: (raw.flags & CKF_LOGIN_REQUIRED) !== 0,
        protectedAuthPath: (raw.flags & CKF_PROTECTED_AUTHENTICATION_PATH) !== 0,
      },
    });
  }
  return tokens;
}

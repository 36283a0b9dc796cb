/** PIV / YubiKey constants the card emulator answers with (NIST SP 800-73-4, Yubico's extensions). */
import type { PivCurve } from './raw-ecdsa';

export const SW = {
  OK: 0x9000,
  SECURITY_STATUS: 0x6982,
  AUTH_BLOCKED: 0x6983,
  INCORRECT_PARAM: 0x6a80,
  FILE_NOT_FOUND: 0x6a82,
  REFERENCE_NOT_FOUND: 0x6a88,
  WRONG_LENGTH: 0x6700,
  INCORRECT_SLOT: 0x6b00,
  INS_NOT_SUPPORTED: 0x6d00,
} as const;

export const PIV_AID = Buffer.from('a000000308', 'hex');
export const ALGORITHMS: Record<number, PivCurve> = { 0x11: 'P-256', 0x14: 'P-384' };
export const ALGORITHM_OF: Record<PivCurve, number> = { 'P-256': 0x11, 'P-384': 0x14 };
export const KEY_SLOTS = [0x9a, 0x9c, 0x9d, 0x9e, ...Array.from({ length: 20 }, (_, i) => 0x82 + i)];
/** PIV default PIN policies: 9c is "always", 9e "never", the rest "once". */
export const DEFAULT_PIN_POLICY = (slot: number): number => (slot === 0x9c ? 3 : slot === 0x9e ? 1 : 2);

/** PIN/PUK as VERIFY carries it: 8 bytes, padded with FF. */
export const padPin = (pin: string): Buffer => Buffer.concat([Buffer.from(pin, 'latin1'), Buffer.alloc(8, 0xff)]).subarray(0, 8);

export interface Reply {
  data: Buffer;
  sw: number;
}


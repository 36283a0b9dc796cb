/** Public token and key descriptions (zod schemas; the TS types are `z.infer` of them). */
import { z } from 'zod';

const hex = z.string().regex(/^(?:[0-9a-f]{2})*$/, 'lower-case hex');

export const EcCurve = z.enum(['P-256', 'P-384']);
export type EcCurve = z.infer<typeof EcCurve>;

/** From CKF_USER_PIN_* token flags: ok / COUNT_LOW / FINAL_TRY / LOCKED (or never set). */
export const PinState = z.enum(['ok', 'count-low', 'final-try', 'locked', 'not-initialized']);
export type PinState = z.infer<typeof PinState>;

export const TokenInfo = z.strictObject({
  serial: z.string(),
  label: z.string(),
  model: z.string(),
  manufacturer: z.string(),
  /** "major.minor" from CK_TOKEN_INFO.firmwareVersion. */
  firmware: z.string(),
  hardware: z.string(),
  /** Raw CK_TOKEN_INFO.flags, for diagnostics. */
  flags: z.number().int().nonnegative(),
  pinState: PinState,
  loginRequired: z.boolean(),
  /** CKF_PROTECTED_AUTHENTICATION_PATH: PIN is entered on the device, not in Keyrite. */
  protectedAuthPath: z.boolean(),
});
export type TokenInfo = z.infer<typeof TokenInfo>;

/**
 * A key on a token. Identified by token serial + CKA_ID + sha256(SPKI), never by slot index or
 * object handle (both change across replugs and logins).
 */
export const TokenKey = z.strictObject({
  tokenSerial: z.string(),
  ckaId: hex.min(2),
  label: z.string(),
  keyType: z.literal('ec'),
  curve: EcCurve,
  /** DER SubjectPublicKeyInfo, hex. */
  spkiDer: hex,
  publicKeyPem: z.string(),
  spkiSha256: hex.length(64),
  /** `${tokenSerial}/${ckaId}/${spkiSha256}`. */
  keyIdentity: z.string(),
  /** The key's ID in each dialect (shared/token/key-ids.ts). */
  keyIds: z.strictObject({ tuf: hex.length(64), notary: hex.length(64) }),
  /** CKA_ALWAYS_AUTHENTICATE of the private key; null when the private key is not visible (not logged in). */
  alwaysAuthenticate: z.boolean().nullable(),
});
export type TokenKey = z.infer<typeof TokenKey>;

/** What the core needs to find a key again and check it is the same one. */
export const TokenKeyRef = z.strictObject({
  tokenSerial: z.string(),
  ckaId: hex.min(2),
  spkiSha256: hex.length(64),
});
export type TokenKeyRef = z.infer<typeof TokenKeyRef>;

export function keyIdentity(ref: TokenKeyRef): string {
  return `${ref.tokenSerial}/${ref.ckaId}/${ref.spkiSha256}`;
}

/** Signature dialects: Notary wants raw r‖s, TUF wants DER (hardware.md §2 "Signature encoding"). */
export const SignatureDialect = z.enum(['notary-v1', 'tuf-1.0']);
export type SignatureDialect = z.infer<typeof SignatureDialect>;

export const LoginUser = z.enum(['user', 'so']);
export type LoginUser = z.infer<typeof LoginUser>;

/** A key's attestation certificates (DER, lower-case hex), as `readAttestation` returns them. */
export const AttestationCertificates = z.strictObject({
  /** The slot's attestation certificate (PIV INS F9), signed by the device certificate. */
  slotCertificate: hex.min(2).nullable(),
  /** The token's F9 device (intermediate) certificate. */
  deviceCertificate: hex.min(2).nullable(),
});
export type AttestationCertificates = z.infer<typeof AttestationCertificates>;

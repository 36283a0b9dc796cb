/**
 * Core ↔ token-host message union (style.md #20): `{ type, requestId, data }`, validated with zod on
 * both sides. Bytes travel as Uint8Array (the channel uses structured-clone "advanced"
 * serialization, as Electron's utilityProcess does), so PIN buffers can be wiped after use.
 */
import { z } from 'zod';

import { AttestationCertificates, EcCurve, LoginUser, TokenInfo, TokenKey, TokenKeyRef } from './types';

const bytes = z.custom<Uint8Array>((value) => value instanceof Uint8Array, 'expected bytes (Uint8Array)');
const ckaIdHex = z.string().regex(/^(?:[0-9a-f]{2}){1,32}$/, 'CKA_ID as 1–32 bytes of lower-case hex');
const serial = z.string().min(1).max(64);

/** Request payloads and response payloads, per message type. */
export const TOKEN_HOST_MESSAGES = {
  open: { req: z.strictObject({ modulePath: z.string().min(1) }), res: z.strictObject({ library: z.string() }) },
  listTokens: { req: z.strictObject({}), res: z.array(TokenInfo) },
  listKeys: { req: z.strictObject({ tokenSerial: serial }), res: z.array(TokenKey) },
  login: {
    req: z.strictObject({ tokenSerial: serial, user: LoginUser, pin: bytes }),
    res: z.strictObject({ pinState: TokenInfo.shape.pinState }),
  },
  logout: { req: z.strictObject({ tokenSerial: serial }), res: z.strictObject({}) },
  generateKey: {
    req: z.strictObject({
      tokenSerial: serial,
      ckaId: ckaIdHex,
      curve: EcCurve,
      label: z.string().max(64),
      /** PIN for every signature (CKA_ALWAYS_AUTHENTICATE); PIV modules decide this per slot. */
      alwaysAuthenticate: z.boolean().optional(),
    }),
    res: TokenKey,
  },
  sign: {
    req: z.strictObject({
      key: TokenKeyRef,
      /** The message; the host hashes it (SHA-256 for P-256, SHA-384 for P-384) before CKM_ECDSA. */
      data: bytes,
      /** Needed only when the key has CKA_ALWAYS_AUTHENTICATE (PIV slot 9c). */
      pin: bytes.optional(),
    }),
    /** Raw r‖s exactly as the token produced it. */
    res: z.strictObject({ signature: bytes, curve: EcCurve }),
  },
  /**
   * PIV attestation as the module exposes it (ykcs11: the slot's "X.509 Certificate for PIV
   * Attestation <slot>" object and the F9 device certificate, CKA_ID 0x19). DER as lower-case hex;
   * null where the module has no such object (SoftHSM, imported keys, OpenSC).
   */
  readAttestation: {
    req: z.strictObject({ tokenSerial: serial, ckaId: ckaIdHex }),
    res: AttestationCertificates,
  },
  close: { req: z.strictObject({}), res: z.strictObject({}) },
} as const;

export type TokenHostMessageType = keyof typeof TOKEN_HOST_MESSAGES;
export type TokenHostRequestData<T extends TokenHostMessageType> = z.infer<(typeof TOKEN_HOST_MESSAGES)[T]['req']>;
export type TokenHostResponseData<T extends TokenHostMessageType> = z.infer<(typeof TOKEN_HOST_MESSAGES)[T]['res']>;

const requestId = z.number().int().nonnegative();

export const TokenHostRequest = z.discriminatedUnion(
  'type',
  (Object.keys(TOKEN_HOST_MESSAGES) as TokenHostMessageType[]).map((type) =>
    z.strictObject({ type: z.literal(type), requestId, data: TOKEN_HOST_MESSAGES[type].req }),
  ) as unknown as [z.ZodObject, ...z.ZodObject[]],
);
/** Typed view of a validated request (the discriminated union above, written out for narrowing). */
export type TokenHostRequest = {
  [T in TokenHostMessageType]: { type: T; requestId: number; data: TokenHostRequestData<T> };
}[TokenHostMessageType];

const SerializedErrorSchema = z.strictObject({
  name: z.string(),
  message: z.string(),
  detail: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])).optional(),
});

/** The host answers every request exactly once; `data` is checked against the request type's `res`. */
export const TokenHostResponse = z.discriminatedUnion('ok', [
  z.strictObject({ type: z.literal('response'), requestId, ok: z.literal(true), data: z.unknown() }),
  z.strictObject({ type: z.literal('response'), requestId, ok: z.literal(false), error: SerializedErrorSchema }),
]);
export type TokenHostResponse = z.infer<typeof TokenHostResponse>;

import { z } from 'zod';

import { EcCurve, TokenInfo } from '../token/types';

/**
 * Schemas of the key-custody channels (tokens:* and keys:*). Only public facts cross: token
 * descriptions, public keys and key IDs, inventory rows. A PIN or passphrase crosses once, as the
 * argument of the one call that needs it, and never comes back.
 */

const hex = z.string().regex(/^(?:[0-9a-f]{2})+$/, 'lower-case hex');
const KeyId = z.string().regex(/^[0-9a-f]{64}$/, '64 lower-case hex characters');
const PickId = z.string().regex(/^[A-Za-z0-9-]{8,64}$/);
const Serial = z.string().min(1).max(64);
const Role = z.string().regex(/^[a-z0-9][a-z0-9/_.-]{0,127}$/i, 'a role such as root, targets or targets/releases');
const Gun = z.string().min(1).max(255);
const ShortText = z.string().max(64);

/** A PIN as typed: PKCS#11 and PIV accept 4–64 bytes; main wipes its copy after use. */
export const Pin = z.string().min(4, 'a PIN has at least 4 characters').max(64, 'a PIN has at most 64 characters');
/** A key-file passphrase (checked for strength by the core when it encrypts). */
export const Passphrase = z.string().min(1, 'enter the passphrase').max(1024);

/** The PIV slots a key may be generated in (CKA_ID 1–4 in ykcs11 numbering; hardware.md §1). */
export const PivSlot = z.enum(['9a', '9c', '9d', '9e']);
export type PivSlot = z.infer<typeof PivSlot>;

export const AttestationBadge = z.enum(['attested-on-device', 'imported', 'unverifiable']);
export type AttestationBadge = z.infer<typeof AttestationBadge>;

export const AttestationView = z.strictObject({
  badge: AttestationBadge,
  /** Why: the verifier's reason, or what the token could not provide. */
  reason: z.string(),
  serial: z.number().int().nullable(),
  firmware: z.string().nullable(),
  pinPolicy: z.string().nullable(),
  touchPolicy: z.string().nullable(),
});
export type AttestationView = z.infer<typeof AttestationView>;

/** The live token list, or why there is none (no module, host crashed): an honest state, not an error. */
export const TokenListSnapshot = z.strictObject({
  modulePath: z.string().nullable(),
  tokens: z.array(TokenInfo),
  problem: z.string().nullable(),
  scannedAt: z.iso.datetime(),
});
export type TokenListSnapshot = z.infer<typeof TokenListSnapshot>;

export const TokenKeyView = z.strictObject({
  tokenSerial: z.string(),
  ckaId: hex,
  /** PIV slot name when the CKA_ID is one ykcs11 maps (01→9a, 02→9c...), else null. */
  slot: z.string().nullable(),
  label: z.string(),
  curve: EcCurve,
  spkiSha256: KeyId,
  publicKeyPem: z.string(),
  keyIds: z.strictObject({ tuf: KeyId, notary: KeyId }),
  alwaysAuthenticate: z.boolean().nullable(),
  attestation: AttestationView,
  /** The inventory entry that records this exact key (serial + CKA_ID + SPKI hash), if any. */
  inventoryId: KeyId.nullable(),
  roles: z.array(z.string()),
  holder: z.string().nullable(),
});
export type TokenKeyView = z.infer<typeof TokenKeyView>;

export const InventoryLocationView = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('token'), tokenSerial: z.string(), ckaId: hex, slot: z.string().nullable(), tokenLabel: z.string().nullable() }),
  z.strictObject({ kind: z.literal('file'), fileName: z.string() }),
  z.strictObject({ kind: z.literal('server'), server: z.string().nullable() }),
]);

export const InventoryRow = z.strictObject({
  id: KeyId,
  keyIds: z.strictObject({ notary: KeyId, tuf: KeyId }),
  algorithm: z.enum(['ed25519', 'ecdsa-p256', 'ecdsa-p384', 'rsa']),
  roles: z.array(z.string()),
  gun: z.string().nullable(),
  label: z.string().nullable(),
  holder: z.string().nullable(),
  location: InventoryLocationView,
  origin: z.enum(['generated', 'imported', 'token', 'recorded']),
  status: z.enum(['active', 'quarantined']),
  addedAt: z.iso.datetime(),
  /** Token keys: the attestation recorded at enrollment; null for file/server keys or never checked. */
  attestation: AttestationView.nullable(),
});
export type InventoryRow = z.infer<typeof InventoryRow>;

export const GenerateOnToken = z.strictObject({
  tokenSerial: Serial,
  slot: PivSlot.default('9c'),
  curve: EcCurve.default('P-256'),
  label: ShortText.default(''),
  holder: ShortText.optional(),
  role: Role.optional(),
  gun: Gun.optional(),
  /** The user PIN (SoftHSM and other modules generate as the logged-in user). */
  pin: Pin.optional(),
  /**
   * YubiKey PIV generates only as SO, i.e. with the PIV management key (hex; 3DES 48, AES 32/48/64
   * characters). Keyrite never tries the default one.
   */
  managementKey: z.string().regex(/^(?:[0-9a-fA-F]{32}|[0-9a-fA-F]{48}|[0-9a-fA-F]{64})$/, 'the PIV management key as 32, 48 or 64 hex characters').optional(),
  /** Required (true) when the token reports its final PIN try: main refuses without it. */
  confirmFinalTry: z.boolean().optional(),
}).refine((request) => request.pin !== undefined || request.managementKey !== undefined, { message: 'enter the PIN (or the PIV management key)', path: ['pin'] });

export const GeneratedOnToken = z.strictObject({ key: TokenKeyView, entry: InventoryRow });

export const TokenProgress = z.strictObject({
  operation: z.enum(['login', 'generate', 'sign']),
  /** `touch`: the token may be waiting for a touch ("touch your YubiKey"); the wait can be cancelled. */
  phase: z.enum(['working', 'touch', 'done', 'failed', 'cancelled']),
  tokenSerial: z.string(),
  message: z.string(),
});
export type TokenProgress = z.infer<typeof TokenProgress>;

export const PickFile = z.strictObject({
  mode: z.enum(['open', 'save']),
  title: z.string().max(120),
  suggestedName: z.string().regex(/^[^/\\]{1,128}$/).optional(),
});
export const PickedFile = z.strictObject({ pickId: PickId, displayPath: z.string() });

export const SoftwareAlgorithm = z.enum(['ed25519', 'ecdsa-p256', 'rsa-3072', 'rsa-4096']);
export type SoftwareAlgorithm = z.infer<typeof SoftwareAlgorithm>;

export const ImportKeyFile = z.strictObject({
  pickId: PickId,
  passphrase: Passphrase,
  role: Role.optional(),
  gun: Gun.optional(),
  label: ShortText.optional(),
  holder: ShortText.optional(),
});

export const ExportKeyFile = z.strictObject({
  keyId: KeyId,
  pickId: PickId,
  format: z.enum(['notary', 'keyrite']),
  /** Needed for the Notary format (the key is re-encrypted with it); the Keyrite copy is the file as is. */
  passphrase: Passphrase.optional(),
});

export const GenerateSoftwareKey = z.strictObject({
  algorithm: SoftwareAlgorithm,
  role: Role,
  gun: Gun.optional(),
  label: ShortText.optional(),
  holder: ShortText.optional(),
  passphrase: Passphrase,
});

/** The key inventory's on-disk schema (`keys/inventory.json` in the workspace). */
import { z } from 'zod';

const hex = z.string().regex(/^(?:[0-9a-f]{2})+$/, 'lower-case hex');
const keyId = z.string().regex(/^[0-9a-f]{64}$/, '64 lower-case hex characters');

/**
 * Where a key lives. A token key is identified by token serial + CKA_ID + sha256(SPKI), never by
 * slot index or handle (both change across replugs); a file key by its name in the workspace key
 * store (content-addressed, so a passphrase change yields a new name the inventory follows).
 */
export const KeyLocation = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('token'), tokenSerial: z.string().min(1), ckaId: hex, spkiSha256: keyId, tokenLabel: z.string().nullable() }),
  z.strictObject({ kind: z.literal('file'), fileName: z.string().regex(/^[^/\\]+$/, 'a file name inside the key store, no directories') }),
  z.strictObject({ kind: z.literal('server'), server: z.string().nullable() }),
]);
export type KeyLocation = z.infer<typeof KeyLocation>;

export const InventoryAlgorithm = z.enum(['ed25519', 'ecdsa-p256', 'ecdsa-p384', 'rsa']);
export type InventoryAlgorithm = z.infer<typeof InventoryAlgorithm>;

/**
 * The attestation a token gave for a key when it was enrolled or last attested (hardware.md §7:
 * store the chain with the public key), as verified then. Fields line up with the GUI's
 * AttestationView (shared/ipc/custody.ts).
 */
export const InventoryAttestation = z.strictObject({
  badge: z.enum(['attested-on-device', 'imported', 'unverifiable']),
  reason: z.string(),
  /** The verifier's failure code (`no-attestation`, `untrusted-chain`...), null when attested. */
  failure: z.string().nullable(),
  serial: z.number().int().nullable(),
  firmware: z.string().nullable(),
  pinPolicy: z.string().nullable(),
  touchPolicy: z.string().nullable(),
  formFactor: z.string().nullable(),
  slotCertificatePem: z.string().nullable(),
  deviceCertificatePem: z.string().nullable(),
  checkedAt: z.iso.datetime(),
});
export type InventoryAttestation = z.infer<typeof InventoryAttestation>;

export const InventoryEntry = z.strictObject({
  /** Notary canonical key ID (the primary key of the inventory). */
  id: keyId,
  keyIds: z.strictObject({ notary: keyId, tuf: keyId }),
  algorithm: InventoryAlgorithm,
  /** base64 SPKI DER: lets anyone re-derive both key IDs. */
  publicKey: z.string().min(1),
  roles: z.array(z.string().min(1)),
  gun: z.string().nullable(),
  label: z.string().nullable(),
  holder: z.string().nullable(),
  location: KeyLocation,
  /** How the key came to us: generated here, imported from a file, enrolled from a token, or recorded. */
  origin: z.enum(['generated', 'imported', 'token', 'recorded']),
  /** `quarantined`: the key file was moved to keys/quarantine after a verified backup. */
  status: z.enum(['active', 'quarantined']),
  /** Token keys: the attestation recorded at enrollment or by `keys attest` (absent: never checked). */
  attestation: InventoryAttestation.optional(),
  addedAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});
export type InventoryEntry = z.infer<typeof InventoryEntry>;

export const INVENTORY_VERSION = 1;

export const InventoryFile = z.strictObject({
  format: z.literal('keyrite-key-inventory'),
  version: z.literal(INVENTORY_VERSION),
  keys: z.array(InventoryEntry),
});
export type InventoryFile = z.infer<typeof InventoryFile>;

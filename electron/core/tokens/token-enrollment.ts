/**
 * On-token key generation with its inventory record, and the token's attestation for a key
 * (issue 3 "Key generation", "Attestation"). Shared by the CLI and the GUI facade: the caller has
 * logged in already (PIN handling is the interface's business); this module never sees a PIN.
 */
import { X509Certificate } from 'node:crypto';

import type { GenerateKeyRequest } from '../../../shared/token/token-backend';
import { KeyNotFoundError } from '../../../shared/token/errors';
import type { EcCurve, TokenKey } from '../../../shared/token/types';
import { verifyPivAttestation, type AttestationResult } from '../attestation';
import { ckaIdForSlot, type GeneratableSlot } from '../custody/piv-slots';
import { findTokenEntry, tokenKeyRecord, type InventoryAttestation, type InventoryEntry, type InventoryStore } from '../inventory';

/**
 * Certificates a token gives for a key, DER as lower-case hex (the token host's `readAttestation`):
 * the slot attestation and the F9 device certificate; null when the module exposes none.
 */
export interface TokenAttestationCertificates {
  slotCertificate: string | null;
  deviceCertificate: string | null;
}

/** What enrollment needs of a TokenClient; `readAttestation` only where the host offers it. */
export interface EnrollmentClient {
  generateKey(request: GenerateKeyRequest): Promise<TokenKey>;
  listKeys(tokenSerial: string): Promise<TokenKey[]>;
  readAttestation?: (tokenSerial: string, ckaId: string) => Promise<TokenAttestationCertificates>;
}

export const GENERATABLE_SLOTS: readonly GeneratableSlot[] = ['9a', '9c', '9d', '9e'];

export interface EnrollOnTokenRequest {
  tokenSerial: string;
  /** Token label, recorded with the location (shown when the token is not plugged in). */
  tokenLabel: string | null;
  slot: GeneratableSlot;
  curve: EcCurve;
  label?: string | null;
  holder?: string | null;
  roles: string[];
  gun: string | null;
}

export interface EnrollResult {
  key: TokenKey;
  slot: GeneratableSlot;
  attestation: InventoryAttestation;
  /** The verifier's full result (chain subjects, failure). */
  attestationResult: AttestationResult;
  entry: InventoryEntry;
}

export interface EnrollmentDeps {
  client: EnrollmentClient;
  inventory: InventoryStore;
  now?: () => Date;
}

/** Generates a key on the token in `slot`, reads and verifies its attestation, and records it in the inventory. */
export async function enrollOnToken(deps: EnrollmentDeps, request: EnrollOnTokenRequest): Promise<EnrollResult> {
  const label = request.label?.trim() || `Keyrite ${request.roles.join(',') || 'key'} (${request.slot})`;
  const key = await deps.client.generateKey({ tokenSerial: request.tokenSerial, ckaId: ckaIdForSlot(request.slot), curve: request.curve, label: label.slice(0, 64) });
  const { result, record } = await readTokenAttestation(deps.client, key, deps.now ? { at: deps.now() } : {});
  const entry = await deps.inventory.upsert({
    ...tokenKeyRecord(key, request.tokenLabel, { roles: request.roles, gun: request.gun, label: request.label ?? null, holder: request.holder ?? null }),
    attestation: record,
  });
  return { key, slot: request.slot, attestation: record, attestationResult: result, entry };
}

/** The key on a token whose CKA_ID stands for `slot`; KeyNotFoundError when the slot is empty. */
export async function findSlotKey(client: Pick<EnrollmentClient, 'listKeys'>, tokenSerial: string, slot: GeneratableSlot): Promise<TokenKey> {
  const ckaId = ckaIdForSlot(slot);
  const key = (await client.listKeys(tokenSerial)).find((k) => k.ckaId === ckaId);
  if (!key) throw new KeyNotFoundError(`Token ${tokenSerial} has no key in slot ${slot} (CKA_ID ${ckaId}).`, { tokenSerial, ckaId });
  return key;
}

/**
 * Reads the token's attestation for `key` and verifies it (chain to the bundled Yubico roots, the
 * attested key equals the token's public key, the serial equals the token's when it is numeric).
 * A token that offers no attestation (SoftHSM, OpenSC, a host without `readAttestation`) gives
 * badge `unverifiable` with failure `no-attestation`: generated there, but not provably on-device.
 */
export async function readTokenAttestation(
  client: Pick<EnrollmentClient, 'listKeys' | 'readAttestation'>,
  key: TokenKey,
  options: { at?: Date } = {},
): Promise<{ result: AttestationResult; record: InventoryAttestation }> {
  const at = options.at ?? new Date();
  let certificates: TokenAttestationCertificates | null = null;
  let readFailure: string | null = null;
  if (client.readAttestation) {
    try {
      certificates = await client.readAttestation(key.tokenSerial, key.ckaId);
    } catch (error) {
      // The key exists whatever happens here (enrollment must still record it): an unreadable attestation is "unverifiable".
      readFailure = error instanceof Error ? error.message : String(error);
    }
  }
  let result: AttestationResult;
  if (!certificates?.slotCertificate && !certificates?.deviceCertificate) {
    const reason = readFailure
      ? `the attestation could not be read from the token: ${readFailure}`
      : 'this token offers no attestation (only YubiKey PIV does), so where the key was made cannot be proven';
    result = { badge: 'unverifiable', failure: 'no-attestation', reason, details: null };
  } else {
    // A device certificate without a slot certificate is a YubiKey key it did not make (imported): the verifier says so.
    const expectedSerial = /^\d{1,10}$/.test(key.tokenSerial) ? Number(key.tokenSerial) : undefined;
    result = verifyPivAttestation({
      slotCertificate: certificates.slotCertificate === null ? null : Buffer.from(certificates.slotCertificate, 'hex'),
      deviceCertificate: certificates.deviceCertificate === null ? null : Buffer.from(certificates.deviceCertificate, 'hex'),
      publicKey: Buffer.from(key.spkiDer, 'hex'),
      at,
      ...(expectedSerial === undefined ? {} : { expectedSerial }),
    });
  }
  return { result, record: attestationRecord(result, certificates, at) };
}

/** Records a fresh attestation on the inventory entry of `key` (if the key is in the inventory). */
export async function recordAttestation(inventory: InventoryStore, key: TokenKey, attestation: InventoryAttestation): Promise<InventoryEntry | null> {
  const entry = findTokenEntry(await inventory.list(), key);
  if (!entry) return null;
  const { addedAt: _addedAt, updatedAt: _updatedAt, ...record } = entry;
  return inventory.upsert({ ...record, attestation });
}

function attestationRecord(result: AttestationResult, certificates: TokenAttestationCertificates | null, at: Date): InventoryAttestation {
  const d = result.details ?? {};
  return {
    badge: result.badge,
    reason: result.reason,
    failure: 'failure' in result ? result.failure : null,
    serial: d.serial ?? null,
    firmware: d.firmware ?? null,
    pinPolicy: d.pinPolicy ?? null,
    touchPolicy: d.touchPolicy ?? null,
    formFactor: d.formFactor ?? null,
    slotCertificatePem: pem(certificates?.slotCertificate ?? null),
    deviceCertificatePem: pem(certificates?.deviceCertificate ?? null),
    checkedAt: at.toISOString(),
  };
}

/** PEM of a DER certificate (hex); null when absent or unparseable (the verifier already said why). */
function pem(derHex: string | null): string | null {
  if (!derHex) return null;
  try {
    return new X509Certificate(Buffer.from(derHex, 'hex')).toString();
  } catch {
    // Unparseable bytes are kept out of the inventory; the result's failure ('malformed') records why.
    return null;
  }
}

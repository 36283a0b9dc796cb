/**
 * The attestation certificates a signed bundle carries (issue 4: "the signed metadata, the journal,
 * attestation certificates"): for every key the proposal uses whose inventory entry recorded a PIV
 * attestation, the slot and F9 device certificates as `attestation/<keyid>-slot.der` and
 * `-device.der`, so whoever publishes or audits the bundle can check "generated on a YubiKey"
 * without our workspace (`keyrite bundle verify` does).
 */
import { createPublicKey, X509Certificate } from 'node:crypto';

import type { Proposal } from '../../../shared/ceremony/types';
import { attestationEntryNames } from '../bundles';
import type { InventoryEntry } from '../inventory';

/** Matches by public key (SPKI), so the keyid dialect and where the key is held do not matter. */
export function collectAttestations(proposal: Pick<Proposal, 'keys'>, inventory: readonly InventoryEntry[]): Record<string, Uint8Array> {
  const bySpki = new Map<string, InventoryEntry>();
  for (const entry of inventory) {
    if (entry.attestation?.slotCertificatePem) bySpki.set(entry.publicKey, entry);
  }
  const out: Record<string, Uint8Array> = {};
  for (const key of proposal.keys) {
    const spki = createPublicKey(key.publicKeyPem).export({ type: 'spki', format: 'der' }).toString('base64');
    const attestation = bySpki.get(spki)?.attestation;
    if (!attestation?.slotCertificatePem) continue;
    const names = attestationEntryNames(key.keyid);
    out[names.slot] = new Uint8Array(new X509Certificate(attestation.slotCertificatePem).raw);
    if (attestation.deviceCertificatePem) out[names.device] = new Uint8Array(new X509Certificate(attestation.deviceCertificatePem).raw);
  }
  return out;
}

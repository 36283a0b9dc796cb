/**
 * Attestation checks of a signed bundle: every `attestation/<keyid>-slot.der` (with its
 * `<keyid>-device.der`) is verified against the bundled Yubico roots and against the public key the
 * proposal (whose payloads METADATA_MATCHES_PROPOSAL ties to the metadata) gives that keyid.
 * An unknown root or missing device certificate leaves the key "unverifiable", which is a finding,
 * not a broken bundle; a certificate that attests a different key, or does not parse or chain by
 * signature, fails the bundle: it claims something about the metadata key that is false.
 */
import { createPublicKey } from 'node:crypto';

import { canonicalString } from '../../../shared/tuf/canonical-json';
import type { JsonObject, JsonValue } from '../../../shared/tuf/model';
import { verifyPivAttestation, type AttestationResult } from '../attestation';
import type { ReadBundleContent } from './content';
import type { BundleCheck } from './verify';

const NAME = /^(.+)-(slot|device)$/;
/** Failures that make the certificate lie about the key, rather than merely be unprovable here. */
const FATAL = new Set(['key-mismatch', 'malformed', 'bad-signature', 'bad-extension']);

/** `attestation/<keyid>-slot.der` / `-device.der` names for one key (without the `.der`). */
export function attestationEntryNames(keyid: string): { slot: string; device: string } {
  return { slot: `${keyid}-slot`, device: `${keyid}-device` };
}

/** Keyids that have a slot certificate in the bundle, with both certificates. */
export function bundledAttestations(content: Pick<ReadBundleContent, 'attestations'>): { keyid: string; slot: Uint8Array; device: Uint8Array | null }[] {
  const out: { keyid: string; slot: Uint8Array; device: Uint8Array | null }[] = [];
  for (const [name, bytes] of Object.entries(content.attestations ?? {}).sort(([a], [b]) => a.localeCompare(b))) {
    const match = NAME.exec(name);
    if (match?.[2] !== 'slot' || match[1] === undefined) continue;
    const keyid = match[1];
    out.push({ keyid, slot: bytes, device: content.attestations?.[attestationEntryNames(keyid).device] ?? null });
  }
  return out;
}

export function attestationChecks(content: ReadBundleContent, options: { at?: Date } = {}): BundleCheck[] {
  const keys = new Map((content.proposal?.keys ?? []).map((k) => [k.keyid, k]));
  const inMetadata = metadataKeys(content.metadata);
  const at = options.at ?? new Date(content.createdAt);
  return bundledAttestations(content).map(({ keyid, slot, device }): BundleCheck => {
    const entry = `attestation/${attestationEntryNames(keyid).slot}.der`;
    const key = keys.get(keyid);
    if (key === undefined) return { code: 'ATTESTATION', passed: false, message: `${keyid}: an attestation for a key the proposal does not use`, entry };
    // The attested key must be the one the signed metadata lists, not only the proposal's copy.
    const listed = inMetadata.get(keyid);
    if (listed === undefined) return { code: 'ATTESTATION', passed: false, message: `${keyid}: an attestation for a key no signed metadata in the bundle lists`, entry };
    if (!listed.includes(canonicalString(key.keyObject))) return { code: 'ATTESTATION', passed: false, message: `${keyid}: the proposal's key differs from the key the signed metadata lists under this keyid`, entry };
    const result: AttestationResult = verifyPivAttestation({ slotCertificate: slot, deviceCertificate: device, publicKey: createPublicKey(key.publicKeyPem), at });
    const who = `${keyid.slice(0, 12)}…${key.tokenSerial === undefined ? '' : ` (token ${key.tokenSerial}${key.holder === undefined ? '' : `, ${key.holder}`})`}`;
    if (result.badge === 'attested-on-device') return { code: 'ATTESTATION', passed: true, message: `${who}: attested — ${result.reason}`, entry };
    if (FATAL.has(result.failure)) return { code: 'ATTESTATION', passed: false, message: `${who}: ${result.failure} — ${result.reason}`, entry };
    return { code: 'ATTESTATION', passed: true, message: `${who}: unverifiable (${result.failure}) — ${result.reason}`, entry };
  });
}

/** keyid → canonical key objects listed by any signed metadata (root keys, delegation keys). */
function metadataKeys(metadata: Record<string, Uint8Array>): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const add = (keys: JsonValue | undefined): void => {
    if (keys === null || typeof keys !== 'object' || Array.isArray(keys)) return;
    for (const [keyid, value] of Object.entries(keys)) {
      if (value === null || typeof value !== 'object' || Array.isArray(value)) continue;
      out.set(keyid, [...(out.get(keyid) ?? []), canonicalString(value)]);
    }
  };
  for (const bytes of Object.values(metadata)) {
    let signed: JsonObject;
    try {
      signed = (JSON.parse(Buffer.from(bytes).toString('utf8')) as { signed: JsonObject }).signed;
    } catch (error) {
      // METADATA_PARSE already reports an unparsable file; it lists no keys here.
      if (error instanceof SyntaxError) continue;
      throw error;
    }
    if (signed === null || typeof signed !== 'object') continue;
    add(signed['keys']);
    const delegations = signed['delegations'];
    if (delegations !== null && typeof delegations === 'object' && !Array.isArray(delegations)) add(delegations['keys']);
  }
  return out;
}

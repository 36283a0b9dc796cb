import { createPublicKey, X509Certificate, type KeyObject } from 'node:crypto';

import { AttestationExtensionError, yubicoAttestationInfo, type YubicoAttestationInfo } from './yubico-extensions';
import { yubicoAttestationAnchors, type AttestationAnchors } from './yubico-roots';

/** The per-key badge shown in the GUI and CLI (issue 3). */
export type AttestationBadge = 'attested-on-device' | 'imported' | 'unverifiable';

export type AttestationFailure =
  | 'no-attestation'
  | 'malformed'
  | 'untrusted-chain'
  | 'bad-signature'
  | 'key-mismatch'
  | 'expired'
  | 'not-yet-valid'
  | 'bad-extension'
  | 'serial-mismatch';

export interface AttestationDetails extends YubicoAttestationInfo {
  /** PIV slot from the attestation subject ("YubiKey PIV Attestation 9c"), lower-case hex. */
  slot: string | null;
  /** Subjects from the slot certificate up to the trusted root. */
  chain: string[];
  root: string;
}

export type AttestationResult =
  | { badge: 'attested-on-device'; reason: string; details: AttestationDetails }
  | { badge: 'imported' | 'unverifiable'; reason: string; failure: AttestationFailure; details: Partial<AttestationDetails> | null };

export interface AttestationInput {
  /** The slot's attestation certificate (PEM or DER), or null when the token gave none. */
  slotCertificate: string | Uint8Array | null;
  /** The F9 device attestation certificate (PEM or DER). */
  deviceCertificate: string | Uint8Array | null;
  /** The public key of the key being attested (as listed on the token); SPKI DER or KeyObject. */
  publicKey: KeyObject | Uint8Array;
  /** Evaluation time (pin it for reproducible ceremonies). */
  at?: Date;
  /** When known (the token's serial), the attested serial must equal it. */
  expectedSerial?: number;
  anchors?: AttestationAnchors;
}

const MAX_DEPTH = 6;

/**
 * Verifies a YubiKey PIV attestation: slot certificate ← F9 device certificate ← [bundled
 * intermediates] ← bundled Yubico root, every signature and validity period checked at `at`; the
 * attested key must be the key's public key; Yubico's extensions are decoded. Never throws for bad
 * input: the result carries the badge and the reason.
 */
export function verifyPivAttestation(input: AttestationInput): AttestationResult {
  const at = input.at ?? new Date();
  const anchors = input.anchors ?? yubicoAttestationAnchors();
  if (input.slotCertificate === null) {
    // ykcs11 cannot attest imported keys (hardware.md §1): no attestation means "not provably on-device".
    return { badge: 'imported', failure: 'no-attestation', reason: 'the token has no attestation for this key: it was imported (or the device cannot attest)', details: null };
  }
  const fail = (failure: AttestationFailure, reason: string, details: Partial<AttestationDetails> | null = null): AttestationResult => ({
    badge: 'unverifiable',
    failure,
    reason,
    details,
  });
  if (input.deviceCertificate === null) return fail('untrusted-chain', 'the F9 device attestation certificate is missing');

  let slot: X509Certificate;
  let device: X509Certificate;
  try {
    slot = new X509Certificate(toBuffer(input.slotCertificate));
    device = new X509Certificate(toBuffer(input.deviceCertificate));
  } catch (error) {
    return fail('malformed', `attestation certificate does not parse: ${error instanceof Error ? error.message : String(error)}`);
  }

  let info: YubicoAttestationInfo;
  try {
    info = yubicoAttestationInfo(slot.raw);
  } catch (error) {
    if (error instanceof AttestationExtensionError) return fail('bad-extension', error.message);
    throw error;
  }
  const partial: Partial<AttestationDetails> = { ...info, slot: slotOf(slot) };

  // Signatures first: extension values mean nothing until the chain proves who wrote them.
  if (slot.issuer !== device.subject || !slot.verify(device.publicKey)) {
    return fail('bad-signature', 'the slot attestation certificate is not signed by the device (F9) certificate', partial);
  }
  const chain = [slot, device];
  let root: X509Certificate | null = null;
  for (let current = device; chain.length <= MAX_DEPTH; ) {
    const trusted = anchors.roots.find((r) => r.subject === current.issuer && current.verify(r.publicKey));
    if (trusted) {
      root = trusted;
      chain.push(trusted);
      break;
    }
    const next = anchors.intermediates.find((c) => c.subject === current.issuer && current.verify(c.publicKey) && !chain.includes(c));
    if (!next) break;
    chain.push(next);
    current = next;
  }
  const subjects = chain.map((c) => c.subject.replace(/\n/g, ', '));
  if (root === null) {
    return fail('untrusted-chain', `the device certificate (issuer "${device.issuer}") does not chain to a bundled Yubico PIV attestation root`, { ...partial, chain: subjects });
  }

  for (const cert of chain) {
    const from = new Date(cert.validFrom);
    const to = new Date(cert.validTo);
    const name = cert.subject.replace(/\n/g, ', ');
    if (at < from) return fail('not-yet-valid', `${name} is not valid before ${from.toISOString()}`, { ...partial, chain: subjects });
    if (at > to) return fail('expired', `${name} expired on ${to.toISOString()}`, { ...partial, chain: subjects });
  }

  const expectedKey = input.publicKey instanceof Uint8Array ? createPublicKey({ key: Buffer.from(input.publicKey), format: 'der', type: 'spki' }) : input.publicKey.type === 'private' ? createPublicKey(input.publicKey) : input.publicKey;
  const attestedKey = slot.publicKey.export({ type: 'spki', format: 'der' });
  if (!attestedKey.equals(expectedKey.export({ type: 'spki', format: 'der' }))) {
    return fail('key-mismatch', 'the attested public key is not the public key of this key', { ...partial, chain: subjects });
  }
  if (info.serial === null || info.firmware === null || info.pinPolicy === null || info.touchPolicy === null) {
    return fail('bad-extension', 'the attestation lacks the Yubico serial, firmware or PIN/touch policy extension', { ...partial, chain: subjects });
  }
  if (input.expectedSerial !== undefined && info.serial !== input.expectedSerial) {
    return fail('serial-mismatch', `attested serial ${info.serial} is not the token's serial ${input.expectedSerial}`, { ...partial, chain: subjects });
  }
  const details: AttestationDetails = { ...info, slot: partial.slot ?? null, chain: subjects, root: subjects.at(-1) ?? '' };
  return {
    badge: 'attested-on-device',
    reason: `generated on YubiKey ${info.serial} (firmware ${info.firmware}), PIN ${info.pinPolicy}, touch ${info.touchPolicy}; chain to ${details.root}`,
    details,
  };
}

/**
 * security.md §6 #38: a root key must be attested on-device, with a PIN and touch policy other
 * than "never".
 */
export function rootEnrollmentDecision(result: AttestationResult): { allowed: boolean; reason: string } {
  if (result.badge !== 'attested-on-device') return { allowed: false, reason: `no valid attestation: ${result.reason}` };
  if (result.details.pinPolicy === 'never') return { allowed: false, reason: 'PIN policy is "never"' };
  if (result.details.touchPolicy === 'never') return { allowed: false, reason: 'touch policy is "never"' };
  return { allowed: true, reason: result.reason };
}

function slotOf(cert: X509Certificate): string | null {
  return /PIV Attestation ([0-9a-fA-F]{2})\b/.exec(cert.subject)?.[1]?.toLowerCase() ?? null;
}

function toBuffer(value: string | Uint8Array): Buffer | string {
  return typeof value === 'string' ? value : Buffer.from(value);
}

/** `keyrite keys attest`: verifies a YubiKey PIV attestation (slot certificate ← F9 device certificate ← Yubico root). */
import { createPublicKey, X509Certificate, type KeyObject } from 'node:crypto';
import path from 'node:path';

import { verifyPivAttestation, type AttestationResult } from '../core/attestation';
import { readFileCapped } from '../core/fs/atomic-write';
import { CliUsageError, EXIT, type CliIo } from './cli-io';

export interface KeysAttestFlags {
  slotCert?: string;
  deviceCert?: string;
  pubkey?: string;
  serial?: string;
  at?: string;
  json?: boolean;
}

const MAX_CERT_BYTES = 64 * 1024;

/** Exit 0 when attested on-device, 1 when the attestation is refused, 2 for unreadable input. */
export async function runKeysAttest(flags: KeysAttestFlags, io: CliIo): Promise<number> {
  if (!flags.slotCert || !flags.deviceCert) throw new CliUsageError('give --slot-cert FILE (the slot attestation) and --device-cert FILE (the F9 certificate)');
  const slotCertificate = await readInput(flags.slotCert, io);
  const deviceCertificate = await readInput(flags.deviceCert, io);
  const publicKey = flags.pubkey ? parsePublicKey(await readInput(flags.pubkey, io), flags.pubkey) : slotPublicKey(slotCertificate, flags.slotCert);
  const at = flags.at === undefined ? undefined : parseTime(flags.at);
  let expectedSerial: number | undefined;
  if (flags.serial !== undefined) {
    if (!/^\d{1,10}$/.test(flags.serial)) throw new CliUsageError(`--serial must be a YubiKey serial number, got "${flags.serial}"`);
    expectedSerial = Number(flags.serial);
  }
  const result = verifyPivAttestation({ slotCertificate, deviceCertificate, publicKey, ...(at ? { at } : {}), ...(expectedSerial === undefined ? {} : { expectedSerial }) });
  if (flags.json) io.stdout(`${JSON.stringify(result, null, 2)}\n`);
  else io.stdout(formatAttestation(result, flags.pubkey !== undefined));
  return result.badge === 'attested-on-device' ? EXIT.ok : EXIT.findings;
}

export function formatAttestation(result: AttestationResult, keyGiven: boolean): string {
  const d = result.details ?? {};
  const lines = [
    `Badge:        ${result.badge}`,
    `Reason:       ${result.reason}`,
    ...('failure' in result ? [`Failure:      ${result.failure}`] : []),
    `Serial:       ${d.serial ?? 'unknown'}`,
    `Firmware:     ${d.firmware ?? 'unknown'}`,
    `Slot:         ${d.slot ?? 'unknown'}`,
    `PIN policy:   ${d.pinPolicy ?? 'unknown'}`,
    `Touch policy: ${d.touchPolicy ?? 'unknown'}`,
    `Form factor:  ${d.formFactor ?? 'unknown'}`,
    ...(d.chain ? [`Chain:        ${d.chain.join(' <- ')}`] : []),
  ];
  // Without --pubkey the key is the one in the slot certificate: the chain is proven, not which key you hold.
  if (!keyGiven) lines.push('Note:         no --pubkey given: checked against the key in the slot certificate itself');
  return `${lines.join('\n')}\n`;
}

async function readInput(file: string, io: CliIo): Promise<Uint8Array> {
  const filePath = path.resolve(io.cwd, file);
  const bytes = await readFileCapped(filePath, MAX_CERT_BYTES);
  if (bytes === null) throw new CliUsageError(`${filePath} does not exist`);
  return bytes;
}

function parsePublicKey(bytes: Uint8Array, name: string): KeyObject {
  try {
    const text = Buffer.from(bytes).toString('utf8');
    return text.includes('-----BEGIN') ? createPublicKey(text) : createPublicKey({ key: Buffer.from(bytes), format: 'der', type: 'spki' });
  } catch (error) {
    throw new CliUsageError(`${name} is not a public key (PEM or SPKI DER): ${error instanceof Error ? error.message : String(error)}`);
  }
}

function slotPublicKey(bytes: Uint8Array, name: string): KeyObject {
  try {
    return new X509Certificate(Buffer.from(bytes)).publicKey;
  } catch (error) {
    throw new CliUsageError(`${name} is not a certificate (PEM or DER): ${error instanceof Error ? error.message : String(error)}`);
  }
}

export function parseTime(value: string): Date {
  const date = new Date(value);
  if (!/^\d{4}-\d{2}-\d{2}/.test(value) || Number.isNaN(date.getTime())) throw new CliUsageError(`--at must be an RFC 3339 time such as 2026-01-01T00:00:00Z, got "${value}"`);
  return date;
}

import { children, decodeOid, readTlv, type DerNode } from '../crypto/der';

/** Yubico's PIV attestation extensions (hardware.md §1, Yubico PEN 41482). */
export const YUBICO_OID = {
  firmware: '1.3.6.1.4.1.41482.3.3',
  serial: '1.3.6.1.4.1.41482.3.7',
  policy: '1.3.6.1.4.1.41482.3.8',
  formFactor: '1.3.6.1.4.1.41482.3.9',
} as const;

export type PinPolicy = 'never' | 'once' | 'always' | 'match-once' | 'match-always' | `unknown(${number})`;
export type TouchPolicy = 'never' | 'always' | 'cached' | `unknown(${number})`;

export interface YubicoAttestationInfo {
  firmware: string | null;
  serial: number | null;
  pinPolicy: PinPolicy | null;
  touchPolicy: TouchPolicy | null;
  formFactor: string | null;
}

export class AttestationExtensionError extends Error {
  override readonly name = 'AttestationExtensionError';
}

const PIN_POLICIES: Record<number, PinPolicy> = { 1: 'never', 2: 'once', 3: 'always', 4: 'match-once', 5: 'match-always' };
const TOUCH_POLICIES: Record<number, TouchPolicy> = { 1: 'never', 2: 'always', 3: 'cached' };
const FORM_FACTORS: Record<number, string> = {
  0: 'unspecified',
  1: 'usb-a-keychain',
  2: 'usb-a-nano',
  3: 'usb-c-keychain',
  4: 'usb-c-nano',
  5: 'usb-c-lightning',
  6: 'usb-a-bio',
  7: 'usb-c-bio',
};

/** Extension OID → raw extnValue bytes of a DER certificate. */
export function certificateExtensions(der: Uint8Array): Map<string, Uint8Array> {
  const bad = (): never => {
    throw new AttestationExtensionError('certificate DER does not parse');
  };
  const cert = readTlv(der, 0) ?? bad();
  const tbs = children(der, cert)?.[0] ?? bad();
  const out = new Map<string, Uint8Array>();
  const extsWrapper = (children(der, tbs) ?? bad()).find((n) => n.tag === 0xa3);
  if (!extsWrapper) return out;
  const exts = children(der, extsWrapper)?.[0] ?? bad();
  for (const ext of children(der, exts) ?? bad()) {
    const parts: DerNode[] = children(der, ext) ?? bad();
    const oid = parts[0];
    const value = parts.at(-1);
    if (!oid || oid.tag !== 0x06 || !value || value.tag !== 0x04) bad();
    out.set(decodeOid(der, oid as DerNode), der.subarray((value as DerNode).start, (value as DerNode).end));
  }
  return out;
}

/**
 * Decodes Yubico's extensions. Firmware and policy are raw bytes on most firmware; 5.7.4+ FIPS
 * devices wrap them in a DER OCTET STRING, so a wrapped value is unwrapped first.
 */
export function yubicoAttestationInfo(der: Uint8Array): YubicoAttestationInfo {
  const exts = certificateExtensions(der);
  const firmware = rawValue(exts.get(YUBICO_OID.firmware), 3);
  const serial = exts.get(YUBICO_OID.serial);
  const policy = rawValue(exts.get(YUBICO_OID.policy), 2);
  const form = rawValue(exts.get(YUBICO_OID.formFactor), 1);
  if (firmware && firmware.length !== 3) throw new AttestationExtensionError(`firmware extension is ${firmware.length} bytes, expected 3`);
  if (policy && policy.length !== 2) throw new AttestationExtensionError(`PIN/touch policy extension is ${policy.length} bytes, expected 2`);
  const pin = policy?.[0];
  const touch = policy?.[1];
  const formByte = form?.[0];
  return {
    firmware: firmware ? `${firmware[0]}.${firmware[1]}.${firmware[2]}` : null,
    serial: serial ? decodeSerial(serial) : null,
    pinPolicy: pin === undefined ? null : (PIN_POLICIES[pin] ?? `unknown(${pin})`),
    touchPolicy: touch === undefined ? null : (TOUCH_POLICIES[touch] ?? `unknown(${touch})`),
    formFactor: formByte === undefined ? null : describeFormFactor(formByte),
  };
}

/**
 * Unwraps only by exact shape (04 <len> <len bytes>): raw firmware 4.1.x starts with 0x04 0x01 too,
 * so a looser "looks like an OCTET STRING" test would misread it.
 */
function rawValue(value: Uint8Array | undefined, expectedLength: number): Uint8Array | undefined {
  if (!value || value.length === expectedLength) return value;
  if (value.length === expectedLength + 2 && value[0] === 0x04 && value[1] === expectedLength) return value.subarray(2);
  return value;
}

function decodeSerial(value: Uint8Array): number {
  const node = readTlv(value, 0);
  if (!node || node.tag !== 0x02 || node.end !== value.length) throw new AttestationExtensionError('serial extension is not a DER INTEGER');
  const length = node.end - node.start;
  if (length < 1 || length > 5 || (value[node.start] as number) & 0x80) throw new AttestationExtensionError('serial out of range');
  let serial = 0;
  for (let i = node.start; i < node.end; i++) serial = serial * 256 + (value[i] as number);
  return serial;
}

function describeFormFactor(byte: number): string {
  const base = FORM_FACTORS[byte & 0x3f] ?? `unknown(${byte & 0x3f})`;
  const flags = [byte & 0x80 ? 'fips' : null, byte & 0x40 ? 'cspn' : null].filter((f) => f !== null);
  return flags.length > 0 ? `${base}+${flags.join('+')}` : base;
}

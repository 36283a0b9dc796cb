import { fromBase64, toBase64 } from '../tuf/encoding';

/** PEM exactly as Node's KeyObject.export and Go's pem.Encode write it: 64-column lines, trailing newline. */
export function toPem(label: string, der: Uint8Array): string {
  const b64 = toBase64(der);
  const lines: string[] = [];
  for (let i = 0; i < b64.length; i += 64) lines.push(b64.slice(i, i + 64));
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}

/** DER of the first PEM block with this label, or null. */
export function fromPem(pem: string, label: string): Uint8Array | null {
  const m = new RegExp(`-----BEGIN ${label}-----([\\s\\S]*?)-----END ${label}-----`).exec(pem);
  if (!m) return null;
  return fromBase64(m[1]!.replace(/\s+/g, ''));
}

export function utf8Bytes(s: string): Uint8Array {
  return new TextEncoder().encode(s);
}

export function utf8Text(b: Uint8Array): string {
  return new TextDecoder('utf-8', { fatal: true }).decode(b);
}

import { KeyFileMalformedError, KeyFileTruncatedError } from './errors';

/** One PEM block with its RFC 1421 headers (`role:`, `gun:`, `Proc-Type`, `DEK-Info`…). */
export interface PemBlock {
  type: string;
  /** Header names lower-cased, in file order. */
  headers: Map<string, string>;
  der: Buffer;
}

/** Parses the first PEM block of a file, strictly: headers, base64 body, matching END line. */
export function parsePem(text: string, filePath: string | null = null): PemBlock {
  const lines = text.split(/\r?\n/);
  const begin = lines.findIndex((line) => /^-----BEGIN [A-Z0-9 ]+-----$/.test(line.trim()));
  if (begin < 0) throw new KeyFileMalformedError('no PEM BEGIN line', filePath);
  const type = /^-----BEGIN ([A-Z0-9 ]+)-----$/.exec((lines[begin] as string).trim())?.[1] as string;
  const headers = new Map<string, string>();
  let i = begin + 1;
  for (; i < lines.length; i++) {
    const match = /^([A-Za-z][A-Za-z0-9-]*):\s*(.*)$/.exec(lines[i] as string);
    if (!match) break;
    headers.set((match[1] as string).toLowerCase(), (match[2] as string).trim());
  }
  if (headers.size > 0 && lines[i]?.trim() === '') i++;
  const body: string[] = [];
  for (; i < lines.length; i++) {
    const line = (lines[i] as string).trim();
    if (line === `-----END ${type}-----`) break;
    if (line.startsWith('-----')) throw new KeyFileMalformedError(`unexpected PEM line "${line}"`, filePath);
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(line)) throw new KeyFileMalformedError('PEM body is not base64', filePath);
    body.push(line);
  }
  if (i >= lines.length) throw new KeyFileTruncatedError(`no "-----END ${type}-----" line`, filePath);
  const b64 = body.join('');
  if (b64.length % 4 !== 0) throw new KeyFileTruncatedError('PEM body length is not a multiple of 4', filePath);
  return { type, headers, der: Buffer.from(b64, 'base64') };
}

/** Encodes like Go's `pem.Encode`: Proc-Type first, other headers sorted, blank line, 64 columns. */
export function encodePem(type: string, der: Uint8Array, headers: Record<string, string> = {}): string {
  const names = Object.keys(headers).sort((a, b) => (a === 'Proc-Type' ? -1 : b === 'Proc-Type' ? 1 : a < b ? -1 : a > b ? 1 : 0));
  const out = [`-----BEGIN ${type}-----`];
  for (const name of names) out.push(`${name}: ${headers[name]}`);
  if (names.length > 0) out.push('');
  const b64 = Buffer.from(der).toString('base64');
  for (let i = 0; i < b64.length; i += 64) out.push(b64.slice(i, i + 64));
  out.push(`-----END ${type}-----`, '');
  return out.join('\n');
}

const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----[\s\S]*?-----END \1-----/g;

/** Every PEM block of a bundle (e.g. `notary key export` output), each parsed strictly. */
export function parsePemBundle(text: string, filePath: string | null = null): PemBlock[] {
  const blocks = [...text.matchAll(PEM_BLOCK)].map((m) => parsePem(m[0], filePath));
  if (blocks.length === 0) return [parsePem(text, filePath)]; // throws the precise error
  return blocks;
}

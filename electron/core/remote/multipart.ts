import { randomBytes } from 'node:crypto';

export interface MultipartFile {
  field: string;
  filename: string;
  bytes: Uint8Array;
}

/**
 * multipart/form-data exactly as Go's `mime/multipart` Writer.CreateFormFile writes it (what
 * notary's client sends): `Content-Disposition: form-data; name="<field>"; filename="<name>"` and
 * `Content-Type: application/octet-stream`, CRLF line ends, a random 30-byte hex boundary.
 */
export function encodeMultipart(files: readonly MultipartFile[], boundary = randomBytes(30).toString('hex')): { body: Uint8Array; contentType: string } {
  const chunks: Buffer[] = [];
  files.forEach((file, index) => {
    const head =
      `${index === 0 ? '' : '\r\n'}--${boundary}\r\n` +
      `Content-Disposition: form-data; name="${escapeQuotes(file.field)}"; filename="${escapeQuotes(file.filename)}"\r\n` +
      'Content-Type: application/octet-stream\r\n\r\n';
    chunks.push(Buffer.from(head, 'utf8'), Buffer.from(file.bytes));
  });
  chunks.push(Buffer.from(`${files.length ? '\r\n' : ''}--${boundary}--\r\n`, 'utf8'));
  return { body: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}

/** Go's quoteEscaper: backslash and double quote are escaped. */
function escapeQuotes(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"');
}

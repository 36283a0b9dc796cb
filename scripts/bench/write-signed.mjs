// Writes `{"signatures":[...],"signed":<canonical bytes>}` without re-encoding the signed part.
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import path from 'node:path';

/**
 * @param {string} file
 * @param {Buffer} signedBytes canonical JSON of `signed`
 * @param {Array<{keyid:string, sign:(b:Buffer)=>string}>} keys
 * @param {string|null} method Notary's `method` field, or null for TUF 1.0
 * @returns {Buffer} the whole file's bytes
 */
export function writeSigned(file, signedBytes, keys, method = null) {
  const sigs = keys
    .map((k) => (method === null ? `{"keyid":"${k.keyid}","sig":"${k.sign(signedBytes)}"}` : `{"keyid":"${k.keyid}","method":"${method}","sig":"${k.sign(signedBytes)}"}`))
    .join(',');
  const bytes = Buffer.concat([Buffer.from(`{"signatures":[${sigs}],"signed":`), signedBytes, Buffer.from('}')]);
  mkdirSync(path.dirname(file), { recursive: true });
  const fd = openSync(file, 'w');
  try {
    writeSync(fd, bytes);
  } finally {
    closeSync(fd);
  }
  return bytes;
}

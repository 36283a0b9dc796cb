import { X509Certificate } from 'node:crypto';
import path from 'node:path';

import { jsonObject } from './peek-json';

/**
 * The GUN of a Notary metadata directory, when the caller did not give one: the trust-dir
 * layout `.../tuf/<gun>/metadata` names it; otherwise the root certificate's CN (Notary requires
 * CN = GUN). Display only: the engine checks CN against this name (CERT_CN_MISMATCH).
 */
export function inferGun(metadataDir: string, root: Record<string, unknown> | null): string | null {
  const parts = path.resolve(metadataDir).split(path.sep);
  const tufIndex = parts.lastIndexOf('tuf');
  if (tufIndex >= 0 && parts.at(-1) === 'metadata' && parts.length - tufIndex > 2) {
    return parts.slice(tufIndex + 1, -1).join('/');
  }
  return rootCertCommonName(root);
}

export function rootCertCommonName(root: Record<string, unknown> | null): string | null {
  const keyids = jsonObject(jsonObject(root?.['roles'])?.['root'])?.['keyids'];
  const keys = jsonObject(root?.['keys']);
  if (!Array.isArray(keyids) || !keys) return null;
  for (const keyid of keyids) {
    if (typeof keyid !== 'string') continue;
    const publicB64 = jsonObject(jsonObject(keys[keyid])?.['keyval'])?.['public'];
    if (typeof publicB64 !== 'string') continue;
    try {
      const cert = new X509Certificate(Buffer.from(publicB64, 'base64'));
      const cn = /(?:^|\n)CN=([^\n]*)/.exec(cert.subject)?.[1];
      if (cn) return cn;
    } catch {
      // Not a certificate (plain key) or unparsable: the engine reports CERT_INVALID; try the next key.
      continue;
    }
  }
  return null;
}

/** A display name for a TUF repository: the last two meaningful path segments of its location. */
export function tufDisplayName(location: string): string {
  const trimmed = location.replace(/^[a-z]+:\/\//i, '').replace(/[\\/]+$/, '');
  const segments = trimmed.split(/[\\/]+/).filter((s) => s && s !== 'metadata');
  return segments.slice(-2).join('/') || trimmed || 'tuf-repository';
}

import { createHash, type KeyObject } from 'node:crypto';

import { buildSnapshot, buildTimestamp, type MetaEntry } from '../../../shared/ceremony/builders';
import { canonicalize } from '../../../shared/tuf/canonical-json';
import { toHex } from '../../../shared/tuf/encoding';
import type { JsonObject } from '../../../shared/tuf/model';
import { tufKeyObject } from '../keys/software-keys';
import { signWithSoftwareKey } from '../keys/software-signer';
import { OnlineKeyMissingError } from './errors';

export const DEFAULT_SPEC_VERSION = '1.0.31';

/** TUF expiry: UTC, whole seconds (`2026-11-23T01:00:00Z`), what python-tuf and tuf-js write. */
export function tufExpires(now: Date, days: number): string {
  return new Date(now.getTime() + days * 86_400_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** TUF snapshot via the ceremony engine's builder (one definition of the metadata shape). */
export function buildTufSnapshot(p: { version: number; expires: string; specVersion: string; meta: Record<string, { version: number }> }): JsonObject {
  const meta: Record<string, MetaEntry> = {};
  for (const name of Object.keys(p.meta).sort()) meta[name] = { version: (p.meta[name] as { version: number }).version };
  return buildSnapshot('tuf-1.0', { version: p.version, expires: p.expires, specVersion: p.specVersion, meta });
}

/** Timestamp pins the snapshot by version, length and SHA-256 (security.md §2 rule 5: hashes and lengths match). */
export function buildTufTimestamp(p: { version: number; expires: string; specVersion: string; snapshotBytes: Uint8Array; snapshotVersion: number }): JsonObject {
  const sha256 = createHash('sha256').update(p.snapshotBytes).digest('hex');
  return buildTimestamp('tuf-1.0', {
    version: p.version,
    expires: p.expires,
    specVersion: p.specVersion,
    snapshot: { version: p.snapshotVersion, length: p.snapshotBytes.byteLength, hashes: { sha256 } },
  });
}

export interface RoleKeys {
  keyids: string[];
  threshold: number;
  keys: Record<string, JsonObject>;
}

/** The role's keys and threshold as root states them. */
export function roleKeysFromRoot(rootSigned: JsonObject, role: string): RoleKeys {
  const roles = rootSigned['roles'] as Record<string, { keyids?: unknown; threshold?: unknown }> | undefined;
  const entry = roles?.[role];
  const keyids = Array.isArray(entry?.keyids) ? entry.keyids.filter((k): k is string => typeof k === 'string') : [];
  const threshold = typeof entry?.threshold === 'number' ? entry.threshold : 1;
  return { keyids, threshold, keys: (rootSigned['keys'] as Record<string, JsonObject> | undefined) ?? {} };
}

/**
 * Signs `signed` with the online keys that root names for the role (matched by public key, not by
 * the file name they came in) and returns the envelope bytes. Fewer matching keys
 * than the threshold is an error: an under-signed file must never be published.
 */
export function signTufRole(role: string, signed: JsonObject, roleKeys: RoleKeys, onlineKeys: readonly KeyObject[]): Uint8Array {
  const payload = canonicalize(signed);
  const signatures: JsonObject[] = [];
  for (const keyid of [...new Set(roleKeys.keyids)].sort()) {
    const stated = roleKeys.keys[keyid];
    const key = stated ? onlineKeys.find((candidate) => samePublic(stated, candidate)) : undefined;
    if (!key) continue;
    const { signature } = signWithSoftwareKey(key, payload, 'tuf-1.0');
    signatures.push({ keyid, sig: toHex(signature) });
  }
  if (signatures.length < roleKeys.threshold) throw new OnlineKeyMissingError(role, roleKeys.keyids, roleKeys.threshold, signatures.length);
  // The file itself is plain JSON: canonical JSON writes control characters (the newlines of a PEM
  // key) raw, which JSON parsers refuse. Signatures cover canonical(signed) whatever the layout.
  return Buffer.from(JSON.stringify({ signatures, signed }), 'utf8');
}

function samePublic(stated: JsonObject, key: KeyObject): boolean {
  let mine: JsonObject;
  try {
    mine = tufKeyObject(key);
  } catch {
    // An algorithm Keyrite cannot sign with never matches; the threshold check reports it.
    return false;
  }
  const statedPublic = (stated['keyval'] as JsonObject | undefined)?.['public'];
  const minePublic = (mine['keyval'] as JsonObject)['public'];
  // keytype spellings differ across securesystemslib versions (ecdsa vs ecdsa-sha2-nistp256): compare the key itself.
  return typeof statedPublic === 'string' && norm(statedPublic) === norm(minePublic as string);
}

/** PEM without whitespace; hex (ed25519) in lower case. */
function norm(value: string): string {
  const compact = value.replace(/\s+/g, '');
  return /^[0-9a-fA-F]+$/.test(compact) ? compact.toLowerCase() : compact;
}

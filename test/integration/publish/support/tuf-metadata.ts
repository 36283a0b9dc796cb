import { createHash, type KeyObject } from 'node:crypto';

import { generateSoftwareKey, tufKeyId, tufKeyObject } from '../../../../electron/core/keys/software-keys';
import { signTufRole, tufExpires, type RoleKeys } from '../../../../electron/core/publish/online-roles';
import type { JsonObject } from '../../../../shared/tuf/model';

export interface TufKey {
  keyid: string;
  object: JsonObject;
  privateKey: KeyObject;
}

export async function tufKey(algorithm: 'ed25519' | 'ecdsa-p256' = 'ed25519'): Promise<TufKey> {
  const { privateKey } = await generateSoftwareKey(algorithm);
  return { keyid: tufKeyId(privateKey), object: tufKeyObject(privateKey), privateKey };
}

export interface RootSpec {
  version: number;
  root: TufKey[];
  rootThreshold?: number;
  targets: TufKey;
  snapshot: TufKey;
  timestamp: TufKey;
  consistentSnapshot?: boolean;
}

/** A TUF 1.0 root (consistent snapshots on) signed by `signers` (old and new root keys on a rotation). */
export function signedRoot(spec: RootSpec, signers: TufKey[]): Uint8Array {
  const all = [...spec.root, spec.targets, spec.snapshot, spec.timestamp];
  const keys: JsonObject = {};
  for (const key of all) keys[key.keyid] = key.object;
  const role = (ks: TufKey[], threshold = 1): JsonObject => ({ keyids: ks.map((k) => k.keyid), threshold });
  const signed: JsonObject = {
    _type: 'root',
    spec_version: '1.0.31',
    version: spec.version,
    expires: tufExpires(new Date(), 365),
    consistent_snapshot: spec.consistentSnapshot ?? true,
    keys,
    roles: {
      root: role(spec.root, spec.rootThreshold ?? 1),
      targets: role([spec.targets]),
      snapshot: role([spec.snapshot]),
      timestamp: role([spec.timestamp]),
    },
  };
  return signWith('root', signed, signers);
}

/** targets with one entry per (path, content). */
export function signedTargets(version: number, files: Record<string, string>, key: TufKey): Uint8Array {
  const targets: JsonObject = {};
  for (const [name, content] of Object.entries(files)) {
    targets[name] = { length: Buffer.byteLength(content), hashes: { sha256: createHash('sha256').update(content).digest('hex') } };
  }
  return signWith('targets', { _type: 'targets', spec_version: '1.0.31', version, expires: tufExpires(new Date(), 365), targets }, [key]);
}

export function signWith(role: string, signed: JsonObject, signers: TufKey[]): Uint8Array {
  const roleKeys: RoleKeys = { keyids: signers.map((k) => k.keyid), threshold: signers.length, keys: Object.fromEntries(signers.map((k) => [k.keyid, k.object])) };
  return signTufRole(role, signed, roleKeys, signers.map((k) => k.privateKey));
}

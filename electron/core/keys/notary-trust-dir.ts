import os from 'node:os';
import path from 'node:path';

import { writeFileExclusive } from './exclusive-write';

/**
 * Docker's trust dir: `$DOCKER_CONFIG/trust` or `~/.docker/trust`; notary's default is
 * `~/.notary`. Keys live flat in `<trustDir>/private/<canonical id>.key` (notary ≥ 0.4).
 */
export function dockerTrustDir(env: Readonly<Record<string, string | undefined>> = process.env, home = os.homedir()): string {
  const config = env.DOCKER_CONFIG;
  return path.join(config && config !== '' ? config : path.join(home, '.docker'), 'trust');
}

export function notaryTrustDir(home = os.homedir()): string {
  return path.join(home, '.notary');
}

export function notaryKeyPath(trustDir: string, keyId: string): string {
  if (!/^[0-9a-f]{64}$/.test(keyId)) throw new RangeError(`not a canonical key ID: ${keyId}`);
  return path.join(trustDir, 'private', `${keyId}.key`);
}

/**
 * Places an exported key file where notary/docker look for it: directories 0700, file 0600,
 * created exclusively (an existing key file is never replaced). Returns the path.
 */
export async function writeKeyToTrustDir(trustDir: string, keyId: string, pemText: string): Promise<string> {
  const target = notaryKeyPath(trustDir, keyId);
  await writeFileExclusive(target, pemText, 0o600);
  return target;
}

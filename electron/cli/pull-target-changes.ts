import { createHash } from 'node:crypto';
import path from 'node:path';

import type { TargetChange } from '../../shared/ceremony/types';
import type { Dialect } from '../../shared/tuf/model';
import { readFileCapped } from '../core/fs/atomic-write';
import { CliUsageError } from './cli-io';

/** A target file to hash on the online side; large images are hashed here, not on the air-gapped box. */
const MAX_TARGET_BYTES = 4 * 1024 * 1024 * 1024;

/**
 * `--add-target NAME=FILE` and `--remove-target NAME` become the request's target changes: the
 * online side hashes the file (length, sha256, and sha512 for Notary as notary's client does)
 * so the ceremony signs exactly those bytes.
 */
export async function targetChangesFromFlags(
  flags: { addTarget?: string[]; removeTarget?: string[]; targetRole?: string },
  dialect: Dialect,
  cwd: string,
): Promise<TargetChange[]> {
  const role = flags.targetRole ?? 'targets';
  const changes: TargetChange[] = [];
  for (const spec of flags.addTarget ?? []) {
    const eq = spec.indexOf('=');
    if (eq <= 0 || eq === spec.length - 1) throw new CliUsageError(`--add-target expects NAME=FILE, got "${spec}"`);
    const name = spec.slice(0, eq);
    const file = path.resolve(cwd, spec.slice(eq + 1));
    const bytes = await readFileCapped(file, MAX_TARGET_BYTES);
    if (!bytes) throw new CliUsageError(`--add-target ${name}: ${file} does not exist`);
    const hashes: Record<string, string> = { sha256: createHash('sha256').update(bytes).digest('hex') };
    if (dialect === 'notary-v1') hashes['sha512'] = createHash('sha512').update(bytes).digest('hex');
    changes.push({ role, action: 'add', path: name, length: bytes.byteLength, hashes });
  }
  for (const name of flags.removeTarget ?? []) changes.push({ role, action: 'remove', path: name });
  return changes;
}

export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

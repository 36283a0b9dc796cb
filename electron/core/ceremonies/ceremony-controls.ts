/**
 * Ceremony controls that security.md §3 asks the tool to record (review F10, F15b-d): named roles
 * (operator distinct from witness), the tool's identity (version, hash of the running bundle, OS),
 * one "Yes" confirmation per sitting naming who confirmed and who signs, and the tamper-evident bag
 * serials and backups noted during the ceremony. Every record is a journal entry, so it is
 * hash-chained with the rest of the transcript.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import type { JsonObject, JsonValue } from '../../../shared/tuf/model';
import { CeremonyError } from './errors';

/** Operator and witness refused (equal, or only one named). */
export class CeremonyRolesError extends CeremonyError {
  override readonly name = 'CeremonyRolesError';
}

// Defined in the CJS bundles (CLI, main), where import.meta is not; the source tree runs as ESM.
declare const __filename: string | undefined;

export interface CeremonyRoles {
  operator: string;
  witness: string;
}

export interface ToolIdentity {
  name: 'keyrite';
  version: string;
  /** The file whose hash is recorded: the running CLI/main bundle (argv[1]), else this module. */
  file: string;
  sha256: string | null;
  node: string;
  os: { platform: string; release: string; arch: string };
}

/** One sitting's "Yes" (journal `note {event:'confirmed'}`; older journals carry only `by`). */
export interface SittingConfirmation {
  at: string;
  by: string | null;
  via: string | null;
  witness: string | null;
  signers: string[];
}

export type ControlRecord =
  | { at: string; kind: 'bag-in' | 'bag-out'; serial: string; by: string | null }
  | { at: string; kind: 'backup'; description: string; verified: boolean; by: string | null };

/** Both names or neither; never the same person (case- and space-insensitive). */
export function ceremonyRoles(operator: string | undefined, witness: string | undefined): CeremonyRoles | null {
  const op = operator?.trim() ?? '';
  const wi = witness?.trim() ?? '';
  if (op === '' && wi === '') return null;
  if (op === '' || wi === '') throw new CeremonyRolesError(`${op === '' ? '--operator' : '--witness'} is missing: name both the operator and the witness, or neither`);
  if (op.replace(/\s+/g, ' ').toLowerCase() === wi.replace(/\s+/g, ' ').toLowerCase()) {
    throw new CeremonyRolesError(`the operator and the witness must be two different people, both are "${op}"`);
  }
  return { operator: op, witness: wi };
}

/** The running tool, as recorded in the plan entry (security.md §3 "Tool and OS image hashes recorded"). */
export function toolIdentity(): ToolIdentity {
  const here = typeof __filename === 'string' ? __filename : null;
  const main = process.argv[1];
  const file = main && fileHash(main) !== null ? path.resolve(main) : (here ?? main ?? '');
  return {
    name: 'keyrite',
    version: packageVersion([file, ...(here ? [here] : [])]),
    file,
    sha256: fileHash(file),
    node: process.version,
    os: { platform: os.platform(), release: os.release(), arch: os.arch() },
  };
}

function fileHash(file: string): string | null {
  try {
    return createHash('sha256').update(readFileSync(file)).digest('hex');
  } catch (error) {
    // Not a readable file (e.g. `node -e`): recorded as null rather than failing the ceremony.
    if (error instanceof Error && 'code' in error) return null;
    throw error;
  }
}

/** Keyrite's version from the nearest package.json named "keyrite" above the running file or this module. */
function packageVersion(from: string[]): string {
  for (const start of from) {
    const found = versionAbove(start);
    if (found) return found;
  }
  return 'unknown';
}

function versionAbove(start: string): string | null {
  let dir = path.dirname(start);
  for (let i = 0; i < 6; i += 1) {
    try {
      const pkg = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'keyrite' && typeof pkg.version === 'string') return pkg.version;
    } catch (error) {
      if (!(error instanceof Error && 'code' in error) && !(error instanceof SyntaxError)) throw error;
    }
    const up = path.dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  return null;
}

/** Reads a journalled confirmation (note data) in its old (`by` only) or new form. */
export function confirmationOf(at: string, data: JsonObject): SittingConfirmation {
  const signers = Array.isArray(data['signers']) ? data['signers'].filter((s): s is string => typeof s === 'string') : [];
  return { at, by: strOrNull(data['by']), via: strOrNull(data['via']), witness: strOrNull(data['witness']), signers };
}

/** Reads a journalled `record` entry; null for a kind this version does not know (newer journals). */
export function controlRecordOf(at: string, data: JsonObject): ControlRecord | null {
  const kind = data['kind'];
  const by = strOrNull(data['by']);
  if ((kind === 'bag-in' || kind === 'bag-out') && typeof data['serial'] === 'string') return { at, kind, serial: data['serial'], by };
  if (kind === 'backup' && typeof data['description'] === 'string') return { at, kind, description: data['description'], verified: data['verified'] === true, by };
  return null;
}

function strOrNull(value: JsonValue | undefined): string | null {
  return typeof value === 'string' ? value : null;
}

import { promises as fsp } from 'node:fs';
import path from 'node:path';

import type { JsonObject } from '../../../shared/tuf/model';
import { ensureDir, readFileCapped, writeFileAtomic } from '../fs/atomic-write';
import { UnsafeNameError } from '../fs/safe-names';
import { parseJsonBytes } from '../../../shared/tuf/strict-json';
import { canonicalJsonLine } from './json-line';

/** One ceremony's files under the workspace: `ceremonies/<id>/journal.jsonl` and `state.json`. */
export interface CeremonyPaths {
  dir: string;
  journal: string;
  state: string;
}

const CEREMONY_ID = /^[A-Za-z0-9_][A-Za-z0-9._@+-]{0,127}$/;
const MAX_STATE_BYTES = 16 * 1024 * 1024;

/** A ceremony id is one plain path segment; anything else is refused, never path.join'ed raw. */
export function ceremonyPaths(workspaceDir: string, ceremonyId: string): CeremonyPaths {
  if (!CEREMONY_ID.test(ceremonyId) || ceremonyId === '.' || ceremonyId === '..' || ceremonyId.endsWith('.')) {
    throw new UnsafeNameError(ceremonyId, 'a ceremony id is 1-128 of letters, digits, ".", "_", "-", "@", "+", not starting with "." or "-"');
  }
  const dir = path.join(workspaceDir, 'ceremonies', ceremonyId);
  return { dir, journal: path.join(dir, 'journal.jsonl'), state: path.join(dir, 'state.json') };
}

/** Writes `state.json` atomically and durably (temp + fsync + rename + dir fsync). */
export async function writeCeremonyState(workspaceDir: string, ceremonyId: string, state: JsonObject): Promise<void> {
  const paths = ceremonyPaths(workspaceDir, ceremonyId);
  await ensureDir(paths.dir);
  await writeFileAtomic(paths.state, Buffer.concat([canonicalJsonLine(state), Buffer.from('\n')]));
}

/** The last state written, or null when the ceremony has none yet. */
export async function readCeremonyState(workspaceDir: string, ceremonyId: string): Promise<JsonObject | null> {
  const bytes = await readFileCapped(ceremonyPaths(workspaceDir, ceremonyId).state, MAX_STATE_BYTES);
  if (bytes === null) return null;
  const { value } = parseJsonBytes(bytes, { maxBytes: MAX_STATE_BYTES });
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new TypeError('state.json is not a JSON object');
  return value;
}

/** Ids of the ceremonies in the workspace that have a journal, sorted. */
export async function listCeremonies(workspaceDir: string): Promise<string[]> {
  let names: string[];
  try {
    names = await fsp.readdir(path.join(workspaceDir, 'ceremonies'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const ids: string[] = [];
  for (const name of names.sort()) {
    if (!CEREMONY_ID.test(name)) continue;
    const stat = await fsp.stat(path.join(workspaceDir, 'ceremonies', name, 'journal.jsonl')).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return null;
      throw error;
    });
    if (stat?.isFile() === true) ids.push(name);
  }
  return ids;
}

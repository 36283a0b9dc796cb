import { promises as fsp } from 'node:fs';
import path from 'node:path';

import type { JsonObject } from '../../../shared/tuf/model';
import { readFileCapped } from '../fs/atomic-write';
import { isSafeName } from '../fs/safe-names';
import { LIMITS } from '../sources/limits';
import { TufChainError } from './errors';

/** One signed file handed to the writer, with the fields the writer needs. */
export interface ParsedRoleFile {
  role: string;
  bytes: Uint8Array;
  signed: JsonObject;
  version: number;
}

const TYPES: Record<string, string> = { root: 'root', targets: 'targets', snapshot: 'snapshot', timestamp: 'timestamp' };

/** Parses a role's signed bytes and checks its `_type`, version and that its name can be a file name. */
export function parseRoleFile(role: string, bytes: Uint8Array): ParsedRoleFile {
  // TUF delegated role names become one file-name component: no separators, nothing special.
  if (!isSafeName(role) || role.includes('/')) throw new TufChainError(`"${role}" cannot be a TUF metadata file name; nothing was written`);
  let parsed: { signed?: JsonObject; signatures?: unknown };
  try {
    parsed = JSON.parse(Buffer.from(bytes).toString('utf8')) as typeof parsed;
  } catch (error) {
    throw new TufChainError(`${role} is not JSON; nothing was written`, { cause: error });
  }
  const signed = parsed.signed;
  if (!signed || typeof signed !== 'object' || !Array.isArray(parsed.signatures)) throw new TufChainError(`${role} is not signed metadata; nothing was written`);
  const type = signed['_type'];
  const expected = TYPES[role] ?? 'targets';
  if (type !== expected) throw new TufChainError(`${role} has _type ${JSON.stringify(type) ?? '(none)'}, expected "${expected}" (TUF 1.0 metadata); nothing was written`);
  const version = signed['version'];
  if (typeof version !== 'number' || !Number.isSafeInteger(version) || version < 1) throw new TufChainError(`${role} has no valid version; nothing was written`);
  return { role, bytes, signed, version };
}

/** What the target directory already holds: the root chain and the last snapshot/timestamp. */
export interface ExistingRepo {
  rootVersions: number[];
  newestRoot: ParsedRoleFile | null;
  timestamp: ParsedRoleFile | null;
  snapshot: ParsedRoleFile | null;
  /** Versions N of every `N.snapshot.json` present, including ones no timestamp names (an interrupted publish). */
  snapshotFileVersions: number[];
}

export async function readExistingRepo(dir: string): Promise<ExistingRepo> {
  let entries: string[] = [];
  try {
    entries = await fsp.readdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const versionsOf = (pattern: RegExp): number[] =>
    entries
      .map((name) => pattern.exec(name)?.[1])
      .filter((v): v is string => v !== undefined)
      .map(Number)
      .sort((a, b) => a - b);
  const rootVersions = versionsOf(/^([1-9][0-9]*)\.root\.json$/);
  const newest = rootVersions.at(-1);
  const newestRoot = newest === undefined ? null : await readRole(dir, `${newest}.root.json`, 'root');
  const timestamp = await readRole(dir, 'timestamp.json', 'timestamp');
  let snapshot: ParsedRoleFile | null = null;
  if (timestamp) {
    const version = snapshotVersionOf(timestamp.signed);
    snapshot = (await readRole(dir, `${version}.snapshot.json`, 'snapshot')) ?? (await readRole(dir, 'snapshot.json', 'snapshot'));
    if (!snapshot) throw new TufChainError(`${dir}: timestamp.json names snapshot version ${version}, which is not there; repair the repository first`);
  }
  return { rootVersions, newestRoot, timestamp, snapshot, snapshotFileVersions: versionsOf(/^([1-9][0-9]*)\.snapshot\.json$/) };
}

export function snapshotVersionOf(timestampSigned: JsonObject): number {
  const entry = (timestampSigned['meta'] as Record<string, { version?: unknown }> | undefined)?.['snapshot.json'];
  if (typeof entry?.version !== 'number') throw new TufChainError('timestamp has no meta["snapshot.json"].version');
  return entry.version;
}

/** snapshot.meta as name → version. */
export function snapshotMeta(snapshotSigned: JsonObject | undefined): Map<string, number> {
  const out = new Map<string, number>();
  const meta = snapshotSigned?.['meta'] as Record<string, { version?: unknown }> | undefined;
  for (const [name, entry] of Object.entries(meta ?? {})) if (typeof entry?.version === 'number') out.set(name, entry.version);
  return out;
}

async function readRole(dir: string, name: string, role: string): Promise<ParsedRoleFile | null> {
  const bytes = await readFileCapped(path.join(dir, name), role === 'snapshot' ? LIMITS.snapshotBytes : LIMITS.rootBytes);
  return bytes ? parseRoleFile(role, bytes) : null;
}

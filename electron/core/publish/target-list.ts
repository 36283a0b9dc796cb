/**
 * The target files a TUF repository's targets metadata (top-level and delegated) lists, checked
 * before any of them becomes a file name: a target path is never path.join'ed raw (security.md §6
 * #13: `../`, absolute, backslash, drive letters refused), every length is a safe integer, every
 * hash a hex digest of an algorithm we can compute.
 */
import type { JsonObject } from '../../../shared/tuf/model';
import { TargetFileError } from './errors';

export interface TargetEntry {
  /** The target path exactly as listed ("dir/app-1.0.tgz"). */
  path: string;
  /** Its `/`-separated segments, each checked (see targetSegments). */
  segments: string[];
  length: number;
  /** algorithm → hex digest, exactly as listed (consistent-snapshot names use these strings). */
  hashes: Record<string, string>;
  /** The roles that list it (for messages). */
  roles: string[];
}

/** Node's names for the TUF hash algorithms we can verify; anything else is refused (we cannot check it). */
export const HASH_ALGORITHMS: Readonly<Record<string, string>> = {
  sha224: 'sha224',
  sha256: 'sha256',
  sha384: 'sha384',
  sha512: 'sha512',
  'sha3-256': 'sha3-256',
  'sha3-512': 'sha3-512',
};

const MAX_PATH = 1024;
const MAX_SEGMENT = 200;
const HEX = /^[0-9a-fA-F]{40,128}$/;

/** Every target of every role, once per path; a path listed twice must describe the same file. */
export function collectTargets(roles: readonly { role: string; signed: JsonObject }[]): TargetEntry[] {
  const byPath = new Map<string, TargetEntry>();
  for (const { role, signed } of roles) {
    const targets = signed['targets'];
    if (targets === undefined) continue;
    if (typeof targets !== 'object' || targets === null || Array.isArray(targets)) throw new TargetFileError(`${role}: "targets" is not an object`);
    for (const [name, info] of Object.entries(targets)) {
      const entry = parseEntry(role, name, info);
      const seen = byPath.get(name);
      if (!seen) {
        byPath.set(name, entry);
        continue;
      }
      if (seen.length !== entry.length || !sameHashes(seen.hashes, entry.hashes)) {
        throw new TargetFileError(`target "${name}" is listed by ${seen.roles.join(', ')} and ${role} with different lengths or hashes; one source file cannot be both`);
      }
      seen.roles.push(role);
    }
  }
  return [...byPath.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** The segments of a target path that may become a relative file path, or TargetFileError. */
export function targetSegments(target: string): string[] {
  const refuse = (why: string): never => {
    throw new TargetFileError(`refusing target path ${JSON.stringify(target)} as a file name: ${why}`);
  };
  if (target.length === 0 || target.length > MAX_PATH) refuse(`empty or longer than ${MAX_PATH} characters`);
  if (target.startsWith('/')) refuse('absolute path');
  if (target.includes('\\')) refuse('backslash');
  if (/^[A-Za-z]:/.test(target) || target.includes(':')) refuse('":" (drive letter or stream name)');
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is refused here
  if (/[\u0000-\u001f\u007f]/.test(target)) refuse('control character');
  const segments = target.split('/');
  for (const segment of segments) {
    if (segment === '' || segment === '.' || segment === '..') refuse('empty, "." or ".." segment');
    if (segment.length > MAX_SEGMENT) refuse(`a segment longer than ${MAX_SEGMENT} characters`);
    if (segment.endsWith('.tmp') && segment.startsWith('.')) refuse('the name of a staging file');
  }
  return segments;
}

function parseEntry(role: string, name: string, info: unknown): TargetEntry {
  const segments = targetSegments(name);
  if (typeof info !== 'object' || info === null) throw new TargetFileError(`${role}: target "${name}" has no length and hashes`);
  const { length, hashes } = info as { length?: unknown; hashes?: unknown };
  if (typeof length !== 'number' || !Number.isSafeInteger(length) || length < 0) throw new TargetFileError(`${role}: target "${name}" has no valid length`);
  if (typeof hashes !== 'object' || hashes === null || Array.isArray(hashes) || Object.keys(hashes).length === 0) {
    throw new TargetFileError(`${role}: target "${name}" lists no hashes; it cannot be verified`);
  }
  const out: Record<string, string> = {};
  for (const [algorithm, digest] of Object.entries(hashes as Record<string, unknown>)) {
    if (HASH_ALGORITHMS[algorithm] === undefined) throw new TargetFileError(`${role}: target "${name}" uses hash algorithm "${algorithm}", which Keyrite cannot verify`);
    if (typeof digest !== 'string' || !HEX.test(digest)) throw new TargetFileError(`${role}: target "${name}" has a malformed ${algorithm} digest`);
    out[algorithm] = digest;
  }
  return { path: name, segments, length, hashes: out, roles: [role] };
}

function sameHashes(a: Record<string, string>, b: Record<string, string>): boolean {
  const keys = Object.keys(a).sort();
  return keys.join(',') === Object.keys(b).sort().join(',') && keys.every((k) => a[k]?.toLowerCase() === b[k]?.toLowerCase());
}

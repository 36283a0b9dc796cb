import { randomBytes } from 'node:crypto';

import type { RepoState } from '../../../shared/ceremony/types';
import { fromBase64, toBase64 } from '../../../shared/tuf/encoding';
import type { RepositoryInput } from '../../../shared/inspection/input';
import type { HttpGetter } from '../net/http-fetch';
import { SourceFormatError } from '../sources/errors';

/** What a pull needs from its surroundings: the policy-checked HTTP client, a clock, randomness. */
export interface PullDeps {
  /** A PolicyHttpGetter: in air-gapped mode every request is refused (NetworkRefusedError). */
  http: HttpGetter;
  now?: () => Date;
  /** `bytes` random bytes as lower-case hex (the request nonce). */
  randomHex?: (bytes: number) => string;
  signal?: AbortSignal;
}

export const NONCE_BYTES = 16;

export function defaultRandomHex(bytes: number): string {
  return randomBytes(bytes).toString('hex');
}

/** The stamp every request carries: pull time and a fresh nonce that ties signed bundles to it. */
export function requestStamp(deps: PullDeps): { createdAt: string; nonce: string } {
  return { createdAt: (deps.now ?? (() => new Date()))().toISOString(), nonce: (deps.randomHex ?? defaultRandomHex)(NONCE_BYTES) };
}

export function encodeFiles(files: ReadonlyMap<string, Uint8Array>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [role, bytes] of [...files].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) out[role] = toBase64(bytes);
  return out;
}

/**
 * The root history as RepoState wants it: every version from 1 to the current one, the last
 * being exactly the current root. A gap means the source lost history a client needs to rotate
 * through (security.md §2 rule 4), so the pull refuses rather than write a request that would
 * produce an unpublishable chain.
 */
export function completeRootHistory(input: RepositoryInput, where: string): string[] {
  const current = input.files.get('root');
  if (!current) return [];
  const currentVersion = rootVersion(current);
  const newest = Math.max(0, ...input.rootHistory.keys());
  if (newest > currentVersion) {
    throw new SourceFormatError(`${where} serves ${newest}.root.json but its root.json is version ${currentVersion}: the repository is inconsistent`);
  }
  const history: string[] = [];
  const missing: number[] = [];
  for (let n = 1; n <= currentVersion; n++) {
    const bytes = input.rootHistory.get(n) ?? (n === currentVersion ? current : null);
    if (bytes) history.push(toBase64(bytes));
    else missing.push(n);
  }
  if (missing.length > 0) {
    throw new SourceFormatError(
      `${where} lacks root version(s) ${missing.slice(0, 10).join(', ')} of 1..${currentVersion}: ` +
        'clients need every N.root.json to follow the rotations, so this repository cannot be pulled for a ceremony',
    );
  }
  const last = input.rootHistory.get(currentVersion);
  if (last && Buffer.compare(last, current) !== 0) {
    throw new SourceFormatError(`${where}: ${currentVersion}.root.json differs from root.json of the same version`);
  }
  return history;
}

function rootVersion(bytes: Uint8Array): number {
  try {
    const parsed = JSON.parse(Buffer.from(bytes).toString('utf8')) as { signed?: { version?: unknown } };
    const version = parsed.signed?.version;
    if (typeof version === 'number' && Number.isSafeInteger(version) && version >= 1) return version;
  } catch (error) {
    throw new SourceFormatError('root.json is not JSON', { cause: error });
  }
  throw new SourceFormatError('root.json has no valid signed.version');
}

/** Decoded current files of a request (role → bytes). */
export function repoStateFiles(state: RepoState): Map<string, Uint8Array> {
  const out = new Map<string, Uint8Array>();
  for (const [role, b64] of Object.entries(state.files)) out.set(role, decode(b64, role));
  return out;
}

/** Decoded root history, index 0 = version 1. */
export function repoStateRootHistory(state: RepoState): Uint8Array[] {
  return state.rootHistory.map((b64, index) => decode(b64, `${index + 1}.root`));
}

function decode(b64: string, what: string): Uint8Array {
  const bytes = fromBase64(b64);
  if (!bytes) throw new SourceFormatError(`request file ${what} is not valid base64`);
  return bytes;
}

import { createHash } from 'node:crypto';

import type { RepoState, TargetChange } from '../../../shared/ceremony/types';
import { canonicalize } from '../../../shared/tuf/canonical-json';
import type { JsonObject } from '../../../shared/tuf/model';
import { gunSegments, UnsafeNameError } from '../fs/safe-names';
import { GunNotFoundError, SourceFormatError } from '../sources/errors';
import { loadNotaryServer, mapHttp } from '../sources/notary-server';
import type { HttpPoster } from '../net/http-post';
import { ServerKeyRotationError } from './errors';
import { completeRootHistory, encodeFiles, requestStamp, type PullDeps } from './repo-state';

/** Server key documents are tiny; notary's own client caps them at 256 KiB (storage/httpstore.go MaxKeySize). */
const MAX_KEY_BYTES = 256 * 1024;

export interface NotaryTarget {
  url: string;
  gun: string;
}

export interface NotaryPullOptions {
  /**
   * Whether to fetch the server's snapshot key. `auto`: for an existing repository only when root
   * already names it (server-managed snapshot); for a new GUN always, so init can choose.
   * Note that GET snapshot.key makes the server create a (pending) key when it has none.
   */
  snapshot?: 'auto' | 'always' | 'never';
  targetChanges?: TargetChange[];
  /**
   * Server-managed key rotation (what `notary key rotate GUN timestamp -r` does first): ask the
   * server for a NEW timestamp or snapshot key (POST …/<role>.key) and put that in the request, so
   * the offline `ceremony rotate-key --role R --server-managed` embeds it in the new root. The
   * server keeps signing with the old key until that root is published. Needs `deps.poster`.
   */
  rotateServerKey?: 'timestamp' | 'snapshot';
}

export type NotaryPullDeps = PullDeps & { poster?: HttpPoster };

/**
 * Pulls a Notary repository for a ceremony: current metadata, the complete root history and the
 * server-held public keys. An unknown GUN is a new repository: no files, but the server's
 * timestamp key, which Notary's first root must embed.
 */
export async function pullNotary(target: NotaryTarget, deps: NotaryPullDeps, options: NotaryPullOptions = {}): Promise<RepoState> {
  const base = notaryTufBase(target);
  let files: Record<string, string> = {};
  let rootHistory: string[] = [];
  let rootSigned: JsonObject | null = null;
  try {
    const input = await loadNotaryServer(target.url, target.gun, deps.http, deps.signal ? { signal: deps.signal } : {});
    if (input.dialect !== 'notary-v1') throw new SourceFormatError(`${base} serves TUF 1.0 metadata, not Notary: use --tuf ${base}`);
    // A delegated role the snapshot does not list was never published (docker-trust `targets/<name>`
    // roles never get metadata): it is absent, not missing.
    const listed = Object.keys((signedOf(input.files.get('snapshot'))?.['meta'] as JsonObject | undefined) ?? {});
    const missing = (input.unavailable ?? []).filter((name) => !name.startsWith('targets/') || listed.includes(name) || listed.includes(`${name}.json`));
    if (missing.length > 0) {
      throw new SourceFormatError(`${base} could not serve ${missing.join(', ')}: a ceremony needs every role; try again`);
    }
    files = encodeFiles(input.files);
    rootHistory = completeRootHistory(input, base);
    rootSigned = signedOf(input.files.get('root'));
  } catch (error) {
    if (!(error instanceof GunNotFoundError)) throw error;
  }

  const serverKeys: RepoState['serverKeys'] = { timestamp: await fetchServerKey(base, 'timestamp', deps) };
  const snapshotMode = options.snapshot ?? 'auto';
  if (snapshotMode !== 'never') {
    const snapshotKey = await fetchServerKey(base, 'snapshot', deps);
    if (snapshotMode === 'always' || !rootSigned || roleNamesKey(rootSigned, 'snapshot', snapshotKey)) serverKeys.snapshot = snapshotKey;
  }
  if (options.rotateServerKey !== undefined) {
    if (!rootSigned) throw new SourceFormatError(`${target.gun} is a new repository: there is no server key to rotate yet (run "keyrite ceremony init" first)`);
    if (!deps.poster) throw new SourceFormatError('rotating a server-managed key needs a network poster (online mode)');
    serverKeys[options.rotateServerKey] = await rotateServerKey(base, options.rotateServerKey, deps.poster, deps.signal);
  }
  return {
    dialect: 'notary-v1',
    name: target.gun,
    source: { kind: 'notary-server', url: target.url, gun: target.gun },
    files,
    rootHistory,
    serverKeys,
    ...(options.targetChanges ? { targetChanges: options.targetChanges } : {}),
    ...requestStamp(deps),
  };
}

/** `<server>/v2/<gun>/_trust/tuf/` with each GUN segment checked and escaped. */
export function notaryTufBase(target: NotaryTarget): string {
  let segments: string[];
  try {
    segments = gunSegments(target.gun);
  } catch (error) {
    if (error instanceof UnsafeNameError) throw new SourceFormatError(`invalid GUN "${target.gun}": ${error.message}`, { cause: error });
    throw error;
  }
  const server = target.url.endsWith('/') ? target.url : `${target.url}/`;
  return new URL(`v2/${segments.map(encodeURIComponent).join('/')}/_trust/tuf/`, server).toString();
}

/** POST …/<role>.key: the server makes a new key for the role and returns its public half. */
async function rotateServerKey(base: string, role: 'timestamp' | 'snapshot', poster: HttpPoster, signal: AbortSignal | undefined): Promise<JsonObject> {
  const url = `${base}${role}.key`;
  const response = await poster.post(url, new Uint8Array(0), { contentType: 'application/json', maxResponseBytes: MAX_KEY_BYTES, ...(signal ? { signal } : {}) });
  if (response.status < 200 || response.status >= 300) {
    const detail = Buffer.from(response.body).toString('utf8').slice(0, 300).trim();
    throw new ServerKeyRotationError(`${url}: the server refused to rotate its ${role} key (HTTP ${response.status}${detail ? `: ${detail}` : ''})`);
  }
  return parseServerKey(url, response.body);
}

/** GET …/<role>.key: the public key as the object root.json carries (`{keytype, keyval:{private:null, public}}`). */
async function fetchServerKey(base: string, role: 'timestamp' | 'snapshot', deps: PullDeps): Promise<JsonObject> {
  const url = `${base}${role}.key`;
  const bytes = await mapHttp(() => deps.http.get(url, { maxBytes: MAX_KEY_BYTES, ...(deps.signal ? { signal: deps.signal } : {}) }));
  if (!bytes) throw new SourceFormatError(`${url} answered 404: the server does not hold a ${role} key (is this a Notary server?)`);
  return parseServerKey(url, bytes);
}

function parseServerKey(url: string, bytes: Uint8Array): JsonObject {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(bytes).toString('utf8'));
  } catch (error) {
    throw new SourceFormatError(`${url} did not return JSON`, { cause: error });
  }
  const obj = parsed as { keytype?: unknown; keyval?: { public?: unknown } };
  if (typeof obj.keytype !== 'string' || typeof obj.keyval?.public !== 'string' || obj.keyval.public === '') {
    throw new SourceFormatError(`${url} did not return a Notary public key ({keytype, keyval:{public}})`);
  }
  return { keytype: obj.keytype, keyval: { private: null, public: obj.keyval.public } };
}

/** Notary key ID: hex sha256 of the key object's canonical JSON (notary.md §2). */
export function notaryKeyIdOf(key: JsonObject): string {
  return createHash('sha256').update(canonicalize(key)).digest('hex');
}

function roleNamesKey(rootSigned: JsonObject, role: string, key: JsonObject): boolean {
  const roles = rootSigned['roles'] as Record<string, { keyids?: unknown }> | undefined;
  const keyids = roles?.[role]?.keyids;
  return Array.isArray(keyids) && keyids.includes(notaryKeyIdOf(key));
}

function signedOf(bytes: Uint8Array | undefined): JsonObject | null {
  if (!bytes) return null;
  const parsed = JSON.parse(Buffer.from(bytes).toString('utf8')) as { signed?: JsonObject };
  return parsed.signed ?? null;
}

import type { RepositoryInput } from '../../../shared/inspection/input';
import { gunSegments, UnsafeNameError } from '../fs/safe-names';
import { HttpStatusError, type HttpGetter } from '../net/http-fetch';
import { GunNotFoundError, SourceFormatError, SourceUnavailableError } from './errors';
import { LIMITS } from './limits';
import type { LoadOptions } from './metadata-dir';
import { HttpReader } from './metadata-reader';
import { RepositoryWalker } from './walk-repository';

/**
 * A Notary server: `GET /v2/<gun>/_trust/tuf/{root,timestamp,snapshot,targets}.json`,
 * delegations found from targets, root history `N.root.json` for N = 1..current.
 * The server's `timestamp.key` is not needed: root names the timestamp key.
 */
export async function loadNotaryServer(server: string, gun: string, http: HttpGetter, options: LoadOptions = {}): Promise<RepositoryInput> {
  let gunPath: string;
  try {
    gunPath = gunSegments(gun).map(encodeURIComponent).join('/');
  } catch (error) {
    if (error instanceof UnsafeNameError) throw new SourceFormatError(`invalid GUN "${gun}": ${error.message}`, { cause: error });
    throw error;
  }
  const base = new URL(`v2/${gunPath}/_trust/tuf/`, server.endsWith('/') ? server : `${server}/`).toString();
  const reader = new HttpReader(base, http);
  // Probe root first so an unknown GUN is named as such, not as a generic walker failure.
  const root = await mapHttp(() => reader.read('root.json', LIMITS.rootBytes, options.signal));
  if (!root) throw new GunNotFoundError(gun, server);
  const walked = await mapHttp(() => new RepositoryWalker(reader, { rootHistory: 'current', ...options }).walk());
  return {
    source: { kind: 'notary-server', location: base },
    dialect: walked.dialect,
    name: gun,
    files: walked.files,
    rootHistory: walked.rootHistory,
    unavailable: walked.unavailable,
  };
}

/** Turns HTTP status errors into messages a user can act on. */
export async function mapHttp<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof HttpStatusError) {
      const hint =
        error.status === 401 || error.status === 403
          ? 'the server requires authentication, which Keyrite does not send; use a trust dir pulled with notary/docker instead'
          : error.status >= 500
            ? 'the server failed; try again later'
            : 'unexpected answer';
      throw new SourceUnavailableError(`${error.message} (${hint})`, { cause: error });
    }
    throw error;
  }
}

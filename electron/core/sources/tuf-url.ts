import type { RepositoryInput } from '../../../shared/inspection/input';
import type { HttpGetter } from '../net/http-fetch';
import { SourceFormatError } from './errors';
import type { LoadOptions } from './metadata-dir';
import { HttpReader } from './metadata-reader';
import { mapHttp } from './notary-server';
import { tufDisplayName } from './repository-name';
import { RepositoryWalker } from './walk-repository';

/**
 * A TUF repository served over HTTP(S): `url` is the metadata base (where `1.root.json` lives),
 * or the repository root with a `metadata/` folder under it. The root chain is walked from
 * 1.root.json upward until a 404, then timestamp -> snapshot -> targets -> delegations with
 * consistent-snapshot names when root asks for them.
 */
export async function loadTufUrl(url: string, http: HttpGetter, options: LoadOptions = {}): Promise<RepositoryInput> {
  try {
    return await loadFrom(url, http, options);
  } catch (error) {
    const base = url.endsWith('/') ? url : `${url}/`;
    if (!(error instanceof SourceFormatError) || /\/metadata\/$/.test(base)) throw error;
    try {
      return await loadFrom(`${base}metadata/`, http, options);
    } catch (nested) {
      if (nested instanceof SourceFormatError) {
        throw new SourceFormatError(`no 1.root.json or root.json at ${base} nor at ${base}metadata/: give the URL of the TUF metadata directory`);
      }
      throw nested;
    }
  }
}

async function loadFrom(url: string, http: HttpGetter, options: LoadOptions): Promise<RepositoryInput> {
  const reader = new HttpReader(url, http);
  const walked = await mapHttp(() => new RepositoryWalker(reader, { rootHistory: 'probe', ...options }).walk());
  return {
    source: { kind: 'tuf-url', location: reader.location },
    dialect: walked.dialect,
    name: tufDisplayName(url),
    files: walked.files,
    rootHistory: walked.rootHistory,
    unavailable: walked.unavailable,
  };
}

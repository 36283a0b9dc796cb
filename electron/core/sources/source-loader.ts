import path from 'node:path';

import type { RepositoryInput } from '../../../shared/inspection/input';
import type { HttpGetter } from '../net/http-fetch';
import { loadMetadataDirectory, type LoadOptions } from './metadata-dir';
import { loadNotaryServer } from './notary-server';
import { isTrustDir, loadTrustDir } from './trust-dir';
import { loadTufUrl } from './tuf-url';

/**
 * A place a repository lives, as the user named it. `directory` is auto-detected (trust dir,
 * TUF repository dir or metadata dir); the detected kind is what the workspace records.
 */
export type SourceSpec =
  | { kind: 'directory'; path: string; gun?: string | undefined }
  | { kind: 'notary-server'; url: string; gun: string }
  | { kind: 'tuf-url'; url: string };

export interface SourceLoader {
  load(spec: SourceSpec, options?: LoadOptions): Promise<RepositoryInput[]>;
}

/** Loads every supported source kind; HTTP goes through the injected (policy-checked) getter. */
export class DefaultSourceLoader implements SourceLoader {
  constructor(private readonly http: HttpGetter) {}

  async load(spec: SourceSpec, options: LoadOptions = {}): Promise<RepositoryInput[]> {
    switch (spec.kind) {
      case 'directory': {
        const dir = path.resolve(spec.path);
        const gun = spec.gun === undefined ? {} : { gun: spec.gun };
        if (await isTrustDir(dir)) return loadTrustDir(dir, { ...options, ...gun });
        return [await loadMetadataDirectory(dir, { ...options, ...gun })];
      }
      case 'notary-server':
        return [await loadNotaryServer(spec.url, spec.gun, this.http, options)];
      case 'tuf-url':
        return [await loadTufUrl(spec.url, this.http, options)];
    }
  }
}


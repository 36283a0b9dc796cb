import { readdirSync, readFileSync, statSync, existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import type { RepositoryInput } from '../../../../../shared/inspection/input';
import type { InspectOptions } from '../../../../../shared/inspection/input';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../..');
export const fixturesDir = path.resolve(repoRoot, '../shared/fixtures');
export const haveFixtures = existsSync(fixturesDir);

/** Read a metadata directory in place: `x.json` -> role `x`, `N.root.json` -> root history N. */
export function loadMetadataDir(dir: string, name: string, extra: Partial<RepositoryInput> = {}): RepositoryInput {
  const files = new Map<string, Uint8Array>();
  const rootHistory = new Map<number, Uint8Array>();
  const walk = (sub: string): void => {
    for (const entry of readdirSync(path.join(dir, sub))) {
      const rel = sub === '' ? entry : `${sub}/${entry}`;
      const full = path.join(dir, rel);
      if (statSync(full).isDirectory()) {
        walk(rel);
        continue;
      }
      if (!entry.endsWith('.json')) continue;
      const m = /^([1-9][0-9]*)\.root\.json$/.exec(rel);
      if (m?.[1] !== undefined) rootHistory.set(Number(m[1]), new Uint8Array(readFileSync(full)));
      else files.set(rel.slice(0, -'.json'.length), new Uint8Array(readFileSync(full)));
    }
  };
  walk('');
  return { source: { kind: 'metadata-dir', location: dir }, dialect: null, name, files, rootHistory, ...extra };
}

export function optionsAt(iso: string, extra: Partial<InspectOptions> = {}): InspectOptions {
  return { at: new Date(iso), warnDays: 30, trusted: null, ...extra };
}

export const notary03Dir = path.join(fixturesDir, 'notary-compat/notary0.3/tuf/docker.com/notary0.3/tst/metadata');
export const notary01Dir = path.join(fixturesDir, 'notary-compat/notary0.1/tuf/docker.com/notary0.1/samplerepo/metadata');
export const sigstoreDir = path.join(fixturesDir, 'sigstore-root-history');

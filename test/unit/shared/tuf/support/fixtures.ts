import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../..');
export const fixturesDir = path.resolve(repoRoot, '../shared/fixtures');
export const haveFixtures = existsSync(fixturesDir);
export const SKIP_REASON = '(needs ../shared/fixtures)';

export const NOTARY_REPOS = [
  { version: 'notary0.1', gun: 'docker.com/notary0.1/samplerepo' },
  { version: 'notary0.3', gun: 'docker.com/notary0.3/tst' },
] as const;

export function notaryMetadataDir(version: string, gun: string): string {
  return path.join(fixturesDir, 'notary-compat', version, 'tuf', gun, 'metadata');
}

/** Every `.json` under a directory, by path relative to it (`targets/releases.json`). */
export function jsonFilesUnder(dir: string): Map<string, Uint8Array> {
  const out = new Map<string, Uint8Array>();
  const walk = (rel: string): void => {
    for (const entry of readdirSync(path.join(dir, rel))) {
      const r = rel === '' ? entry : `${rel}/${entry}`;
      if (statSync(path.join(dir, r)).isDirectory()) walk(r);
      else if (entry.endsWith('.json')) out.set(r, readFileSync(path.join(dir, r)));
    }
  };
  walk('');
  return out;
}

export function sigstoreRoot(n: number): Uint8Array {
  return readFileSync(path.join(fixturesDir, 'sigstore-root-history', `${n}.root.json`));
}

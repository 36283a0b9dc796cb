// Writes `<bundle>.v8cache` (dist/cli/index.cjs.v8cache): V8's code cache for the CLI bundle, made
// after real work so it holds the functions a command compiles, not only the top level
// (bin/load-cli.cjs reads it; ~0.1 s per command). It runs `keyrite inspect` on a small generated TUF repository and then on a small
// Notary one, each run starting from the previous cache. Best effort: without a cache the CLI only
// starts a little slower, so a failure here is reported and the build goes on.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { generateFlat } from './bench/gen-tuf.mjs';
import { generateNotary } from './bench/gen-notary.mjs';

/** `launcher`: a script that loads `bundle` through bin/load-cli.cjs (bin/keyrite.cjs for dist/). */
export function writeCliCodeCache({ launcher, bundle }) {
  const cache = `${bundle}.v8cache`;
  rmSync(cache, { force: true });
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'keyrite-code-cache-'));
  try {
    const repos = [];
    generateFlat(path.join(tmp, 'tuf'), 1, 200);
    repos.push(path.join(tmp, 'tuf'));
    try {
      generateNotary(path.join(tmp, 'notary'), 1, 200, 5);
      repos.push(path.join(tmp, 'notary'));
    } catch (error) {
      console.warn(`[build] code cache: no Notary sample (${error.message}); TUF only`);
    }
    for (const repo of repos) {
      const next = `${cache}.next`;
      const run = spawnSync(process.execPath, [launcher, 'inspect', repo, '--json', '--no-save', '--workspace', path.join(tmp, 'ws'), '--at', '2030-01-01T00:00:00Z'], {
        env: { ...process.env, KEYRITE_WRITE_CODE_CACHE: next },
        stdio: ['ignore', 'ignore', 'pipe'],
        encoding: 'utf8',
      });
      if (run.status !== 0 || !existsSync(next)) throw new Error(`keyrite inspect exited ${run.status}: ${run.stderr.slice(0, 400)}`);
      renameSync(next, cache);
    }
    return cache;
  } catch (error) {
    rmSync(cache, { force: true });
    console.warn(`[build] code cache not written (the CLI works without it): ${error.message}`);
    return null;
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

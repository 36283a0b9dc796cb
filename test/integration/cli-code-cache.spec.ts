import { existsSync, promises as fsp, readFileSync } from 'node:fs';
import Module from 'node:module';
import os from 'node:os';
import path from 'node:path';
import vm from 'node:vm';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { run } from '../support/processes';

/**
 * bin/keyrite.cjs loads the CLI bundle through the V8 code cache the build writes beside it
 * (bin/load-cli.cjs, scripts/code-cache.mjs). The cache must be one this Node accepts, and a
 * missing, foreign or damaged cache must only cost speed: same output, same exit code.
 */

const repoRoot = path.resolve(__dirname, '../..');
const bundle = path.join(repoRoot, 'dist/cli/index.cjs');
const HAVE_BUNDLE = existsSync(bundle);
// Skip reason: the cache and the bundle are written by `npm run build`; `npm test` builds before this runs.
const SKIP = '(needs the built CLI: npm run build)';

let tmp: string;
beforeAll(async () => {
  tmp = await fsp.mkdtemp(path.join(os.tmpdir(), 'keyrite-code-cache-'));
});
afterAll(async () => {
  await fsp.rm(tmp, { recursive: true, force: true });
});

/** A copy of the built bundle with its own launcher, so each case can put any cache beside it. */
async function copyWithLauncher(name: string, cache: Uint8Array | null): Promise<string> {
  const dir = path.join(tmp, name);
  await fsp.mkdir(dir, { recursive: true });
  const copy = path.join(dir, 'index.cjs');
  await fsp.copyFile(bundle, copy);
  if (cache !== null) await fsp.writeFile(`${copy}.v8cache`, cache);
  const launcher = path.join(dir, 'keyrite.cjs');
  await fsp.writeFile(launcher, `require(${JSON.stringify(path.join(repoRoot, 'bin/load-cli.cjs'))}).loadCli(${JSON.stringify(copy)});\n`);
  return launcher;
}

describe.skipIf(!HAVE_BUNDLE)(`CLI code cache ${SKIP}`, () => {
  it('the build wrote a cache this Node accepts for this bundle', () => {
    const cachedData = readFileSync(`${bundle}.v8cache`);
    const script = new vm.Script(Module.wrap(readFileSync(bundle, 'utf8')), { filename: bundle, cachedData });
    expect(script.cachedDataRejected).toBe(false);
  });

  it('gives the same output and exit codes with the cache, without it, and with a damaged one', async () => {
    const env = { ...process.env, KEYRITE_HOME: path.join(tmp, 'home') };
    const plain = await run(process.execPath, [bundle, 'inspect', '--help'], { env });
    expect(plain.code).toBe(0);
    const launchers = {
      cached: await copyWithLauncher('cached', readFileSync(`${bundle}.v8cache`)),
      none: await copyWithLauncher('none', null),
      damaged: await copyWithLauncher('damaged', Buffer.alloc(4096, 0x5a)),
    };
    for (const [name, launcher] of Object.entries(launchers)) {
      const help = await run(process.execPath, [launcher, 'inspect', '--help'], { env });
      expect({ name, code: help.code, stdout: help.stdout }).toEqual({ name, code: 0, stdout: plain.stdout });
      const bad = await run(process.execPath, [launcher, 'inspect', path.join(tmp, 'nope')], { env });
      expect({ name, code: bad.code }).toEqual({ name, code: 2 });
    }
  });

  it('writes a cache only when the build asks for one (KEYRITE_WRITE_CODE_CACHE)', async () => {
    const launcher = await copyWithLauncher('write', null);
    const target = path.join(tmp, 'write', 'out.v8cache');
    const env = { ...process.env, KEYRITE_HOME: path.join(tmp, 'home') };
    await run(process.execPath, [launcher, '--help'], { env });
    expect(existsSync(target)).toBe(false);
    const made = await run(process.execPath, [launcher, '--help'], { env: { ...env, KEYRITE_WRITE_CODE_CACHE: target } });
    expect(made.code).toBe(0);
    const cachedData = readFileSync(target);
    const copy = path.join(tmp, 'write', 'index.cjs');
    expect(new vm.Script(Module.wrap(readFileSync(copy, 'utf8')), { filename: copy, cachedData }).cachedDataRejected).toBe(false);
  });
});

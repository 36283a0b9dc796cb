/**
 * Datasets made by `npm run bench`'s own generator (scripts/bench/gen-tuf.mjs), for the specs that
 * look at the GUI at the bench's scale. Each describe block gets its own temporary folder, made
 * before its tests and removed after them.
 */
import { promises as fsp } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

import { test } from './fixtures';

export interface BenchGenerators {
  /** Dataset A's shape: one targets role with `count` targets. */
  generateFlat: (dir: string, seed: number, count: number) => unknown;
  /** Dataset B's shape: PEP 458 hash bins (a power of two) with about `perBin` targets each. */
  generateBins: (dir: string, seed: number, bins: number, perBin: number) => unknown;
}

/** The generator module; a computed URL because it is plain .mjs without type declarations. */
async function benchGenerators(): Promise<BenchGenerators> {
  const url = pathToFileURL(path.resolve(import.meta.dirname, '../../../scripts/bench/gen-tuf.mjs')).href;
  return (await import(url)) as BenchGenerators;
}

/** Registers beforeAll/afterAll for a generated dataset; `dir()` is its folder once generated. */
export function generatedDataset(prefix: string, generate: (generators: BenchGenerators, dir: string) => unknown): { dir: () => string } {
  let dir: string | undefined;
  test.beforeAll(async () => {
    test.setTimeout(180_000);
    dir = await fsp.mkdtemp(path.join(os.tmpdir(), `keyrite-e2e-${prefix}-`));
    generate(await benchGenerators(), dir);
  });
  test.afterAll(async () => {
    if (dir !== undefined) await fsp.rm(dir, { recursive: true, force: true });
  });
  return {
    dir: () => {
      if (dir === undefined) throw new Error(`the ${prefix} dataset was not generated (its beforeAll did not run)`);
      return dir;
    },
  };
}

#!/usr/bin/env node
// Builds everything `npm start` and the e2e harness need into dist/:
//   esbuild (Node/Electron bundles, CommonJS `.cjs`, sourcemaps) then `vite build` of the renderer.
// Fails loudly: any esbuild error, any `import.meta` left empty by the CJS output, or a preload
// that would require anything but `electron` (sandboxed preloads cannot) exits non-zero.
import { existsSync, realpathSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import * as esbuild from 'esbuild';
import { writeCliCodeCache } from './code-cache.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const at = (...parts) => path.join(root, ...parts);

/** Entry → outfile. Optional entries are built only once their owner has written them. */
export const BUNDLES = [
  { name: 'main', entry: 'electron/main/index.ts', out: 'dist/main/index.cjs', external: ['electron', 'keytar', 'usb'], required: true },
  { name: 'preload', entry: 'electron/preload/index.ts', out: 'dist/preload/index.cjs', external: ['electron'], required: true },
  { name: 'cli', entry: 'electron/cli/index.ts', out: 'dist/cli/index.cjs', external: ['keytar', 'usb'] },
  { name: 'inspect-worker', entry: 'electron/core/inspection/inspect-worker.ts', out: 'dist/workers/inspect-worker.cjs', external: [] },
  { name: 'bin-worker', entry: 'electron/core/inspection/bin-worker.ts', out: 'dist/workers/bin-worker.cjs', external: [] },
  // pkcs11js, keytar and usb are native modules: loaded from node_modules (asarUnpack '**/*.node'), never bundled.
  { name: 'token-host', entry: 'electron/token-host/index.ts', out: 'dist/token-host/index.cjs', external: ['pkcs11js'] },
];

export class BuildError extends Error {
  name = 'BuildError';
}

/** Bundles one entry; `outDir` (default: the repository) lets tests bundle into a temp dir. */
export async function bundle({ name, entry, out, external }, { outDir = root } = {}) {
  const outfile = path.join(outDir, out);
  const result = await esbuild.build({
    absWorkingDir: root,
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    // Electron 38 ships Node 22; the CLI supports Node >= 20.19.
    target: 'node20',
    sourcemap: true,
    external,
    metafile: true,
    logLevel: 'silent',
    legalComments: 'none',
  });
  const warnings = result.warnings.map((w) => `${w.location ? `${w.location.file}:${w.location.line}: ` : ''}${w.text}`);
  // An empty import.meta in CJS output means a broken path computation at run time.
  const fatal = result.warnings.filter((w) => w.id === 'empty-import-meta');
  if (fatal.length > 0) throw new BuildError(`${name}: import.meta is empty in CommonJS output:\n  ${warnings.join('\n  ')}`);
  for (const warning of warnings) console.warn(`[build] ${name}: warning: ${warning}`);
  if (name === 'preload') assertOnlyElectron(result.metafile, path.relative(root, outfile));
  return result;
}

/** A sandboxed preload can require `electron` only; everything else must be bundled in. */
function assertOnlyElectron(metafile, out) {
  const output = metafile.outputs[out.split(path.sep).join('/')];
  if (!output) throw new BuildError(`preload: ${out} missing from the esbuild metafile`);
  const external = output.imports.filter((i) => i.external).map((i) => i.path);
  const foreign = external.filter((p) => p !== 'electron');
  if (foreign.length > 0) throw new BuildError(`preload: a sandboxed preload cannot require ${foreign.join(', ')}`);
}

async function buildRenderer() {
  const configFile = at('renderer', 'vite.config.ts');
  if (!existsSync(configFile)) throw new BuildError('renderer/vite.config.ts is missing');
  const { build } = await import('vite');
  // Gzip size reports cost seconds on every build and tell nobody anything here.
  await build({ configFile, logLevel: 'warn', build: { reportCompressedSize: false } });
}

async function main() {
  const started = Date.now();
  const selected = BUNDLES.filter((b) => {
    if (existsSync(at(b.entry))) return true;
    if (b.required) throw new BuildError(`${b.entry} is missing`);
    console.warn(`[build] ${b.name}: skipped (${b.entry} does not exist yet)`);
    return false;
  });
  // Stale bundles from an earlier build must never be packaged or launched.
  await Promise.all(['main', 'preload', 'cli', 'workers', 'token-host'].map((d) => rm(at('dist', d), { recursive: true, force: true })));
  await Promise.all(selected.map((b) => bundle(b)));
  console.log(`[build] bundles: ${selected.map((b) => b.out).join(', ')}`);
  if (selected.some((b) => b.name === 'cli')) {
    const cache = writeCliCodeCache({ launcher: at('bin', 'keyrite.cjs'), bundle: at('dist', 'cli', 'index.cjs') });
    if (cache !== null) console.log(`[build] ${path.relative(root, cache)}`);
  }
  await buildRenderer();
  console.log(`[build] done in ${((Date.now() - started) / 1000).toFixed(1)}s`);
}

// Run when executed (`node scripts/build.mjs`), not when a test imports `bundle`. Real paths, so a
// symlinked checkout cannot turn the build into a silent no-op.
const isEntryPoint = process.argv[1] !== undefined && realpathSync(path.resolve(process.argv[1])) === realpathSync(fileURLToPath(import.meta.url));
if (isEntryPoint) main().catch(fail);

function fail(error) {
  if (error && Array.isArray(error.errors) && error.errors.length > 0) {
    // esbuild's own errors: print each with its location.
    for (const e of error.errors) console.error(`[build] error: ${e.location ? `${e.location.file}:${e.location.line}: ` : ''}${e.text}`);
  } else {
    console.error(`[build] ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`);
  }
  process.exit(1);
}

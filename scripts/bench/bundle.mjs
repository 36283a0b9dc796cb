// Bundles the Keyrite bench child and the CLI into bench-out/build with the production esbuild
// settings (scripts/build.mjs `bundle`): the bench measures the code `npm run build` ships.
import { writeFileSync } from 'node:fs';
import path from 'node:path';

import { BUNDLES, bundle } from '../build.mjs';
import { writeCliCodeCache } from '../code-cache.mjs';

export async function bundleForBench(root, outDir) {
  // Same layout as dist/: bundles one directory deep, workers in workers/ (found via ../workers).
  const child = { name: 'keyrite-bench-child', entry: 'scripts/bench/keyrite-child.mjs', out: 'child/keyrite-child.cjs', external: [] };
  // The CLI keeps the product's externals (native modules such as keytar and usb load from node_modules).
  const cli = { name: 'cli', entry: 'electron/cli/index.ts', out: 'cli/index.cjs', external: BUNDLES.find((b) => b.name === 'cli')?.external ?? [] };
  const binWorker = { name: 'bin-worker', entry: 'electron/core/inspection/bin-worker.ts', out: 'workers/bin-worker.cjs', external: [] };
  const inspectWorker = { name: 'inspect-worker', entry: 'electron/core/inspection/inspect-worker.ts', out: 'workers/inspect-worker.cjs', external: [] };
  const responsiveness = { name: 'responsiveness-child', entry: 'scripts/bench/responsiveness-child.mjs', out: 'child/responsiveness-child.cjs', external: [] };
  await Promise.all([child, binWorker, inspectWorker, responsiveness].map((b) => bundle(b, { outDir })));
  // The CLI bundle pulls in every command group; one still in progress elsewhere must not stop the
  // engine figures (the CLI rows then say why they are missing).
  let cliError = null;
  try {
    await bundle(cli, { outDir });
  } catch (error) {
    cliError = error instanceof Error ? error.message.split('\n').slice(0, 3).join(' ') : String(error);
  }
  // Users start the CLI through bin/keyrite.cjs (bin/load-cli.cjs + the build's code cache): so does the bench.
  let launcher = null;
  if (cliError === null) {
    launcher = path.join(outDir, 'cli', 'keyrite.cjs');
    const cliBundle = path.join(outDir, cli.out);
    writeFileSync(launcher, `'use strict';\nrequire(${JSON.stringify(path.join(root, 'bin', 'load-cli.cjs'))}).loadCli(${JSON.stringify(cliBundle)});\n`);
    writeCliCodeCache({ launcher, bundle: cliBundle });
  }
  return {
    child: path.join(outDir, child.out),
    cli: launcher,
    cliError,
    inspectWorker: path.join(outDir, inspectWorker.out),
    responsiveness: path.join(outDir, responsiveness.out),
    root,
  };
}

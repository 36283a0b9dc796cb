// Bundles the Keyrite bench child and the CLI into bench-out/build with the production esbuild
// settings (scripts/build.mjs `bundle`): the bench measures the code `npm run build` ships.
import path from 'node:path';

import { bundle } from '../build.mjs';

export async function bundleForBench(root, outDir) {
  const child = { name: 'keyrite-bench-child', entry: 'scripts/bench/keyrite-child.mjs', out: 'keyrite-child.cjs', external: [] };
  const cli = { name: 'cli', entry: 'electron/cli/index.ts', out: 'cli/index.cjs', external: [] };
  await Promise.all([bundle(child, { outDir }), bundle(cli, { outDir })]);
  return { child: path.join(outDir, child.out), cli: path.join(outDir, cli.out), root };
}

import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { build } from 'esbuild';

const here = path.dirname(fileURLToPath(import.meta.url));
let cached: Promise<string> | null = null;

/** bridge-entry.ts as one IIFE string for page.addInitScript (built once per test process). */
export function bundleBridge(): Promise<string> {
  cached ??= build({
    entryPoints: [path.join(here, 'bridge-entry.ts')],
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'chrome130',
    write: false,
    logLevel: 'silent',
  }).then((result) => {
    const file = result.outputFiles[0];
    if (file === undefined) throw new Error('esbuild produced no bridge bundle');
    return file.text;
  });
  return cached;
}

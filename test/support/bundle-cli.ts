import path from 'node:path';
import { pathToFileURL } from 'node:url';

const repoRoot = path.resolve(__dirname, '../..');

export interface BundleSpec {
  name: string;
  entry: string;
  out: string;
  external: string[];
}

/**
 * Builds the named bundles of scripts/build.mjs (its own esbuild settings) into `outDir`, in the
 * built app's layout; `adjust` may change a bundle's spec first (e.g. swap the CLI's entry).
 */
export async function buildBundles(names: readonly string[], outDir: string, adjust: (spec: BundleSpec) => BundleSpec = (spec) => spec): Promise<void> {
  // A computed URL: the build script is plain .mjs without type declarations.
  const script = pathToFileURL(path.join(repoRoot, 'scripts/build.mjs')).href;
  const { bundle, BUNDLES } = (await import(script)) as {
    BUNDLES: BundleSpec[];
    bundle: (spec: BundleSpec, options: { outDir: string }) => Promise<unknown>;
  };
  for (const name of names) {
    const spec = BUNDLES.find((b) => b.name === name);
    if (!spec) throw new Error(`no ${name} bundle in scripts/build.mjs`);
    await bundle(adjust(spec), { outDir });
  }
}

/**
 * Bundles the CLI and the token host with scripts/build.mjs's own settings into `outDir` (the
 * built app's layout, dist/cli next to dist/token-host): a process then starts in ~0.1 s instead
 * of ~2 s through tsx, and the CLI finds its token host exactly as in the product.
 * `options.entry` (repository-relative) replaces the CLI's entry, for test-only CLI builds.
 * Returns the path of the CLI bundle.
 */
export async function bundleCli(outDir: string, options: { entry?: string } = {}): Promise<string> {
  // `entry` swaps the CLI's entry point (e.g. test/support/crash-cli-entry.ts) but keeps its layout.
  await buildBundles(['cli', 'token-host'], outDir, (spec) => (spec.name === 'cli' && options.entry !== undefined ? { ...spec, entry: options.entry } : spec));
  return path.join(outDir, 'dist/cli/index.cjs');
}

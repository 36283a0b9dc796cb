import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

import { describe, expect, it } from 'vitest';

// js-yaml and app-builder-lib come with electron-builder (a devDependency); they are CommonJS
// without bundled types, hence createRequire and the narrow casts below.
const require = createRequire(import.meta.url);
const yaml = require('js-yaml') as { load(text: string): unknown };
const { validateConfiguration } = require('app-builder-lib/out/util/config/config') as {
  validateConfiguration: (config: unknown, logger: unknown) => Promise<void>;
};
const { DebugLogger } = require('builder-util') as { DebugLogger: new (enabled: boolean) => unknown };

const repoRoot = path.resolve(import.meta.dirname, '../../../..');
const config = yaml.load(readFileSync(path.join(repoRoot, 'electron-builder.yml'), 'utf8')) as Record<string, unknown>;

describe('electron-builder.yml', () => {
  it("matches electron-builder's schema", async () => {
    await expect(validateConfiguration(config, new DebugLogger(false))).resolves.toBeUndefined();
  });

  it('flips every fuse the security bar asks for (security.md §1, style.md item 17)', () => {
    expect(config['electronFuses']).toEqual({
      runAsNode: false,
      enableCookieEncryption: true,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      loadBrowserProcessSpecificV8Snapshot: false,
      grantFileProtocolExtraPrivileges: false,
    });
  });

  it('packs dist/ and package.json into an asar, with native modules and workers unpacked', () => {
    expect(config['productName']).toBe('Keyrite');
    expect(config['asar']).toBe(true);
    expect(config['asarUnpack']).toEqual(['**/*.node', 'dist/workers/**']);
    expect(config['files']).toEqual(expect.arrayContaining(['dist/**', 'package.json']));
    expect((config['linux'] as { target: string[] }).target).toEqual(['AppImage', 'deb']);
  });

  it('packages the entry point package.json names', () => {
    const pkg = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { main: string };
    expect(pkg.main).toBe('dist/main/index.cjs');
  });
});

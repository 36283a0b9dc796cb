import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

import { expect, test } from '@playwright/test';

import { writeBundleFile } from '../../electron/core/bundles';
import type { RepoState } from '../../shared/ceremony/types';
import { AppPage } from './pages/app-page';
import { seriousViolations } from './support/axe';
import { type Harness, startHarness } from './support/harness';

/**
 * The Bundles screen: a request bundle is imported through main's file dialog and verified
 * (manifest digests); a damaged one is rejected with the precise check that failed; a verified
 * bundle is exported byte for byte through the save dialog and never over an existing file.
 */
test.describe('Bundles', () => {
  let harness: Harness;
  let dir: string;

  test.beforeEach(async ({ page }) => {
    harness = await startHarness(page);
    dir = await mkdtemp(path.join(os.tmpdir(), 'keyrite-e2e-bundles-'));
  });

  test.afterEach(async () => {
    await harness.close();
    await rm(dir, { recursive: true, force: true });
  });

  test('import verifies a request bundle, rejects a damaged one, exports a byte-for-byte copy', async ({ page }) => {
    const state: RepoState = {
      dialect: 'tuf-1.0',
      name: 'example.com/new-repo',
      source: { kind: 'tuf-dir', path: '/media/usb/repo' },
      files: {},
      rootHistory: [],
      serverKeys: {},
      createdAt: '2026-11-22T00:00:00.000Z',
      nonce: '00112233445566778899aabbccddeeff',
    };
    const good = path.join(dir, 'request.bundle');
    await writeBundleFile(good, 'request', { repository: { dialect: state.dialect, name: state.name }, createdAt: state.createdAt, nonce: state.nonce, state });
    const bad = path.join(dir, 'not-a-bundle.bundle');
    await writeFile(bad, 'this is not a zip file at all\n');

    const app = new AppPage(page);
    await app.open(harness.url);
    await app.goTo('Bundles');
    await expect(page.getByText('No bundle opened yet')).toBeVisible();

    harness.setNextFilePick(good);
    await page.getByRole('button', { name: 'Import bundle file…' }).click();
    const goodCard = page.getByRole('article', { name: 'request.bundle' });
    await expect(goodCard.getByTestId('bundle-verdict')).toHaveText('Verified');
    await expect(goodCard).toContainText('example.com/new-repo (tuf-1.0)');
    await expect(goodCard.getByRole('table', { name: 'Checks of request.bundle' }).locator('[data-check="MANIFEST"]')).toContainText('Passed');

    harness.setNextFilePick(bad);
    await page.getByRole('button', { name: 'Import bundle file…' }).click();
    const badCard = page.getByRole('article', { name: 'not-a-bundle.bundle' });
    await expect(badCard.getByTestId('bundle-verdict')).toHaveText('Rejected');
    await expect(badCard.getByRole('table', { name: 'Checks of not-a-bundle.bundle' }).locator('[data-passed="false"]')).toContainText('NOT_A_ZIP');
    await expect(badCard.getByRole('button', { name: 'Export copy…' })).toHaveCount(0);
    await app.screenshot('bundles-import-light');
    expect(await seriousViolations(page)).toEqual([]);

    // Export a copy; the same destination again is refused (a bundle is evidence: never replaced).
    const copy = path.join(dir, 'copy.bundle');
    harness.setNextFilePick(copy);
    await goodCard.getByRole('button', { name: 'Export copy…' }).click();
    await expect(goodCard.getByRole('status').filter({ hasText: 'Copy written' })).toContainText(copy);
    expect(Buffer.compare(await readFile(copy), await readFile(good))).toBe(0);
    harness.setNextFilePick(copy);
    await goodCard.getByRole('button', { name: 'Export copy…' }).click();
    await expect(goodCard.getByRole('alert')).toContainText('already exists');

    await page.emulateMedia({ colorScheme: 'dark' });
    await app.screenshot('bundles-import-dark');
    expect(await seriousViolations(page)).toEqual([]);
    expect(harness.problems).toEqual([]);
  });
});

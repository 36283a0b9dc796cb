import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

import { expect, test } from '@playwright/test';

import { buildTufRepo, writeRepo } from '../support/repo-builder';
import { serveDir } from '../support/serve-dir';
import { AppPage } from './pages/app-page';
import { seriousViolations } from './support/axe';
import { startHarness } from './support/harness';

/**
 * The online workstation: "Pull request bundle…" against a TUF repository served over HTTP on
 * 127.0.0.1 (the app started in online mode), saved through main's dialog, then previewed by the
 * New ceremony wizard exactly as the air-gapped side would read it.
 */
test('online pull of a TUF request bundle through the GUI, then previewed by the wizard', async ({ page }) => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'keyrite-e2e-pull-'));
  const harness = await startHarness(page, { networkMode: 'online' });
  await writeRepo(dir, await buildTufRepo({ gun: 'example.com/pulled' }));
  const server = await serveDir(dir);
  try {
    await page.emulateMedia({ colorScheme: 'light' });
    const app = new AppPage(page);
    await app.open(harness.url);
    await app.goTo('Ceremonies');
    await expect(page.getByTestId('pull-offline-reason')).toHaveCount(0);
    await page.getByRole('button', { name: 'Pull request bundle…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Pull a request bundle' });
    await dialog.getByRole('radio', { name: /A TUF repository URL/ }).check();
    await dialog.getByRole('textbox', { name: 'TUF repository URL' }).fill(`${server.url}/metadata/`);
    const out = path.join(dir, 'pulled.request.bundle');
    harness.setNextFilePick(out);
    await dialog.getByRole('button', { name: 'Pull and save…' }).click();
    const result = dialog.getByTestId('pull-result');
    await expect(result).toContainText('root version 1');
    await expect(result).toContainText(out);
    await expect(result).toContainText(/SHA-256 [0-9a-f]{64}/);
    await app.screenshot('ceremony-pull-done-light');
    expect(await seriousViolations(page)).toEqual([]);
    expect(server.requests).toContain('/metadata/1.root.json');
    await dialog.getByRole('button', { name: 'Done' }).click();

    // Pulling again to the same file is refused: a pull never replaces a file.
    await page.getByRole('button', { name: 'Pull request bundle…' }).click();
    await dialog.getByRole('radio', { name: /A TUF repository URL/ }).check();
    await dialog.getByRole('textbox', { name: 'TUF repository URL' }).fill(`${server.url}/metadata/`);
    harness.setNextFilePick(out);
    await dialog.getByRole('button', { name: 'Pull and save…' }).click();
    await expect(dialog.getByRole('alert')).toContainText('RequestFileExistsError');
    await dialog.getByRole('button', { name: 'Cancel' }).click();

    await page.getByRole('button', { name: 'New ceremony…' }).click();
    harness.setNextFilePick(out);
    await page.getByRole('button', { name: 'Choose request bundle…' }).click();
    await expect(page.getByTestId('request-facts')).toContainText('version 1, threshold 1 of 1');
    await expect(page.getByTestId('request-facts')).toContainText(server.url);
    expect(harness.problems).toEqual([]);
  } finally {
    await server.close();
    await harness.close();
    await rm(dir, { recursive: true, force: true });
  }
});

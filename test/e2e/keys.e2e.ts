import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

import { expect, test, type Locator, type Page } from '@playwright/test';

import { exportNotaryKeyFile, generateSoftwareKey } from '../../electron/core/keys';
import { bundleTokenHost, createSoftHsmToken, SOFTHSM_MISSING_REASON, type SoftHsmToken, type TokenHostBundle } from '../support/softhsm';
import { AppPage } from './pages/app-page';
import { seriousViolations } from './support/axe';
import { type Harness, startHarness } from './support/harness';

/**
 * Keys & Tokens end to end: a fresh SoftHSM2 token behind the real token host (its own process),
 * the real custody facade, handlers and IPC registry; only Electron's dialogs are fakes.
 */
test.describe('Keys & Tokens', () => {
  test.skip(SOFTHSM_MISSING_REASON !== null, SOFTHSM_MISSING_REASON ?? '');

  let token: SoftHsmToken;
  let bundle: TokenHostBundle;
  let harness: Harness;

  test.beforeEach(async ({ page }) => {
    token = await createSoftHsmToken({ label: 'e2e-root-token' });
    bundle = await bundleTokenHost();
    harness = await startHarness(page, { tokenHost: { launch: bundle.launch(token.env), modulePath: token.modulePath } });
  });

  test.afterEach(async () => {
    await harness.close();
    await bundle.dispose();
    await token.cleanup();
  });

  const wizard = (page: Page): Locator => page.getByRole('dialog', { name: 'Enroll a key on a token' });

  test('enroll a P-256 key through the wizard: wrong PIN is refused, the key lands in the inventory with an honest badge', async ({ page }) => {
    await page.emulateMedia({ colorScheme: 'light' });
    const app = new AppPage(page);
    await app.open(harness.url);
    await app.goTo('Keys & Tokens');
    const card = page.locator(`[data-token-serial="${token.serial}"]`);
    await expect(card.getByRole('heading', { name: /e2e-root-token · serial/ })).toBeVisible();
    await expect(card.getByText('SoftHSM v2')).toBeVisible();
    await expect(card.locator('[data-pin-state]')).toHaveText('PIN ok');
    await expect(card.getByText('No keys on this token yet.')).toBeVisible();
    await expect(page.getByText('No keys recorded yet')).toBeVisible();
    await app.screenshot('keys-token-light');
    expect(await seriousViolations(page)).toEqual([]);

    // Wizard, keyboard-driven where it matters: step 1 (slot 9c is the default).
    await card.getByRole('button', { name: 'Enroll key' }).click();
    const dialog = wizard(page);
    await expect(dialog.getByText('Step 1 of 4: Token and slot')).toBeVisible();
    await expect(dialog.getByRole('radio', { name: /9c Digital Signature/ })).toBeChecked();
    await dialog.getByRole('button', { name: 'Next' }).click();
    // Step 2: P-256 by default, root needs no GUN.
    await expect(dialog.getByText('Step 2 of 4: Algorithm and holder')).toBeVisible();
    await expect(dialog.getByRole('radio', { name: /ECDSA P-256/ })).toBeChecked();
    await dialog.getByLabel('Label').fill('Root key A');
    await dialog.getByLabel('Holder').fill('Alice Officer');
    await dialog.getByRole('button', { name: 'Next' }).click();
    // Step 3: the PIN. A wrong one first.
    await expect(dialog.getByText('Step 3 of 4: PIN')).toBeVisible();
    const pin = dialog.getByLabel(/PIN for e2e-root-token/);
    await expect(pin).toHaveAttribute('type', 'password');
    await expect(pin).toBeFocused();
    await expect(dialog.getByRole('button', { name: 'Generate key' })).toBeDisabled();
    await pin.fill('000000');
    await pin.press('Enter');
    await expect(dialog.getByRole('alert').filter({ hasText: 'The key was not generated' })).toContainText(/wrong PIN|PIN incorrect|Wrong PIN/i);
    await expect(dialog.getByRole('alert')).toContainText('PinIncorrectError');
    // The PIN field is cleared after every attempt; nothing kept it.
    await expect(pin).toHaveValue('');
    await app.screenshot('keys-wizard-wrong-pin-light');
    expect(await seriousViolations(page)).toEqual([]);
    // Focus stays inside the dialog.
    for (let i = 0; i < 8; i += 1) {
      await page.keyboard.press('Tab');
      expect(await dialog.evaluate((d) => d.contains(document.activeElement))).toBe(true);
    }

    await pin.fill(token.pin);
    await dialog.getByRole('button', { name: 'Generate key' }).click();
    await expect(dialog.getByText('Step 4 of 4: Result')).toBeVisible({ timeout: 30_000 });
    await expect(dialog.getByText('Key generated on the token')).toBeVisible();
    const badge = dialog.locator('[data-attestation]');
    await expect(badge).toHaveText('Unverifiable');
    await expect(dialog.getByText(/offers no attestation/)).toBeVisible();
    await expect(dialog.getByText('Notary key ID')).toBeVisible();
    await app.screenshot('keys-wizard-result-light');
    expect(await seriousViolations(page)).toEqual([]);
    await dialog.getByRole('button', { name: 'Done' }).click();
    await expect(dialog).toHaveCount(0);

    // On the token: slot 9c, CKA_ID 02, role root, unverifiable.
    const keyRow = card.getByRole('table', { name: /Keys on e2e-root-token/ }).getByRole('row').nth(1);
    await expect(keyRow).toContainText('9c');
    await expect(keyRow).toContainText('CKA_ID 02');
    await expect(keyRow).toContainText('ECDSA P-256');
    await expect(keyRow).toContainText('root');
    await expect(keyRow.locator('[data-attestation]')).toHaveText('Unverifiable');
    // In the inventory: where (token serial + slot), role, holder, label, badge.
    const inventory = page.getByRole('table', { name: 'Key inventory' });
    const row = inventory.getByRole('row').nth(1);
    await expect(row).toContainText('Root key A');
    await expect(row).toContainText(token.serial);
    await expect(row).toContainText('slot 9c');
    await expect(row).toContainText('Alice Officer');
    await expect(row).toContainText('root');
    await expect(row.locator('[data-attestation]')).toHaveText('Unverifiable');
    // The inventory on disk says the same.
    const onDisk = JSON.parse(await readFile(path.join(harness.workspaceDir, 'keys/inventory.json'), 'utf8')) as { keys: Array<{ location: { tokenSerial: string; ckaId: string }; holder: string }> };
    expect(onDisk.keys).toHaveLength(1);
    expect(onDisk.keys[0]).toMatchObject({ location: { tokenSerial: token.serial, ckaId: '02' }, holder: 'Alice Officer' });

    await app.screenshot('keys-enrolled-light');
    expect(await seriousViolations(page)).toEqual([]);
    await page.emulateMedia({ colorScheme: 'dark' });
    await app.screenshot('keys-enrolled-dark');
    expect(await seriousViolations(page)).toEqual([]);

    // The same slot again is refused before any PIN is asked for... by the token check in main.
    await card.getByRole('button', { name: 'Enroll key' }).click();
    await wizard(page).getByRole('button', { name: 'Next' }).click();
    await wizard(page).getByRole('button', { name: 'Next' }).click();
    await wizard(page).getByLabel(/PIN for/).fill(token.pin);
    await wizard(page).getByRole('button', { name: 'Generate key' }).click();
    await expect(wizard(page).getByRole('alert')).toContainText('already holds key');
    await page.keyboard.press('Escape');
    await expect(wizard(page)).toHaveCount(0);

    // PINs never reach the page's storage.
    const stored = await page.evaluate(() => JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }));
    expect(stored).not.toContain(token.pin);
    expect(harness.problems).toEqual([]);
  });

  test('import a Notary key file and export it again through the main-side file dialogs', async ({ page }) => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'keyrite-e2e-keyfiles-'));
    try {
      const pair = await generateSoftwareKey('ecdsa-p256');
      const source = path.join(dir, 'targets.key');
      await writeFile(source, exportNotaryKeyFile(pair.privateKey, { role: 'targets', gun: 'docker.io/example/app', passphrase: 'notary pass 1' }));
      const app = new AppPage(page);
      await app.open(harness.url);
      await app.goTo('Keys & Tokens');

      await page.getByRole('button', { name: 'Import key file…' }).click();
      const importDialog = page.getByRole('dialog', { name: 'Import key file' });
      harness.setNextFilePick(source);
      await importDialog.getByRole('button', { name: 'Choose file…' }).click();
      await expect(importDialog.getByTestId('picked-file')).toHaveText(source);
      await importDialog.getByLabel('Passphrase').fill('wrong passphrase');
      await importDialog.getByRole('button', { name: 'Import' }).click();
      await expect(importDialog.getByRole('alert')).toContainText('wrong passphrase');
      await importDialog.getByLabel('Passphrase').fill('notary pass 1');
      await importDialog.getByLabel('Holder').fill('Bob Release');
      await app.screenshot('keys-import-dialog-light');
      expect(await seriousViolations(page)).toEqual([]);
      await importDialog.getByRole('button', { name: 'Import' }).click();
      await expect(importDialog.getByRole('status')).toContainText('Imported targets key');
      await importDialog.getByRole('button', { name: 'Done' }).click();

      const row = page.getByRole('table', { name: 'Key inventory' }).getByRole('row').nth(1);
      await expect(row).toContainText('Key file');
      await expect(row).toContainText('docker.io/example/app');
      await expect(row).toContainText('Bob Release');
      await expect(row).toContainText('software key');

      await row.getByRole('button', { name: /^Export/ }).click();
      const exportDialog = page.getByRole('dialog', { name: /^Export targets key/ });
      const destination = path.join(dir, 'exported.key');
      harness.setNextFilePick(destination);
      await exportDialog.getByRole('button', { name: 'Choose destination…' }).click();
      await exportDialog.getByLabel('Key passphrase').fill('notary pass 1');
      await exportDialog.getByRole('button', { name: 'Export' }).click();
      await expect(exportDialog.getByRole('status')).toContainText(destination);
      const written = await readFile(destination, 'utf8');
      expect(written).toContain('-----BEGIN ENCRYPTED PRIVATE KEY-----');
      expect(written).toContain('role: targets');
      await app.screenshot('keys-inventory-file-light');
      expect(harness.problems).toEqual([]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

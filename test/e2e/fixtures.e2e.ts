import { existsSync } from 'node:fs';
import path from 'node:path';

import { seriousViolations } from './support/axe';
import { expect, test } from './support/fixtures';
import { REPO_ROOT } from './support/harness';
import { addFolderRepository, openRepositoryScreens } from './support/repository-flow';

// Real-world data, read in place (never copied into the project).
const FIXTURES = path.resolve(REPO_ROOT, '../shared/fixtures');

test.describe('real-world fixtures through the GUI', () => {
  test.skip(!existsSync(FIXTURES), `the shared fixtures folder ${FIXTURES} is absent`);

  test('Sigstore root history 1–15: the chain, rotations and the v11 keyid incident', async ({ page, keyrite }) => {
    const dir = path.join(FIXTURES, 'sigstore-root-history');
    const { app, repos, view } = await openRepositoryScreens(page, keyrite);
    await addFolderRepository(repos, keyrite, dir);
    await view.expectOpen('fixtures/sigstore-root-history', 30_000);

    // KEYID_MISMATCH is the v11 incident (sigstore/root-signing#1431), listed with its code.
    await expect(page.locator('.finding[data-code="KEYID_MISMATCH"]')).toBeVisible();
    await app.screenshot('sigstore-overview-light');

    await view.tab('Root history');
    const versions = page.getByRole('list', { name: 'Root versions' }).getByRole('listitem');
    await expect(versions).toHaveCount(15);
    await expect(page.locator('.history-step[data-version="2"]')).toContainText('Signed by previous root');
    await app.screenshot('sigstore-root-history-light');
    expect(await seriousViolations(page), 'root history').toEqual([]);

    // The keys table is the newest root's: v11's mismatching keyids were replaced since.
    await view.tab('Keys');
    await expect(page.getByRole('table', { name: 'Keys' }).getByRole('row')).not.toHaveCount(0);
    expect(keyrite.problems).toEqual([]);
  });

  test('Notary 0.3 trust dir: RSA delegation and an expired root certificate', async ({ page, keyrite }) => {
    const dir = path.join(FIXTURES, 'notary-compat/notary0.3');
    const { app, repos, view } = await openRepositoryScreens(page, keyrite);
    await addFolderRepository(repos, keyrite, dir);
    await view.expectOpen('docker.com/notary0.3/tst', 30_000);
    await expect(page.locator('.finding[data-code="CERT_EXPIRED"]').first()).toBeVisible();
    await view.tab('Trust graph');
    await expect(view.graphNode('targets/releases')).toBeVisible();

    // A click on a node, Enter on a focused node, or the accessible table opens the role's details.
    const details = page.locator('aside#role-details');
    await expect(details).toHaveAccessibleName('Role details');
    await expect(details).toContainText('Select a role');
    await view.graphNode('targets/releases').click();
    await expect(page.getByRole('complementary', { name: 'targets/releases' })).toContainText(/\d+ valid \/ \d+ required/);
    await expect(page.getByRole('complementary', { name: 'targets/releases' })).toContainText('Paths');
    await expect(page.getByRole('complementary', { name: 'targets/releases' }).locator('li[data-keyid]')).not.toHaveCount(0);
    await app.screenshot('notary03-graph-details-light');
    await page.getByRole('button', { name: /^root: / }).focus();
    await page.keyboard.press('Enter');
    await expect(page.getByRole('button', { name: /^root: / })).toHaveAttribute('aria-pressed', 'true');
    await expect(page.getByRole('complementary', { name: 'root' })).toContainText('CERT_EXPIRED');
    const table = page.getByRole('table', { name: 'Trust graph roles' });
    for (const role of ['root', 'targets', 'snapshot', 'timestamp', 'targets/releases']) {
      await expect(table.getByRole('rowheader', { name: role, exact: true })).toBeVisible();
    }
    await table.getByRole('button', { name: 'snapshot', exact: true }).click();
    await expect(table.getByRole('button', { name: 'snapshot', exact: true })).toHaveAttribute('aria-pressed', 'true');
    await expect(details).toHaveAccessibleName('snapshot');
    expect(await seriousViolations(page), 'graph details').toEqual([]);
    await view.tab('Expiry timeline');
    await expect(page.getByRole('table', { name: 'Expiry dates' }).getByText('Expired').first()).toBeVisible();
    await app.screenshot('notary03-expiry-light');
    await page.emulateMedia({ colorScheme: 'dark' });
    await app.screenshot('notary03-expiry-dark');
    expect(await seriousViolations(page), 'expiry (dark)').toEqual([]);
    await page.emulateMedia({ colorScheme: 'light' });

    // Remove asks first: Cancel (and Escape) keep the repository, confirming removes it from the list.
    const gun = 'docker.com/notary0.3/tst';
    const confirm = page.getByRole('dialog', { name: 'Remove repository?' });
    await page.getByRole('button', { name: 'Remove', exact: true }).click();
    await expect(confirm).toContainText(gun);
    await expect(confirm).toContainText('every key are left untouched');
    await expect(confirm.getByRole('button', { name: 'Cancel' })).toBeFocused();
    await app.screenshot('remove-dialog-light');
    expect(await seriousViolations(page), 'remove dialog').toEqual([]);
    await confirm.getByRole('button', { name: 'Cancel' }).click();
    await expect(confirm).toHaveCount(0);
    await view.expectOpen(gun);
    await page.getByRole('button', { name: 'Remove', exact: true }).click();
    await page.keyboard.press('Escape');
    await expect(confirm).toHaveCount(0);
    await page.getByRole('navigation', { name: 'Breadcrumb' }).getByRole('button', { name: 'Repositories' }).click();
    await expect(repos.row(gun)).toBeVisible();
    await repos.row(gun).getByRole('button', { name: gun }).click();
    await view.expectOpen(gun);
    await page.getByRole('button', { name: 'Remove', exact: true }).click();
    await confirm.getByRole('button', { name: 'Remove repository' }).click();
    await expect(confirm).toHaveCount(0);
    await expect(page.getByText('No repositories yet')).toBeVisible();
    await expect(repos.row(gun)).toHaveCount(0);
    expect(keyrite.problems).toEqual([]);
  });
});

import { AppPage, type NavLabel } from './pages/app-page';
import { RepositoriesPage } from './pages/repositories-page';
import { seriousViolations } from './support/axe';
import { expect, test } from './support/fixtures';

const SCREENS: { label: NavLabel; file: string; heading: string }[] = [
  { label: 'Repositories', file: 'repositories-empty', heading: 'Repositories' },
  { label: 'Keys & Tokens', file: 'keys', heading: 'Keys & Tokens' },
  { label: 'Ceremonies', file: 'ceremonies', heading: 'Ceremonies' },
  { label: 'Bundles', file: 'bundles', heading: 'Bundles' },
  { label: 'Audit', file: 'audit', heading: 'Audit' },
];

test.describe('app shell', () => {
  for (const scheme of ['light', 'dark'] as const) {
    test(`every screen renders, is axe-clean and is captured (${scheme})`, async ({ page, keyrite }) => {
      await page.emulateMedia({ colorScheme: scheme });
      const app = new AppPage(page);
      await app.open(keyrite.url);
      await expect(app.networkBadge).toHaveText('Air-gapped');
      for (const screen of SCREENS) {
        await app.goTo(screen.label);
        await expect(app.heading).toHaveText(screen.heading);
        if (screen.label === 'Repositories') await expect(page.getByText('No repositories yet')).toBeVisible();
        // No PKCS#11 module in this run: the Keys screen explains that instead of failing.
        else if (screen.label === 'Keys & Tokens') await expect(page.getByText('Tokens unavailable')).toBeVisible();
        else if (screen.label === 'Ceremonies') await expect(page.getByText('No ceremonies yet')).toBeVisible();
        else if (screen.label === 'Bundles') await expect(page.getByText('No bundle opened yet')).toBeVisible();
        else await expect(page.getByText('Arrives with a later release')).toBeVisible();
        await app.screenshot(`${screen.file}-${scheme}`);
        expect(await seriousViolations(page), `${screen.label} (${scheme})`).toEqual([]);
      }
      expect(keyrite.problems).toEqual([]);
    });
  }

  test('keyboard: skip link, arrow keys in the navigation, Enter opens a screen', async ({ page, keyrite }) => {
    const app = new AppPage(page);
    await app.open(keyrite.url);
    await page.keyboard.press('Tab');
    const skip = page.getByRole('link', { name: 'Skip to content' });
    await expect(skip).toBeFocused();
    await expect(skip).toBeInViewport();
    await page.keyboard.press('Enter');
    await expect(app.main).toBeFocused();

    await app.navItem('Repositories').focus();
    await page.keyboard.press('ArrowDown');
    await expect(app.navItem('Keys & Tokens')).toBeFocused();
    await page.keyboard.press('End');
    await expect(app.navItem('Audit')).toBeFocused();
    await page.keyboard.press('ArrowDown');
    await expect(app.navItem('Repositories')).toBeFocused();
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('Enter');
    await expect(app.navItem('Audit')).toHaveAttribute('aria-current', 'page');
    await expect(app.heading).toHaveText('Audit');
    // Only the current item is a tab stop, so Tab leaves the navigation in one step.
    await expect(app.navItem('Audit')).toHaveAttribute('tabindex', '0');
    await expect(app.navItem('Repositories')).toHaveAttribute('tabindex', '-1');
  });

  test('the theme toggle switches to dark and survives a reload', async ({ page, keyrite }) => {
    await page.emulateMedia({ colorScheme: 'light' });
    const app = new AppPage(page);
    await app.open(keyrite.url);
    await expect(app.themeToggle).toHaveAttribute('aria-pressed', 'false');
    await app.themeToggle.click();
    await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
    const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    expect(background).toBe('rgb(18, 21, 26)');
    await page.reload();
    await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
    await expect(app.themeToggle).toHaveAttribute('aria-pressed', 'true');
  });

  test('add dialog: air-gapped disables online sources, traps focus, Escape closes', async ({ page, keyrite }) => {
    const app = new AppPage(page);
    await app.open(keyrite.url);
    const repos = new RepositoriesPage(page);
    await repos.openAddDialog();
    await expect(repos.sourceOption('Notary server')).toBeDisabled();
    await expect(repos.sourceOption('TUF repository URL')).toBeDisabled();
    await expect(repos.dialog.getByText(/Unavailable in air-gapped mode/).first()).toBeVisible();
    await app.screenshot('add-dialog-light');
    expect(await seriousViolations(page)).toEqual([]);

    // Focus stays inside the dialog however far Tab goes.
    for (let i = 0; i < 12; i += 1) {
      await page.keyboard.press('Tab');
      expect(await repos.dialog.evaluate((d) => d.contains(document.activeElement))).toBe(true);
    }
    await page.keyboard.press('Escape');
    await expect(repos.dialog).toHaveCount(0);
    await expect(repos.addButton).toBeFocused();

    // A cancelled folder picker leaves the dialog as it was.
    keyrite.setNextPick(null);
    await repos.openAddDialog();
    await repos.dialog.getByRole('button', { name: 'Choose folder…' }).click();
    await expect(repos.dialog.getByTestId('picked-path')).toHaveCount(0);
    expect(keyrite.problems).toEqual([]);
  });
});

import path from 'node:path';

import { expect, type Locator, type Page } from '@playwright/test';

import { REPO_ROOT } from '../support/harness';

export const SCREENSHOT_DIR = path.join(REPO_ROOT, 'test-results/screenshots');

export type NavLabel = 'Repositories' | 'Keys & Tokens' | 'Ceremonies' | 'Bundles' | 'Audit';

/** The app shell: top bar, primary navigation, theme. */
export class AppPage {
  readonly nav: Locator;
  readonly main: Locator;
  readonly networkBadge: Locator;
  readonly themeToggle: Locator;
  readonly heading: Locator;

  constructor(readonly page: Page) {
    this.nav = page.getByRole('navigation', { name: 'Primary' });
    this.main = page.getByRole('main');
    this.networkBadge = page.getByRole('status', { name: /Network mode/ });
    this.themeToggle = page.getByRole('button', { name: 'Dark theme' });
    this.heading = this.main.getByRole('heading', { level: 1 });
  }

  async open(url: string): Promise<void> {
    await this.page.goto(url);
    await expect(this.nav).toBeVisible();
    await expect(this.page.getByRole('heading', { level: 1, name: 'Repositories' })).toBeVisible();
  }

  navItem(label: NavLabel): Locator {
    return this.nav.getByRole('button', { name: new RegExp(`^${label.replace(/[&]/g, '\\$&')}`) });
  }

  async goTo(label: NavLabel): Promise<void> {
    await this.navItem(label).click();
    await expect(this.navItem(label)).toHaveAttribute('aria-current', 'page');
  }

  /**
   * Screenshot at test-results/screenshots/<name>.png showing the whole screen: <main> scrolls
   * inside the window, so the viewport is grown to its content for the picture, then restored.
   */
  async screenshot(name: string): Promise<void> {
    const viewport = this.page.viewportSize() ?? { width: 1440, height: 900 };
    const overflow = await this.main.evaluate((el) => el.scrollHeight - el.clientHeight);
    if (overflow > 0) await this.page.setViewportSize({ width: viewport.width, height: viewport.height + Math.min(overflow, 3000) });
    // Let React Flow's fitView and layout settle so the picture shows what a user sees.
    await this.page.waitForTimeout(200);
    await this.page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}.png`) });
    if (overflow > 0) await this.page.setViewportSize(viewport);
  }
}

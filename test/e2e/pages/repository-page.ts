import { expect, type Locator, type Page } from '@playwright/test';

export type RepositoryTabName = 'Overview' | 'Trust graph' | 'Keys' | 'Targets' | 'Expiry timeline' | 'Root history';

/** One repository: header and its tabbed views. */
export class RepositoryPage {
  readonly tabs: Locator;
  readonly panel: Locator;
  readonly targetsScroll: Locator;
  readonly targetsFilter: Locator;
  readonly targetsCount: Locator;

  constructor(readonly page: Page) {
    this.tabs = page.getByRole('tablist', { name: 'Repository views' });
    this.panel = page.getByRole('tabpanel');
    this.targetsScroll = page.getByTestId('targets-scroll');
    this.targetsFilter = page.getByLabel('Filter targets');
    this.targetsCount = page.getByTestId('targets-count');
  }

  /** Waits for the view of `name`; a large repository may take a while to inspect. */
  async expectOpen(name: string, timeout = 5000): Promise<void> {
    await expect(this.page.getByRole('heading', { level: 1, name })).toBeVisible({ timeout });
    await expect(this.panel.getByText('Loading the inspection report…')).toHaveCount(0);
  }

  async tab(name: RepositoryTabName): Promise<void> {
    await this.tabs.getByRole('tab', { name }).click();
    await expect(this.tabs.getByRole('tab', { name })).toHaveAttribute('aria-selected', 'true');
  }

  graphNode(role: string): Locator {
    return this.page.locator(`.role-node[data-role="${role}"]`);
  }

  targetRow(name: string): Locator {
    return this.targetsScroll.getByRole('row').filter({ has: this.page.getByRole('cell', { name, exact: true }) });
  }
}

import { expect, type Locator, type Page } from '@playwright/test';

/** The Repositories list and its "Add repository" dialog. */
export class RepositoriesPage {
  readonly addButton: Locator;
  readonly table: Locator;
  readonly dialog: Locator;

  constructor(readonly page: Page) {
    this.addButton = page.getByRole('main').getByRole('button', { name: 'Add repository' }).first();
    this.table = page.getByRole('table', { name: 'Repositories' });
    this.dialog = page.getByRole('dialog', { name: 'Add repository' });
  }

  async openAddDialog(): Promise<void> {
    await this.addButton.click();
    await expect(this.dialog).toBeVisible();
  }

  sourceOption(name: 'Folder on this machine' | 'Notary server' | 'TUF repository URL'): Locator {
    return this.dialog.getByRole('radio', { name });
  }

  /** Folder source: the harness's fake picker returns the path prepared with setNextPick. */
  async chooseFolder(expectedPath: string): Promise<void> {
    await this.sourceOption('Folder on this machine').check();
    await this.dialog.getByRole('button', { name: 'Choose folder…' }).click();
    await expect(this.dialog.getByTestId('picked-path')).toHaveText(expectedPath);
  }

  async fillNotaryServer(url: string, gun: string): Promise<void> {
    await this.sourceOption('Notary server').check();
    await this.dialog.getByLabel('Server URL').fill(url);
    await this.dialog.getByLabel('GUN', { exact: true }).fill(gun);
  }

  async submit(): Promise<void> {
    await this.dialog.getByRole('button', { name: 'Add and inspect' }).click();
  }

  row(name: string): Locator {
    return this.table.locator(`tr[data-repository="${name}"]`);
  }
}

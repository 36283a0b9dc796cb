/**
 * The steps most repository e2e specs start with: open the app, then add a folder through the Add
 * repository dialog (the harness answers the native folder picker). What the spec then expects of
 * the dialog or the repository view stays in the spec.
 */
import type { Page } from '@playwright/test';

import { AppPage } from '../pages/app-page';
import { RepositoriesPage } from '../pages/repositories-page';
import { RepositoryPage } from '../pages/repository-page';
import type { Harness } from './harness';

export interface RepositoryScreens {
  app: AppPage;
  repos: RepositoriesPage;
  view: RepositoryPage;
}

/** Opens the app at the harness's URL and returns the page objects for the repository screens. */
export async function openRepositoryScreens(page: Page, keyrite: Harness): Promise<RepositoryScreens> {
  const screens = { app: new AppPage(page), repos: new RepositoriesPage(page), view: new RepositoryPage(page) };
  await screens.app.open(keyrite.url);
  return screens;
}

/** Adds `dir` as a folder repository and submits the dialog; `gun` fills the optional GUN field. */
export async function addFolderRepository(repos: RepositoriesPage, keyrite: Harness, dir: string, options: { gun?: string } = {}): Promise<void> {
  keyrite.setNextPick(dir);
  await repos.openAddDialog();
  await repos.chooseFolder(dir);
  if (options.gun !== undefined) await repos.dialog.getByLabel('GUN (optional)').fill(options.gun);
  await repos.submit();
}

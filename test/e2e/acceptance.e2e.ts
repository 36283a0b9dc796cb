import { promises as fsp } from 'node:fs';

import { type AcceptanceRepo, buildAcceptanceRepo, notaryAvailable, type NotaryServer, startNotaryServer } from '../support/notary';
import { AppPage } from './pages/app-page';
import { RepositoriesPage } from './pages/repositories-page';
import { RepositoryPage } from './pages/repository-page';
import { seriousViolations } from './support/axe';
import { expect, test } from './support/fixtures';

/**
 * The acceptance flow: a real notary-server, a repository built with the real notary client
 * (delegations, targets and root/targets key rotations), added through the GUI and inspected
 * by the real core services.
 */
test.describe('inspecting a real Notary repository', () => {
  test.skip(!notaryAvailable(), 'needs /usr/bin/notary and /usr/bin/notary-server (Debian package notary)');
  test.describe.configure({ mode: 'serial' });

  let server: NotaryServer;
  let repo: AcceptanceRepo;

  test.beforeAll(async () => {
    test.setTimeout(180_000);
    server = await startNotaryServer();
    repo = await buildAcceptanceRepo(server);
  });

  test.afterAll(async () => {
    await server?.stop();
    if (repo !== undefined) await fsp.rm(repo.workDir, { recursive: true, force: true });
  });

  test('add the trust dir through the folder picker and read every view', async ({ page, keyrite }) => {
    const app = new AppPage(page);
    const repos = new RepositoriesPage(page);
    const view = new RepositoryPage(page);
    // The oracle is the real notary client's own listing. `notary list` also refreshes the trust
    // dir's cache (a publish leaves some delegation files stale there), as a user's would be.
    const listed = await repo.client.list(repo.gun);
    expect(listed.map((t) => t.name).sort()).toEqual(['alice-build', 'v1.0', 'v2.0', 'v3.0']);
    await app.open(keyrite.url);

    keyrite.setNextPick(repo.trustDir);
    await repos.openAddDialog();
    await repos.chooseFolder(repo.trustDir);
    await repos.submit();
    await view.expectOpen(repo.gun);

    // Overview: counts, roles and findings grouped by severity.
    await expect(page.getByRole('heading', { name: 'Findings' })).toBeVisible();
    await expect(page.getByRole('heading', { name: 'Roles' })).toBeVisible();
    for (const role of ['root', 'targets', 'snapshot', 'timestamp', 'targets/releases', 'targets/alice']) {
      await expect(view.panel.getByRole('rowheader', { name: role, exact: true })).toBeVisible();
    }
    await app.screenshot('repo-overview-light');
    expect(await seriousViolations(page), 'overview').toEqual([]);

    await view.tab('Trust graph');
    for (const role of ['root', 'targets', 'snapshot', 'timestamp', 'targets/releases', 'targets/alice']) {
      await expect(view.graphNode(role)).toBeVisible();
    }
    await expect(view.graphNode('targets/releases')).toContainText(/\d+ valid \/ \d+ required/);
    await app.screenshot('repo-graph-light');
    expect(await seriousViolations(page), 'graph').toEqual([]);

    await view.tab('Keys');
    const keys = page.getByRole('table', { name: 'Keys' });
    await expect(keys).toBeVisible();
    await expect(keys.getByText(`CN ${repo.gun}`).first()).toBeVisible();
    await app.screenshot('repo-keys-light');
    expect(await seriousViolations(page), 'keys').toEqual([]);

    await view.tab('Targets');
    await expect(view.targetsCount).toHaveText(`${listed.length} targets`);
    for (const target of listed) {
      const row = view.targetRow(target.name);
      await expect(row).toBeVisible();
      await expect(row).toContainText(target.role);
      await expect(row).toContainText(target.digest);
    }
    await view.targetsFilter.fill('alice');
    await expect(view.targetsCount).toHaveText('1 of 4 targets match “alice”');
    await expect(view.targetRow('alice-build')).toBeVisible();
    await expect(view.targetRow('v1.0')).toHaveCount(0);
    await view.targetsFilter.fill('');
    await expect(view.targetsCount).toHaveText('4 targets');
    await app.screenshot('repo-targets-light');
    expect(await seriousViolations(page), 'targets').toEqual([]);

    await view.tab('Expiry timeline');
    await expect(page.getByRole('img', { name: /Expiry timeline/ })).toBeVisible();
    const expiry = page.getByRole('table', { name: 'Expiry dates' });
    for (const role of ['root', 'targets', 'snapshot', 'timestamp']) await expect(expiry.getByRole('rowheader', { name: role, exact: true })).toBeVisible();
    await app.screenshot('repo-expiry-light');
    expect(await seriousViolations(page), 'expiry').toEqual([]);

    await view.tab('Root history');
    await expect(page.getByRole('list', { name: 'Root versions' }).getByRole('listitem').first()).toBeVisible();
    await app.screenshot('repo-history-light');
    expect(await seriousViolations(page), 'history').toEqual([]);

    // The same views in the dark theme.
    await page.emulateMedia({ colorScheme: 'dark' });
    for (const [tab, file] of [
      ['Overview', 'repo-overview-dark'],
      ['Trust graph', 'repo-graph-dark'],
      ['Targets', 'repo-targets-dark'],
      ['Expiry timeline', 'repo-expiry-dark'],
    ] as const) {
      await view.tab(tab);
      await app.screenshot(file);
      expect(await seriousViolations(page), `${tab} (dark)`).toEqual([]);
    }

    // Back on the list, the repository is there with its health as text.
    await app.goTo('Repositories');
    await expect(repos.row(repo.gun)).toBeVisible();
    await expect(repos.row(repo.gun).locator('[data-health]')).toHaveText(/Healthy|Warnings|Errors/);
    await app.screenshot('repositories-list-dark');
    expect(keyrite.problems).toEqual([]);
  });

  test.describe('online mode', () => {
    test.use({ networkMode: 'online' });

    test('add the repository from the Notary server URL and GUN', async ({ page, keyrite }) => {
      const app = new AppPage(page);
      const repos = new RepositoriesPage(page);
      const view = new RepositoryPage(page);
      await app.open(keyrite.url);
      await expect(app.networkBadge).toHaveText('Online');

      await repos.openAddDialog();
      await repos.fillNotaryServer(server.url, repo.gun);
      await app.screenshot('add-dialog-online-light');
      await repos.submit();
      await view.expectOpen(repo.gun);
      await view.tab('Targets');
      const listed = await repo.client.list(repo.gun);
      await expect(view.targetsCount).toHaveText(`${listed.length} targets`);
      for (const target of listed) await expect(view.targetRow(target.name)).toContainText(target.digest);
      await view.tab('Trust graph');
      await expect(view.graphNode('targets/alice')).toBeVisible();
      expect(keyrite.problems).toEqual([]);
    });
  });

  test('an unreadable folder shows the precise error from main', async ({ page, keyrite }) => {
    const app = new AppPage(page);
    const repos = new RepositoriesPage(page);
    await app.open(keyrite.url);
    const empty = await fsp.mkdtemp(`${keyrite.workspaceDir}-empty-`);
    try {
      keyrite.setNextPick(empty);
      await repos.openAddDialog();
      await repos.chooseFolder(empty);
      await repos.submit();
      const alert = repos.dialog.getByRole('alert');
      await expect(alert).toContainText('The repository was not added');
      await expect(alert).toContainText(/InvalidInput|SourceUnavailable|NotFound/);
      await app.screenshot('add-dialog-error-light');
    } finally {
      await fsp.rm(empty, { recursive: true, force: true });
    }
  });
});

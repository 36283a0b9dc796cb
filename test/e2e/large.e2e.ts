import { promises as fsp } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { buildNotaryRepo } from '../support/repo-builder';
import { expect, test } from './support/fixtures';
import { measureScrollFrames } from './support/frame-times';
import { addFolderRepository, openRepositoryScreens } from './support/repository-flow';

const GUN = 'example.com/big/catalog';
const TOP_LEVEL = 100_000;
const DELEGATED = 1_000;

/**
 * A repository with 101,000 targets (built and signed with the model's repo builder): the
 * targets table must stay virtualized, page its rows in from main, filter, and scroll smoothly.
 * Frame times are measured and printed, not asserted (CI machines vary too much).
 */
test.describe('a repository with 101,000 targets', () => {
  let dir: string;

  test.beforeAll(async () => {
    test.setTimeout(180_000);
    const targets: Record<string, string> = {};
    for (let i = 0; i < TOP_LEVEL; i += 1) targets[`release/v${i}`] = `artifact ${i}\n`;
    const delegated: Record<string, string> = {};
    for (let i = 0; i < DELEGATED; i += 1) delegated[`nightly/n${i}`] = `nightly ${i}\n`;
    const repo = await buildNotaryRepo({
      gun: GUN,
      targets,
      delegations: [{ name: 'targets/releases', keys: 2, threshold: 1, targets: delegated }],
    });
    dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'keyrite-e2e-large-'));
    await repo.writeTo(dir);
  });

  test.afterAll(async () => {
    if (dir !== undefined) await fsp.rm(dir, { recursive: true, force: true });
  });

  test('targets table scrolls, pages and filters', async ({ page, keyrite }) => {
    test.setTimeout(180_000);
    const { app, repos, view } = await openRepositoryScreens(page, keyrite);

    await addFolderRepository(repos, keyrite, dir, { gun: GUN });
    // While main inspects, the dialog shows the job's phase and a Cancel button.
    await expect(repos.dialog.getByRole('group', { name: 'Inspecting folder progress' })).toBeVisible();
    await expect(repos.dialog.getByRole('button', { name: 'Cancel' })).toBeEnabled();
    await view.expectOpen(GUN, 120_000);
    await view.tab('Targets');
    await expect(view.targetsCount).toHaveText('101,000 targets', { timeout: 30_000 });
    await expect(view.targetsScroll.getByRole('row').first()).not.toContainText('Loading…');

    // Virtualized: a screenful of rows in the DOM, not 101,000.
    const domRows = await view.targetsScroll.getByRole('row').count();
    expect(domRows).toBeLessThan(100);

    // Scroll through the table for ~3 s, one step per animation frame, and time every frame.
    const stats = await measureScrollFrames(view.targetsScroll, 3000);
    console.log(`[targets scroll] ${stats.frames} frames, ${stats.fps} fps, p95 frame ${stats.p95} ms, worst ${stats.max} ms, scrolled ${stats.rows} rows`);
    expect(stats.rows).toBeGreaterThan(1000);

    // Where the scroll stopped, the rows arrive from main (pages of 500) and replace the placeholders.
    await expect(view.targetsScroll.getByText('Loading…')).toHaveCount(0, { timeout: 15_000 });
    await app.screenshot('large-targets-scrolled-light');

    // Filtering runs in main over all 101,000 rows: release/v4242 and release/v42420…v42429.
    await view.targetsFilter.fill('release/v4242');
    await expect(view.targetsCount).toHaveText('11 of 101,000 targets match “release/v4242”');
    await expect(view.targetRow('release/v42425')).toBeVisible();
    // A filter matching 11,111 rows, scrolled: every page of one query comes from the matches
    // main kept for it (it searched the 101,000 rows once).
    await view.targetsFilter.fill('release/v1');
    await expect(view.targetsCount).toHaveText('11,111 of 101,000 targets match “release/v1”');
    const filtered = await measureScrollFrames(view.targetsScroll, 2000);
    console.log(`[targets scroll filtered] ${filtered.frames} frames, ${filtered.fps} fps, p95 frame ${filtered.p95} ms, worst ${filtered.max} ms, scrolled ${filtered.rows} rows`);
    expect(filtered.rows).toBeGreaterThan(1000);
    await expect(view.targetsScroll.getByText('Loading…')).toHaveCount(0, { timeout: 15_000 });
    await expect(view.targetsScroll.getByRole('row').first()).toContainText('release/v1');
    await view.targetsFilter.fill('nightly/');
    await expect(view.targetsCount).toHaveText('1,000 of 101,000 targets match “nightly/”');
    await expect(view.targetsScroll.getByRole('row').first()).toContainText('targets/releases');
    await app.screenshot('large-targets-filtered-light');
    expect(keyrite.problems).toEqual([]);
  });
});

import { readFile } from 'node:fs/promises';
import path from 'node:path';

import { expect, test, type Page } from '@playwright/test';

import { readBundleFile, verifyBundle } from '../../electron/core/bundles';
import { NodeCryptoProvider } from '../../electron/core/crypto/node-crypto-provider';
import { publishTufDir } from '../../electron/core/publish';
import { parseMetadata } from '../../shared/tuf/metadata';
import type { Envelope, Root } from '../../shared/tuf/model';
import { roleKeyMap, verifyRoleSignatures } from '../../shared/tuf/verify-role';
import type { TokenSet } from '../integration/ceremony/support/softhsm-tokens';
import { bundleTokenHost, SOFTHSM_MISSING_REASON, type TokenHostBundle } from '../support/softhsm';
import { createCeremonyRepo, createOfficerTokens, type CeremonyRepo } from './ceremony-repo';
import { AppPage } from './pages/app-page';
import { seriousViolations } from './support/axe';
import { type Harness, startHarness } from './support/harness';

/**
 * A complete rotate-root ceremony through the GUI (issue 4): two SoftHSM tokens behind the real
 * token host, a TUF repository whose root (1-of-1) is on token A, initialised through the engine.
 * The officer imports the request bundle, adds token B's key, raises the threshold to 2, reviews
 * the diff, rule checks and per-role progress, passes the "Yes" gate, signs with both tokens (PIN
 * dialogs, a wrong PIN first), resumes from the list in between, finalizes and exports; the
 * exported bundle verifies and the new root verifies under the old root's threshold and its own.
 */
test.describe('Ceremonies', () => {
  test.skip(SOFTHSM_MISSING_REASON !== null, SOFTHSM_MISSING_REASON ?? '');

  let tokens: TokenSet;
  let host: TokenHostBundle;
  let harness: Harness;
  let repo: CeremonyRepo;
  const crypto = new NodeCryptoProvider();

  test.beforeEach(async ({ page }) => {
    tokens = await createOfficerTokens();
    host = await bundleTokenHost();
    harness = await startHarness(page, { tokenHost: { launch: host.launch(tokens.env), modulePath: tokens.modulePath } });
    repo = await createCeremonyRepo(harness.workspaceDir, host, tokens);
  });

  test.afterEach(async () => {
    await harness?.close();
    await repo?.cleanup();
    await host?.dispose();
    await tokens?.cleanup();
  });

  async function check(app: AppPage, page: Page, name: string): Promise<void> {
    await app.screenshot(name);
    expect(await seriousViolations(page), name).toEqual([]);
  }

  test('rotate-root through the GUI: review diff, "Yes" gate, PIN per token, progress, resume, finalize, export', async ({ page }) => {
    test.setTimeout(180_000);
    await page.emulateMedia({ colorScheme: 'light' });
    const app = new AppPage(page);
    await app.open(harness.url);
    await app.goTo('Ceremonies');
    // The init ceremony of the setup is listed with its phase and journal words.
    const table = page.getByRole('table', { name: 'Ceremonies' });
    await expect(table.getByRole('row').filter({ hasText: 'init' })).toContainText('Exported');
    await check(app, page, 'ceremonies-list-light');

    // Step 1: the request bundle, through main's file dialog.
    await page.getByRole('button', { name: 'New ceremony…' }).click();
    await expect(page.getByText('Step 1 of 3: Request bundle')).toBeVisible();
    harness.setNextFilePick(repo.requestBundle);
    await page.getByRole('button', { name: 'Choose request bundle…' }).click();
    const facts = page.getByTestId('request-facts');
    await expect(facts).toContainText('version 1, threshold 1 of 1');
    await expect(facts).toContainText(`token ${repo.serialA}, Alice Officer`);
    await check(app, page, 'ceremony-new-request-light');
    await page.getByRole('button', { name: 'Next' }).click();
    // Step 2: the kind (init is impossible: the repository has a root).
    await expect(page.getByRole('radio', { name: /Initialise a repository/ })).toBeDisabled();
    await page.getByRole('radio', { name: /Rotate the root/ }).check();
    await page.getByRole('button', { name: 'Next' }).click();

    // Step 3: add token B's key, threshold 2.
    await expect(page.getByText('Step 3 of 3: Rotate the root')).toBeVisible();
    await page.getByRole('checkbox', { name: new RegExp(`Token ${repo.serialB}.*Bob Officer`) }).check();
    await page.getByLabel('New root threshold').fill('2');
    await expect(page.getByText('2 of 2 keys must sign (now 1 of 1).')).toBeVisible();
    await check(app, page, 'ceremony-new-keys-light');
    await page.getByRole('button', { name: 'Create proposal' }).click();

    // Review: the diff names keys by token serial and holder, thresholds old → new, absolute dates.
    await expect(page.getByTestId('ceremony-phase')).toHaveText('Awaiting review');
    const changes = page.getByRole('list', { name: 'Changes' });
    await expect(changes).toContainText('root: version 1 → 2');
    await expect(changes).toContainText('root: root threshold 1 → 2 (of 2 keys)');
    await expect(changes).toContainText(`token ${repo.serialB}, Bob Officer`);
    await expect(changes.locator('[data-diff-kind="expires"]')).toContainText(/expires \d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z → \d{4}-\d{2}-\d{2}T/);
    // Every rule check passed (none blocking): the summary says so and each one can be read.
    await expect(page.getByTestId('checks-summary')).toHaveText(/^(\d+) of \1 checks passed\.$/);
    await expect(page.getByRole('table', { name: 'Rule checks' })).toHaveCount(0);
    await page.getByText(/^All passed checks/).click();
    const passedChecks = page.getByRole('table', { name: 'Passed rule checks' });
    await expect(passedChecks.locator('[data-check="ROOT_VERSION_NOT_NEXT"]')).toContainText('root version 2 follows 1');
    await expect(passedChecks.locator('[data-check="THRESHOLD_EXCEEDS_KEYS"]').first()).toContainText('threshold 2 of 2 keys');
    const current = page.locator('[data-requirement="root v1 (current)"]');
    const next = page.locator('[data-requirement="root v2 (new)"]');
    await expect(current.locator('.requirement-count')).toHaveText('0/1');
    await expect(next.locator('.requirement-count')).toHaveText('0/2');
    await expect(next).toContainText(`token ${repo.serialA}, Alice Officer`);
    await expect(next).toContainText(`token ${repo.serialB}, Bob Officer`);
    await expect(page.getByTestId('journal-head')).toContainText(/[0-9a-f]{64}/);
    await check(app, page, 'ceremony-review-light');
    await page.getByText(/^All passed checks/).click();

    // The gate: only exactly "Yes".
    const gate = page.getByLabel('Type “Yes” to confirm');
    const confirm = page.getByRole('button', { name: 'Confirm and continue to signing' });
    await gate.fill('yes');
    await expect(confirm).toBeDisabled();
    await gate.fill('Yes');
    await check(app, page, 'ceremony-confirm-light');
    await confirm.click();
    await expect(page.getByTestId('ceremony-phase')).toHaveText('Collecting signatures');

    // Token A: a wrong PIN first (refused, field cleared), then the right one.
    await page.getByRole('button', { name: `Sign with token ${repo.serialA}` }).click();
    const dialogA = page.getByRole('dialog', { name: `Sign with token ${repo.serialA}` });
    const pinA = dialogA.getByLabel(/PIN for officer-a/);
    await expect(pinA).toHaveAttribute('type', 'password');
    await pinA.fill('000000');
    await dialogA.getByRole('button', { name: 'Sign' }).click();
    await expect(dialogA.getByRole('alert')).toContainText('Nothing was signed with this token');
    await expect(dialogA.getByRole('alert')).toContainText(/PinIncorrect/);
    await expect(pinA).toHaveValue('');
    await check(app, page, 'ceremony-sign-wrong-pin-light');
    await pinA.fill(tokens.pin);
    await dialogA.getByRole('button', { name: 'Sign' }).click();
    await expect(dialogA.getByRole('status').filter({ hasText: 'Signed' })).toContainText('added 1 verified signature: root v2', { timeout: 30_000 });
    await check(app, page, 'ceremony-sign-a-done-light');
    await dialogA.getByRole('button', { name: 'Done' }).click();
    await expect(current.locator('.requirement-count')).toHaveText('1/1');
    await expect(next.locator('.requirement-count')).toHaveText('1/2');
    await expect(next).toContainText(`Still to sign (1 more of): token ${repo.serialB}, Bob Officer`);

    // Another sitting: back to the list and resume the unfinished ceremony.
    await page.getByRole('button', { name: 'All ceremonies' }).click();
    const row = table.getByRole('row').filter({ hasText: 'rotate-root' });
    await expect(row).toContainText('Collecting signatures');
    await row.getByRole('button', { name: /^Resume rotate-root/ }).click();
    await expect(next.locator('.requirement-count')).toHaveText('1/2');

    // Token B.
    await page.getByRole('button', { name: `Sign with token ${repo.serialB}` }).click();
    const dialogB = page.getByRole('dialog', { name: `Sign with token ${repo.serialB}` });
    await dialogB.getByLabel(/PIN for officer-b/).fill(tokens.pin);
    await dialogB.getByRole('button', { name: 'Sign' }).click();
    await expect(dialogB.getByRole('status').filter({ hasText: 'Signed' })).toContainText('added 1 verified signature', { timeout: 30_000 });
    await dialogB.getByRole('button', { name: 'Done' }).click();
    await expect(next.locator('.requirement-count')).toHaveText('2/2');
    await expect(page.locator('[data-role-progress="root"]')).toContainText('complete');
    await check(app, page, 'ceremony-signed-light');

    // Finalize and export through main's save dialog.
    await page.getByRole('button', { name: 'Finalize' }).click();
    await expect(page.getByTestId('ceremony-phase')).toHaveText('Finalized');
    const out = path.join(repo.dir, 'rotate-root.signed.bundle');
    harness.setNextFilePick(out);
    await page.getByRole('button', { name: 'Export signed bundle…' }).click();
    await expect(page.getByTestId('export-result')).toContainText(out);
    await expect(page.getByTestId('ceremony-phase')).toHaveText('Exported');
    await check(app, page, 'ceremony-exported-light');
    await page.emulateMedia({ colorScheme: 'dark' });
    await check(app, page, 'ceremony-exported-dark');

    // The exported bundle verifies (manifest, journal chain, metadata vs proposal, signatures)...
    const bytes = await readFile(out);
    const verdict = await verifyBundle(bytes, { crypto });
    expect(verdict.ok, JSON.stringify(verdict.checks)).toBe(true);
    // ...and the new root verifies under the old root's threshold (1) and its own (2).
    const signed = await readBundleFile(out);
    const newRootBytes = signed.content.metadata['root'];
    expect(newRootBytes).toBeDefined();
    const oldRoot = parseMetadata(await readFile(path.join(repo.repoDir, '1.root.json')), { dialect: 'tuf-1.0', expectedType: 'root' });
    const newRoot = parseMetadata(newRootBytes!, { dialect: 'tuf-1.0', expectedType: 'root' });
    const rootRole = (r: Envelope<Root>) => r.signed.roles.get('root')!;
    expect(rootRole(newRoot).threshold).toBe(2);
    expect([...rootRole(newRoot).keyids].sort()).toEqual([repo.rootKeyIds.a, repo.rootKeyIds.b].sort());
    const underOld = verifyRoleSignatures(newRoot, roleKeyMap(oldRoot.signed.keys, rootRole(oldRoot).keyids), rootRole(oldRoot).threshold, crypto);
    const underNew = verifyRoleSignatures(newRoot, roleKeyMap(newRoot.signed.keys, rootRole(newRoot).keyids), rootRole(newRoot).threshold, crypto);
    expect(underOld.valid, JSON.stringify({ underOld, old: rootRole(oldRoot).keyids })).toBeGreaterThanOrEqual(1);
    expect(underNew.valid).toBe(2);
    // The TUF dir writer accepts it as root v2 (it re-checks both thresholds before writing).
    const published = await publishTufDir(signed.content.metadata, repo.repoDir, { onlineKeys: await repo.onlineKeys() });
    expect(published.written).toContain('2.root.json');

    // Bundles screen: import the exported bundle, verified, with the journal head words.
    await page.emulateMedia({ colorScheme: 'light' });
    await app.goTo('Bundles');
    harness.setNextFilePick(out);
    await page.getByRole('button', { name: 'Import bundle file…' }).click();
    await expect(page.getByTestId('bundle-verdict')).toHaveText('Verified');
    await expect(page.getByRole('table', { name: /^Checks of/ })).toContainText('JOURNAL_CHAIN');
    await expect(page.getByRole('table', { name: /^Metadata in/ })).toContainText('root');
    await expect(page.getByTestId('journal-head')).toContainText(signed.manifest.journalHead ?? 'no head');
    await check(app, page, 'bundles-verified-light');

    // PINs never reach the page's storage; nothing went wrong in the page.
    const stored = await page.evaluate(() => JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }));
    expect(stored).not.toContain(tokens.pin);
    expect(harness.problems).toEqual([]);
  });
});

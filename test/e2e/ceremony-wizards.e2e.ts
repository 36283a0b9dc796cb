import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';

import { expect, test, type Page } from '@playwright/test';

import { readBundleFile, verifyBundle } from '../../electron/core/bundles';
import { NodeCryptoProvider } from '../../electron/core/crypto/node-crypto-provider';
import { parseMetadata } from '../../shared/tuf/metadata';
import type { TokenSet } from '../integration/ceremony/support/softhsm-tokens';
import { bundleTokenHost, SOFTHSM_MISSING_REASON, type TokenHostBundle } from '../support/softhsm';
import { AppPage } from './pages/app-page';
import { seriousViolations } from './support/axe';
import { createWizardRepo, createWizardTokens, KEY_PASSPHRASE, type WizardRepo } from './support/ceremony-wizard-setup';
import { type Harness, startHarness } from './support/harness';

/**
 * The ceremony wizards through the GUI with real main services and a SoftHSM token: a TUF init
 * whose root key is generated on the token (PIN asked before start) and whose targets key is a
 * key file (signed with its passphrase), exported; then, on the published result, add-signer
 * (alice, with paths) and recover from alice's key compromise (impact first). Each signed bundle
 * is verified and published to a TUF directory, from which the next request bundle is pulled.
 */
test.describe('Ceremony wizards', () => {
  test.skip(SOFTHSM_MISSING_REASON !== null, SOFTHSM_MISSING_REASON ?? '');

  let tokens: TokenSet;
  let host: TokenHostBundle;
  let harness: Harness;
  let repo: WizardRepo;
  const crypto = new NodeCryptoProvider();

  test.beforeEach(async ({ page }) => {
    tokens = await createWizardTokens();
    host = await bundleTokenHost();
    harness = await startHarness(page, { tokenHost: { launch: host.launch(tokens.env), modulePath: tokens.modulePath } });
    repo = await createWizardRepo(harness.workspaceDir);
  });

  test.afterEach(async () => {
    await harness?.close();
    await repo?.cleanup();
    await host?.dispose();
    await tokens?.cleanup();
  });

  async function shot(app: AppPage, page: Page, name: string): Promise<void> {
    await app.screenshot(name);
    expect(await seriousViolations(page), name).toEqual([]);
  }

  /** New ceremony → request bundle → kind → the kind's form. */
  async function openWizard(page: Page, request: string, kind: RegExp): Promise<void> {
    await page.getByRole('button', { name: 'New ceremony…' }).click();
    harness.setNextFilePick(request);
    await page.getByRole('button', { name: 'Choose request bundle…' }).click();
    await expect(page.getByTestId('request-facts')).toBeVisible();
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByRole('radio', { name: kind }).check();
    await page.getByRole('button', { name: 'Next' }).click();
    await expect(page.getByText(/^Step 3 of 3:/)).toBeVisible();
  }

  async function confirmYes(page: Page): Promise<void> {
    await expect(page.getByTestId('ceremony-phase')).toHaveText('Awaiting review');
    await page.getByLabel('Type “Yes” to confirm').fill('Yes');
    await page.getByRole('button', { name: 'Confirm and continue to signing' }).click();
    await expect(page.getByTestId('ceremony-phase')).toHaveText('Collecting signatures');
  }

  async function signWithFile(page: Page, keyId: string, passphrase: string): Promise<string> {
    await page.locator(`[data-signer-file="${keyId}"]`).getByRole('button', { name: /^Sign with key file/ }).click();
    const dialog = page.getByRole('dialog', { name: 'Sign with a key file' });
    await dialog.getByLabel('Passphrase of the key file').fill(passphrase);
    await dialog.getByRole('button', { name: 'Sign' }).click();
    const status = dialog.getByRole('status').filter({ hasText: 'Signed' });
    await expect(status).toContainText(/The key file added \d+ verified signature/, { timeout: 30_000 });
    const text = (await status.textContent()) ?? '';
    await dialog.getByRole('button', { name: 'Done' }).click();
    return text;
  }

  async function finalizeAndExport(page: Page, name: string): Promise<string> {
    await expect(page.getByRole('button', { name: 'Finalize' })).toBeVisible();
    await page.getByRole('button', { name: 'Finalize' }).click();
    await expect(page.getByTestId('ceremony-phase')).toHaveText('Finalized');
    const out = path.join(repo.dir, `${name}.signed.bundle`);
    harness.setNextFilePick(out);
    await page.getByRole('button', { name: 'Export signed bundle…' }).click();
    await expect(page.getByTestId('export-result')).toContainText(out);
    const verdict = await verifyBundle(await readFile(out), { crypto });
    expect(verdict.ok, JSON.stringify(verdict.checks)).toBe(true);
    return out;
  }

  test('TUF init with a root key generated on a token and a key-file targets key, then add-signer and recover', async ({ page }) => {
    test.setTimeout(240_000);
    await page.emulateMedia({ colorScheme: 'light' });
    const app = new AppPage(page);
    const [serialA] = tokens.serials as [string];
    const targetsExpiry = new Date(Date.now() + 90 * 86_400_000).toISOString().slice(0, 10);
    await app.open(harness.url);
    await app.goTo('Ceremonies');
    await expect(page.getByRole('button', { name: 'Pull request bundle…' })).toBeDisabled();
    await expect(page.getByTestId('pull-offline-reason')).toContainText('Keyrite runs air-gapped; start it with KEYRITE_NETWORK=online on the online workstation.');
    await shot(app, page, 'ceremony-wizard-list-offline-light');

    await test.step('init: request, kind, keys, PIN before start', async () => {
      await page.getByRole('button', { name: 'New ceremony…' }).click();
      harness.setNextFilePick(await repo.request('request-init.bundle'));
      await page.getByRole('button', { name: 'Choose request bundle…' }).click();
      await expect(page.getByTestId('request-facts')).toContainText('none yet (a new repository)');
      await shot(app, page, 'ceremony-wizard-request-light');
      await page.getByRole('button', { name: 'Next' }).click();
      await expect(page.getByRole('radio', { name: /Rotate the root/ })).toBeDisabled();
      await expect(page.locator('[data-kind="rotate-root"]')).toContainText('Not available: ');
      await shot(app, page, 'ceremony-wizard-kinds-light');
      await page.getByRole('radio', { name: /Initialise a repository/ }).check();
      await page.getByRole('button', { name: 'Next' }).click();
      await expect(page.getByText('Step 3 of 3: Initialise a repository')).toBeVisible();

      // Root: a new P-256 key on token A (the next free CKA_ID is proposed).
      await page.getByRole('button', { name: 'Root keys: generate a new key on a token' }).click();
      const gen = page.getByRole('group', { name: 'Generate a new key on a token' });
      await gen.getByLabel('Token').selectOption(serialA);
      await expect(gen.getByLabel('CKA_ID (slot)')).toHaveValue('01');
      await gen.getByLabel('Label (optional)').fill('root A');
      await shot(app, page, 'ceremony-wizard-generate-light');
      await gen.getByRole('button', { name: 'Add key to generate' }).click();
      await expect(page.getByRole('list', { name: 'Root keys: keys to generate' })).toContainText(`New P-256 key on token ${serialA} (CKA_ID 01)`);
      await page.getByRole('group', { name: 'Targets keys: Workspace key files' }).getByRole('checkbox', { name: /Tagging team/ }).check();
      await page.getByRole('group', { name: 'Snapshot key: Workspace key files' }).getByRole('checkbox', { name: /\(snapshot\)/ }).check();
      await page.getByRole('group', { name: 'Timestamp key: Workspace key files' }).getByRole('checkbox', { name: /\(timestamp\)/ }).check();
      await page.getByLabel('targets expires on').fill(targetsExpiry);
      // The wizard rounds to whole days from now to 00:00Z of that date: 90 before noon UTC, 89 after.
      const inDays = Math.round((Date.parse(`${targetsExpiry}T00:00:00Z`) - Date.now()) / 86_400_000);
      await expect(page.getByTestId('expiry-targets')).toContainText(`${targetsExpiry}T00:00:00Z (in ${inDays} days)`);
      await expect(page.getByText(`The PIN of token ${serialA} is asked before the proposal is made.`)).toBeVisible();
      await shot(app, page, 'ceremony-wizard-init-light');

      await page.getByRole('button', { name: 'Create proposal' }).click();
      const pinDialog = page.getByRole('dialog', { name: `PIN for token ${serialA}` });
      await expect(pinDialog).toContainText('A new P-256 key is generated on it (CKA_ID 01).');
      await pinDialog.getByLabel(/PIN for officer-a/).fill(tokens.pin);
      await shot(app, page, 'ceremony-wizard-pin-light');
      await pinDialog.getByRole('button', { name: 'Create proposal' }).click();
      await expect(page.getByTestId('ceremony-phase')).toHaveText('Awaiting review', { timeout: 30_000 });
      await expect(page.getByRole('list', { name: 'Changes' })).toContainText(`${targetsExpiry}T00:00:00Z`);
    });

    let initBundle = '';
    await test.step('init: sign with the token and with the key file, export', async () => {
      await confirmYes(page);
      await page.getByRole('button', { name: `Sign with token ${serialA}` }).click();
      const dialogA = page.getByRole('dialog', { name: `Sign with token ${serialA}` });
      await dialogA.getByLabel(/PIN for officer-a/).fill(tokens.pin);
      await dialogA.getByRole('button', { name: 'Sign' }).click();
      await expect(dialogA.getByRole('status').filter({ hasText: 'Signed' })).toContainText('verified signature', { timeout: 30_000 });
      await dialogA.getByRole('button', { name: 'Done' }).click();

      await page.locator(`[data-signer-file="${repo.keyIds.targets}"]`).getByRole('button', { name: /^Sign with key file/ }).click();
      const fileDialog = page.getByRole('dialog', { name: 'Sign with a key file' });
      await expect(fileDialog).toContainText('Tagging team signs targets');
      await fileDialog.getByLabel('Passphrase of the key file').fill('not the passphrase');
      await fileDialog.getByRole('button', { name: 'Sign' }).click();
      await expect(fileDialog.getByRole('alert')).toContainText('Nothing was signed with this key file');
      await expect(fileDialog.getByLabel('Passphrase of the key file')).toHaveValue('');
      await shot(app, page, 'ceremony-file-sign-wrong-light');
      await fileDialog.getByRole('button', { name: 'Cancel' }).click();
      expect(await signWithFile(page, repo.keyIds.targets, KEY_PASSPHRASE)).toContain('targets v1');
      await expect(page.locator('[data-role-progress="targets"]')).toContainText('complete');
      initBundle = await finalizeAndExport(page, 'init');
      await shot(app, page, 'ceremony-wizard-init-exported-light');
      const root = parseMetadata((await readBundleFile(initBundle)).content.metadata['root']!, { dialect: 'tuf-1.0', expectedType: 'root' });
      expect(root.signed.roles.get('targets')?.keyids.length).toBe(1);
      expect(await repo.publish(initBundle)).toContain('1.root.json');
    });

    await test.step('add-signer alice with paths; merge a partial bundle', async () => {
      await page.getByRole('button', { name: 'All ceremonies' }).click();
      await openWizard(page, await repo.request('request-add.bundle'), /Add a signer/);
      await page.getByLabel('Signer name').fill('alice');
      await expect(page.getByTestId('signer-role-hint')).toHaveText('Creates the delegated role alice under targets.');
      await page.getByRole('group', { name: 'Signer keys: Workspace key files' }).getByRole('checkbox', { name: /Alice Dev/ }).check();
      await page.getByLabel('Paths the signer may sign (one pattern per line)').fill('alice/*');
      await shot(app, page, 'ceremony-wizard-add-signer-light');
      await page.getByRole('button', { name: 'Create proposal' }).click();
      await expect(page.getByRole('list', { name: 'Changes' })).toContainText('alice');
      await confirmYes(page);
      await signWithFile(page, repo.keyIds.targets, KEY_PASSPHRASE);
      // A partial bundle carries the signatures so far; merging it back adds nothing new (each is verified again).
      const partial = path.join(repo.dir, 'add.partial.bundle');
      harness.setNextFilePick(partial);
      await page.getByRole('button', { name: 'Export partial bundle…' }).click();
      await expect(page.getByTestId('export-result')).toContainText(partial);
      harness.setNextFilePick(partial);
      await page.getByRole('button', { name: 'Merge partial bundle…' }).click();
      await expect(page.getByTestId('merge-result')).toContainText('Nothing new in that bundle');
      await shot(app, page, 'ceremony-merge-partial-light');
      await signWithFile(page, repo.keyIds.alice, KEY_PASSPHRASE);
      const added = await finalizeAndExport(page, 'add-signer');
      const targets = (await readBundleFile(added)).content.metadata['targets']!;
      expect(new TextDecoder().decode(targets)).toContain('"alice/*"');
      await repo.publish(added);
    });

    const request3 = await repo.request('request-3.bundle');
    await test.step('rotate-key, remove-signer, refresh and sign-targets forms', async () => {
      await page.getByRole('button', { name: 'All ceremonies' }).click();
      await openWizard(page, request3, /Rotate a top-level key/);
      await expect(page.getByRole('radio', { name: /^targets/ })).toBeChecked();
      await page.getByRole('group', { name: 'New targets keys: Workspace key files' }).getByRole('checkbox', { name: /Alice Dev/ }).check();
      await shot(app, page, 'ceremony-wizard-rotate-key-light');
      const kind = async (name: RegExp): Promise<void> => {
        await page.getByRole('button', { name: 'Back' }).click();
        await page.getByRole('radio', { name }).check();
        await page.getByRole('button', { name: 'Next' }).click();
      };
      await kind(/Remove a signer/);
      await page.getByRole('radio', { name: /^alice \(delegated by targets\)/ }).check();
      await shot(app, page, 'ceremony-wizard-remove-signer-light');
      await kind(/Refresh expiring roles/);
      await page.locator('[data-refresh-role="targets"]').getByRole('checkbox').check();
      await expect(page.getByTestId('expiry-targets')).toContainText('Policy default');
      await shot(app, page, 'ceremony-wizard-refresh-light');
      await kind(/Sign targets/);
      await page.getByRole('button', { name: 'Add a target' }).click();
      await page.getByRole('button', { name: 'Create proposal' }).click();
      await expect(page.getByTestId('plan-problems')).toContainText('Change 1: give the target path.');
      await expect(page.getByTestId('plan-problems')).toContainText('Change 1: choose the file to add.');
      const file = path.join(repo.dir, 'app-1.0.tgz');
      await writeFile(file, 'release 1.0');
      harness.setNextFilePick(file);
      await page.getByRole('button', { name: 'Choose file…' }).click();
      await expect(page.getByLabel('Target path (tag)')).toHaveValue('app-1.0.tgz');
      await expect(page.getByTestId('plan-problems')).toHaveCount(0);
      await shot(app, page, 'ceremony-wizard-sign-targets-light');
      await page.getByRole('button', { name: 'Cancel' }).click();
    });

    await test.step('recover from alice’s key compromise: impact first', async () => {
      await openWizard(page, request3, /Recover from a compromise/);
      const aliceRow = page.locator('[data-recover-key]').filter({ hasText: 'alice' });
      await aliceRow.getByRole('combobox').selectOption('compromised');
      await page.getByRole('button', { name: 'Show impact' }).click();
      const impact = page.getByTestId('impact');
      await expect(impact.locator('[data-impact-role="alice"]')).toContainText('Yes');
      await expect(impact.getByRole('list', { name: 'What an attacker can sign' })).toContainText('alice');
      await expect(impact.getByRole('list', { name: 'Recovery steps' })).not.toBeEmpty();
      await shot(app, page, 'ceremony-wizard-recover-impact-light');
      await page.emulateMedia({ colorScheme: 'dark' });
      await shot(app, page, 'ceremony-wizard-recover-impact-dark');
      await page.emulateMedia({ colorScheme: 'light' });
      await page.getByRole('button', { name: 'Create proposal' }).click();
      await expect(page.getByRole('list', { name: 'Changes' })).toContainText('alice');
      await confirmYes(page);
      await signWithFile(page, repo.keyIds.targets, KEY_PASSPHRASE);
      const recovered = await finalizeAndExport(page, 'recover');
      const targets = new TextDecoder().decode((await readBundleFile(recovered)).content.metadata['targets']);
      expect(targets).not.toContain('"alice/*"');
      await shot(app, page, 'ceremony-wizard-recover-exported-light');
    });

    const stored = await page.evaluate(() => JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }));
    expect(stored).not.toContain(tokens.pin);
    expect(stored).not.toContain(KEY_PASSPHRASE);
    expect(harness.problems).toEqual([]);
  });
});


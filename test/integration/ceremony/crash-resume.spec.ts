/**
 * Acceptance, crash (issue 4; security.md §5, catalogue #40/#44): the bundled `keyrite` CLI is
 * SIGKILLed right after each journal entry of an init ceremony becomes durable (fault injection
 * through a test-only CLI entry, test/support/crash-cli-entry.ts, whose journal hook kills the
 * process; the shipped dist/cli has no such switch), then `keyrite ceremony resume` must finish with
 * exactly the metadata bytes of an uninterrupted run (Ed25519 signatures are deterministic and the
 * ceremony clock is pinned with --now), and every key file must still be there and decrypt.
 */
import { cp, mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { bundleCli } from '../../support/bundle-cli';
import { runNode } from '../../support/processes';
import { PASSPHRASE, signedMetadata, Workspace } from './support/harness';
import { pullDir } from './support/tuf-client';

const NOW = '2026-11-22T10:00:00Z';

describe('ceremony crash at every journal step', () => {
  let tmp: string;
  let cli: string;
  let base: Workspace;
  let request: string;
  let initArgs: string[];
  let reference: Record<string, string>;
  let entries = 0;

  const envFor = (home: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv => ({ PATH: process.env['PATH'], KEYRITE_HOME: home, KEYRITE_PASSPHRASE: PASSPHRASE, ...extra });
  const hex = (files: Record<string, Uint8Array>): Record<string, string> => Object.fromEntries(Object.entries(files).map(([k, v]) => [k, Buffer.from(v).toString('hex')]));

  beforeAll(async () => {
    tmp = await mkdtemp(path.join(os.tmpdir(), 'keyrite-crash-'));
    cli = await bundleCli(path.join(tmp, 'app'), { entry: 'test/support/crash-cli-entry.ts' });
    base = await Workspace.create();
    const root = await base.generateKey('root');
    const targets = await base.generateKey('targets');
    const snapshot = await base.generateKey('snapshot');
    const timestamp = await base.generateKey('timestamp');
    request = await base.writeRequest(await pullDir(base.path('repo'), new Date(Date.parse(NOW) - 3_600_000)), 'request.bundle');
    initArgs = [
      'ceremony', 'init', '--request', request, '--now', NOW, '--yes',
      '--root-key', `file:${root.id}`,
      '--targets-key', `file:${targets.id}`, '--snapshot-key', `file:${snapshot.id}`, '--timestamp-key', `file:${timestamp.id}`,
    ];
    // The uninterrupted run.
    const home = await cloneHome('reference');
    const run = await runNode(cli, [...initArgs, '--out', path.join(tmp, 'reference.bundle')], envFor(home));
    expect(run.code, run.stderr).toBe(0);
    reference = hex(await signedMetadata(path.join(tmp, 'reference.bundle')));
    const ceremonies = await readdir(path.join(home, 'ceremonies'));
    const id = ceremonies.find((n) => n.startsWith('init-')) as string;
    const { readFile } = await import('node:fs/promises');
    entries = (await readFile(path.join(home, 'ceremonies', id, 'journal.jsonl'), 'utf8')).trimEnd().split('\n').length;
  }, 120_000);

  afterAll(async () => {
    await base?.cleanup();
    if (tmp) await rm(tmp, { recursive: true, force: true });
  });

  async function cloneHome(name: string): Promise<string> {
    const home = path.join(tmp, name);
    await cp(base.env['KEYRITE_HOME'] as string, home, { recursive: true });
    return home;
  }

  it('journals plan, proposal, confirmation, root and targets signatures, finalize and export', () => {
    // plan, proposal, confirmed, 2 × (sign-intent, signature), finalized, exported
    expect(entries).toBe(9);
    expect(Object.keys(reference).sort()).toEqual(['root', 'targets']);
  });

  it('ships no fault-injection switch: the product CLI bundle has no kill hook or test env var', async () => {
    const product = await bundleCli(path.join(tmp, 'product'));
    const { readFile } = await import('node:fs/promises');
    const code = await readFile(product, 'utf8');
    expect(code).not.toMatch(/KILL_AFTER_JOURNAL|KEYRITE_FAULT|KEYRITE_TEST_/);
    expect(await readFile(cli, 'utf8')).toContain('KEYRITE_TEST_KILL_AFTER_JOURNAL_SEQ');
  }, 60_000);

  it('resumes to identical metadata after SIGKILL at each step, and loses no key file', async () => {
    const crashAt = async (seq: number): Promise<void> => {
      const home = await cloneHome(`crash-${seq}`);
      const keysBefore = (await readdir(path.join(home, 'keys'))).sort();
      const out = path.join(tmp, `crash-${seq}.bundle`);
      const killed = await runNode(cli, [...initArgs, '--out', out], envFor(home, { KEYRITE_TEST_KILL_AFTER_JOURNAL_SEQ: String(seq) }));
      expect(killed.signal, `step ${seq}: ${killed.stderr}`).toBe('SIGKILL');
      const id = (await readdir(path.join(home, 'ceremonies'))).find((n) => n.startsWith('init-')) as string;
      const resumed = await runNode(cli, ['ceremony', 'resume', id, '--now', NOW, '--yes', '--out', out], envFor(home));
      expect(resumed.code, `resume after step ${seq}:\n${resumed.stdout}\n${resumed.stderr}`).toBe(0);
      expect(hex(await signedMetadata(out)), `metadata after a crash at step ${seq}`).toEqual(reference);
      expect((await readdir(path.join(home, 'keys'))).sort()).toEqual(keysBefore);
      const list = await runNode(cli, ['keys', 'list', '--json'], envFor(home));
      expect(list.code, list.stderr).toBe(0);
    };
    // Two at a time: each step costs two scrypt key decryptions, and CI has two cores.
    const steps = Array.from({ length: entries }, (_, i) => i + 1);
    for (let i = 0; i < steps.length; i += 2) await Promise.all(steps.slice(i, i + 2).map(crashAt));
  }, 240_000);
});

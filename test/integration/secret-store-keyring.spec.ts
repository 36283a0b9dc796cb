/**
 * The keytar SecretStore against a real Secret Service: gnome-keyring-daemon inside a private
 * `dbus-run-session` with a throwaway HOME, so the developer's own keychain is never touched.
 * A driver script (run with `node --import tsx`) writes in one process and reads back in a
 * second one, which proves the secrets live in the daemon and not in memory. A second test runs
 * the same driver with no session bus at all: a clear "unavailable" state, named errors, no crash.
 * Every daemon is found by its unique HOME in /proc afterwards; a leftover fails the test.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { keyringLeftovers, keyringMissingReason } from '../support/keyring';
import { run } from '../support/processes';

const repoRoot = path.resolve(__dirname, '../..');
const KEY_A = 'a1'.repeat(32);
const KEY_B = 'b2'.repeat(32);

const MISSING = keyringMissingReason();

/** The driver: one JSON line per step, so the test asserts on exactly what the store did. */
const DRIVER = `
import { createSecretStore } from ${JSON.stringify(path.join(repoRoot, 'electron/core/secrets/create-secret-store.ts'))};

process.on('unhandledRejection', (reason) => { console.log(JSON.stringify({ step: 'UNHANDLED', value: String(reason) })); process.exit(3); });
const out = (step, value) => console.log(JSON.stringify({ step, value }));
const failure = (error) => ({ name: error.name, message: error.message, reason: error.detail?.reason ?? null });
const attempt = async (step, fn) => { try { out(step, { ok: await fn() }); } catch (error) { out(step, { error: failure(error) }); } };

const a = { kind: 'online-key-passphrase', keyId: ${JSON.stringify(KEY_A)} };
const b = { kind: 'delegation-key-passphrase', keyId: ${JSON.stringify(KEY_B)} };
const store = await createSecretStore({ timeoutMs: 15000 });
out('available', await store.isAvailable());
switch (process.argv[2]) {
  case 'write':
    await store.set(a, 'correct horse');
    await store.set(b, 'battery staple');
    await store.set(a, 'correct horse 2');
    await attempt('set-root-passphrase', () => store.set({ kind: 'root-key-passphrase', keyId: ${JSON.stringify(KEY_A)} }, 'root secret'));
    await attempt('set-root-pin', () => store.set({ kind: 'root-pin', keyId: ${JSON.stringify(KEY_B)} }, '123456'));
    out('list', await store.list());
    break;
  case 'read':
    out('get-a', await store.get(a));
    out('get-b', await store.get(b));
    out('delete-a', await store.delete(a));
    out('delete-a-again', await store.delete(a));
    out('get-a-after', await store.get(a));
    out('list-after', await store.list());
    out('delete-b', await store.delete(b));
    out('list-final', await store.list());
    break;
  case 'no-bus':
    await attempt('get', () => store.get(a));
    await attempt('set', () => store.set(a, 'pw'));
    await attempt('list', () => store.list());
    await attempt('set-root-pin', () => store.set({ kind: 'root-pin', keyId: ${JSON.stringify(KEY_A)} }, '123456'));
    break;
}
out('done', true);
`;

interface Step {
  step: string;
  value: unknown;
}

function parseSteps(stdout: string): Step[] {
  return stdout
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Step);
}

function stepsOf(steps: Step[], name: string): unknown[] {
  return steps.filter((s) => s.step === name).map((s) => s.value);
}

interface StepError {
  name: string;
  message: string;
  reason: string | null;
}

/** The error a single `attempt` step reported (fails the test when the step succeeded or is missing). */
function errorOf(steps: Step[], name: string): StepError {
  const values = stepsOf(steps, name) as Array<{ error?: StepError }>;
  expect(values, `one "${name}" step`).toHaveLength(1);
  const error = values[0]?.error;
  if (!error) throw new Error(`step "${name}" did not fail: ${JSON.stringify(values)}`);
  return error;
}

describe.skipIf(MISSING !== null)(`SecretStore on a real gnome-keyring${MISSING ? ` (skipped: ${MISSING})` : ''}`, () => {
  let home: string;
  let driver: string;

  beforeEach(async () => {
    // A short path: gnome-keyring puts its control socket under HOME/.cache.
    home = await mkdtemp(path.join(os.tmpdir(), 'kr-keyring-'));
    driver = path.join(home, 'driver.mts');
    await writeFile(driver, DRIVER);
  });

  afterEach(async () => {
    let left: string[];
    try {
      left = await keyringLeftovers(home);
    } finally {
      await rm(home, { recursive: true, force: true });
    }
    expect(left, 'processes left running').toEqual([]);
  });

  // Only PATH and the throwaway HOME: no DISPLAY, no inherited session bus, no XDG_RUNTIME_DIR.
  const isolatedEnv = (): NodeJS.ProcessEnv => ({ PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: home, LANG: 'C.UTF-8' });

  it('sets, gets, lists and deletes through gnome-keyring, and refuses root secrets', async () => {
    const script = [
      'set -e',
      // A non-empty password: an empty one makes gnome-keyring ask a GUI prompter, which fails headless.
      'printf %s "$KEYRING_PASSWORD" | gnome-keyring-daemon --unlock --components=secrets >/dev/null',
      'node --import tsx "$DRIVER" write',
      'node --import tsx "$DRIVER" read',
    ].join('\n');
    const result = await run('dbus-run-session', ['--', 'sh', '-c', script], {
      cwd: repoRoot,
      env: { ...isolatedEnv(), DRIVER: driver, KEYRING_PASSWORD: 'keyrite-test-keyring' },
      timeoutMs: 45_000,
    });
    expect(result.code, result.stderr).toBe(0);
    const steps = parseSteps(result.stdout);
    expect(stepsOf(steps, 'UNHANDLED')).toEqual([]);
    expect(stepsOf(steps, 'available')).toEqual([
      { available: true, backend: 'Secret Service (libsecret)' },
      { available: true, backend: 'Secret Service (libsecret)' },
    ]);

    // Root secrets are refused by name, and nothing was written for them.
    for (const name of ['set-root-passphrase', 'set-root-pin']) {
      const error = errorOf(steps, name);
      expect(error.name).toBe('SecretNotRememberableError');
      expect(error.message).toMatch(/never stored in the OS keychain/);
    }
    expect(stepsOf(steps, 'list')).toEqual([
      [
        { account: `key:${KEY_A}`, keyId: KEY_A },
        { account: `key:${KEY_B}`, keyId: KEY_B },
      ],
    ]);

    // A second process reads what the first wrote: the values live in the daemon.
    expect(stepsOf(steps, 'get-a')).toEqual(['correct horse 2']);
    expect(stepsOf(steps, 'get-b')).toEqual(['battery staple']);
    expect(stepsOf(steps, 'delete-a')).toEqual([true]);
    expect(stepsOf(steps, 'delete-a-again')).toEqual([false]);
    expect(stepsOf(steps, 'get-a-after')).toEqual([null]);
    expect(stepsOf(steps, 'list-after')).toEqual([[{ account: `key:${KEY_B}`, keyId: KEY_B }]]);
    expect(stepsOf(steps, 'delete-b')).toEqual([true]);
    expect(stepsOf(steps, 'list-final')).toEqual([[]]);
    expect(stepsOf(steps, 'done')).toEqual([true, true]);
    // The keyring really is on disk under the throwaway HOME (the login collection gnome-keyring made).
    expect(existsSync(path.join(home, '.local/share/keyrings/login.keyring'))).toBe(true);
  });

  it('without a D-Bus session: unavailable with a reason, named errors, no crash', async () => {
    const result = await run('node', ['--import', 'tsx', driver, 'no-bus'], { cwd: repoRoot, env: isolatedEnv(), timeoutMs: 30_000 });
    expect(result.code, result.stderr).toBe(0);
    const steps = parseSteps(result.stdout);
    expect(stepsOf(steps, 'UNHANDLED')).toEqual([]);
    const [availability] = stepsOf(steps, 'available') as Array<{ available: boolean; reason?: string; detail?: string }>;
    expect(availability?.available).toBe(false);
    expect(availability?.reason).toBe('no-dbus-session');
    expect(availability?.detail).toMatch(/^no D-Bus session bus/);
    for (const name of ['get', 'set', 'list']) {
      const error = errorOf(steps, name);
      expect(error.name).toBe('SecretStoreUnavailableError');
      expect(error.reason).toBe('no-dbus-session');
      expect(error.message).toMatch(/^unavailable: no D-Bus session bus/);
    }
    // Policy is checked before the keychain is even asked.
    expect(errorOf(steps, 'set-root-pin').name).toBe('SecretNotRememberableError');
    expect(stepsOf(steps, 'done')).toEqual([true]);
  });
});

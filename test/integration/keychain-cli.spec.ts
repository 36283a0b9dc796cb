/**
 * `keyrite keys remember | forget | keychain` and the keychain as a passphrase source, through the
 * bundled CLI against a real gnome-keyring inside a private `dbus-run-session` with a throwaway
 * HOME. A driver (plain node, inside the session) runs each CLI command with stdin closed (so no
 * prompt is possible) and without any passphrase variable unless a step names one, and prints one
 * JSON line per command; the test asserts on exactly those. A second test runs with no bus at all.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { bundleCli } from '../support/bundle-cli';
import { run, type RunResult } from '../support/processes';
import { keyringLeftovers, keyringMissingReason } from '../support/keyring';

const repoRoot = path.resolve(__dirname, '../..');
const MISSING = keyringMissingReason();

const GOOD = 'delegation passphrase 1';
const NEW = 'delegation passphrase 2';
const ROOT = 'root passphrase for the officer';

/** One JSON line per CLI run: {step, code, stdout, stderr}. `$KEY` / `$ROOTKEY` are replaced by the generated ids. */
const DRIVER = `
import { spawnSync } from 'node:child_process';
const [cli, ws, dir] = process.argv.slice(2);
const ids = {};
const base = { ...process.env };
for (const name of Object.keys(base)) if (/PASSPHRASE/.test(name)) delete base[name];
const step = (name, args, env = {}) => {
  const argv = args.map((a) => a.replace('$KEY', ids.key ?? '').replace('$ROOTKEY', ids.root ?? ''));
  const r = spawnSync(process.execPath, [cli, ...argv, '--workspace', ws], { cwd: dir, env: { ...base, ...env }, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8', timeout: 30000 });
  const line = { step: name, code: r.status, stdout: r.stdout, stderr: r.stderr };
  console.log(JSON.stringify(line));
  return line;
};
const gen = (name, role) => JSON.parse(step(name, ['keys', 'generate', '--algorithm', 'ed25519', '--role', role, '--json'], { KEYRITE_PASSPHRASE: name === 'gen-root' ? ${JSON.stringify(ROOT)} : ${JSON.stringify(GOOD)} }).stdout).key.id;
ids.key = gen('gen-delegation', 'targets/releases');
ids.root = gen('gen-root', 'root');
console.log(JSON.stringify({ step: 'ids', ...ids }));
step('status-empty', ['keys', 'keychain', '--json']);
step('remember-wrong', ['keys', 'remember', '$KEY', '--passphrase-file', 'wrong.txt']);
step('status-after-wrong', ['keys', 'keychain', '--json']);
step('remember-root', ['keys', 'remember', '$ROOTKEY', '--passphrase-file', 'root.txt']);
step('remember', ['keys', 'remember', '$KEY', '--passphrase-file', 'good.txt']);
step('status-remembered', ['keys', 'keychain', '--json']);
step('status-text', ['keys', 'keychain']);
step('export-from-keychain', ['keys', 'export', '$KEY', '--format', 'notary', '-o', 'exported.pem']);
step('export-root-no-source', ['keys', 'export', '$ROOTKEY', '--format', 'notary', '-o', 'root.pem']);
step('import-exported', ['keys', 'import', 'exported.pem', '--json'], { KEYRITE_PASSPHRASE: ${JSON.stringify(GOOD)} });
step('passwd', ['keys', 'passwd', '$KEY', '--passphrase-file', 'good.txt', '--new-passphrase-file', 'new.txt']);
step('export-after-passwd', ['keys', 'export', '$KEY', '--format', 'notary', '-o', 'after-passwd.pem']);
step('import-after-passwd', ['keys', 'import', 'after-passwd.pem', '--json'], { KEYRITE_PASSPHRASE: ${JSON.stringify(NEW)} });
// Changed back while the keychain cannot be reached: the remembered (new) passphrase is now stale.
step('passwd-no-keychain', ['keys', 'passwd', '$KEY', '--passphrase-file', 'new.txt', '--new-passphrase-file', 'good.txt'], { DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/keyrite-test-bus' });
step('export-stale', ['keys', 'export', '$KEY', '--format', 'notary', '-o', 'stale.pem']);
step('forget', ['keys', 'forget', '$KEY']);
step('forget-again', ['keys', 'forget', '$KEY']);
step('status-forgotten', ['keys', 'keychain', '--json']);
`;

interface Line {
  step: string;
  code: number | null;
  stdout: string;
  stderr: string;
}

describe.skipIf(MISSING !== null)(`keyrite keys remember/forget/keychain on a real gnome-keyring${MISSING ? ` (skipped: ${MISSING})` : ''}`, () => {
  let tmp: string;
  let cli: string;

  beforeAll(async () => {
    tmp = await mkdtemp(path.join(os.tmpdir(), 'kr-kc-'));
    cli = await bundleCli(path.join(tmp, 'app'));
  }, 60_000);

  afterAll(async () => {
    await rm(tmp, { recursive: true, force: true });
  });

  /** A fresh HOME (and workspace) per test; only PATH, HOME and NODE_PATH (keytar is external to the bundle). */
  async function freshHome(name: string): Promise<{ home: string; env: NodeJS.ProcessEnv }> {
    const home = path.join(tmp, name);
    await mkdir(home);
    return { home, env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: home, LANG: 'C.UTF-8', NODE_PATH: path.join(repoRoot, 'node_modules') } };
  }

  it('remembers a delegation passphrase only once proven, uses it with no prompt and no env, refuses root, reports a stale one, forgets', async () => {
    const { home, env } = await freshHome('h1');
    const driver = path.join(home, 'driver.mjs');
    await writeFile(driver, DRIVER);
    await writeFile(path.join(home, 'good.txt'), `${GOOD}\n`);
    await writeFile(path.join(home, 'new.txt'), `${NEW}\n`);
    await writeFile(path.join(home, 'wrong.txt'), 'not the passphrase\n');
    await writeFile(path.join(home, 'root.txt'), `${ROOT}\n`);
    const script = ['set -e', 'printf %s "$KEYRING_PASSWORD" | gnome-keyring-daemon --unlock --components=secrets >/dev/null', 'node "$DRIVER" "$CLI" "$HOME/ws" "$HOME"'].join('\n');
    let result: RunResult;
    try {
      result = await run('dbus-run-session', ['--', 'sh', '-c', script], { cwd: home, env: { ...env, DRIVER: driver, CLI: cli, KEYRING_PASSWORD: 'keyrite-test-keyring' }, timeoutMs: 90_000 });
    } finally {
      expect(await keyringLeftovers(home), 'processes left running').toEqual([]);
    }
    expect(result.code, result.stderr).toBe(0);
    const lines = result.stdout.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Line & { key?: string; root?: string });
    const ids = lines.find((l) => l.step === 'ids');
    const key = ids?.key ?? '';
    const rootKey = ids?.root ?? '';
    expect(key).toMatch(/^[0-9a-f]{64}$/);
    const at = (name: string): Line => {
      const line = lines.find((l) => l.step === name);
      if (!line) throw new Error(`no step ${name} in ${result.stdout}`);
      return line;
    };
    const status = (name: string): { available: boolean; backend?: string; entries: Array<{ keyId: string; label: string | null; roles: string[] }> } => {
      expect(at(name).code, at(name).stderr).toBe(0);
      return JSON.parse(at(name).stdout) as never;
    };

    expect(status('status-empty')).toMatchObject({ available: true, backend: 'Secret Service (libsecret)', entries: [] });

    // A wrong passphrase is refused by the key file itself, and nothing reaches the keychain.
    expect(at('remember-wrong').code).toBe(2);
    expect(at('remember-wrong').stderr).toMatch(/passphrase/i);
    expect(at('remember-wrong').stderr).toContain('wrong.txt');
    expect(status('status-after-wrong').entries).toEqual([]);

    // Root: refused by policy with the reason, before any passphrase is read.
    expect(at('remember-root').code).toBe(1);
    expect(at('remember-root').stderr).toBe(
      `keyrite: error: the passphrase of key ${rootKey} (root) is never remembered: it is a root key: the offline root's protection stays something the holder knows, never the login keyring\n`,
    );

    expect(at('remember').code, at('remember').stderr).toBe(0);
    expect(at('remember').stdout).toContain(`Remembered the passphrase of targets/releases key ${key} in Secret Service (libsecret)`);
    const remembered = status('status-remembered');
    expect(remembered.entries).toEqual([{ keyId: key, label: null, roles: ['targets/releases'], inInventory: true }]);
    // Listing never shows the secret.
    for (const name of ['status-remembered', 'status-text', 'remember']) expect(at(name).stdout + at(name).stderr).not.toContain(GOOD);
    expect(at('status-text').stdout).toContain(`${key}  targets/releases`);

    // No TTY, no --passphrase-file, no variable: the keychain alone opens the key.
    expect(at('export-from-keychain').code, at('export-from-keychain').stderr).toBe(0);
    expect(at('export-from-keychain').stderr).toBe('');
    // ... and the exported file really carries that passphrase (Notary export keeps it).
    expect(at('import-exported').code, at('import-exported').stderr).toBe(0);
    // The root key has nothing remembered (and may never have): no terminal → a usage error, no hang.
    expect(at('export-root-no-source').code).toBe(2);
    expect(at('export-root-no-source').stderr).toContain('there is no terminal to ask on');

    // A passphrase change carries the remembered passphrase along (it was the old one)...
    expect(at('passwd').code, at('passwd').stderr).toBe(0);
    expect(at('passwd').stdout).toContain('the passphrase remembered in the OS keychain is now the new one');
    expect(at('export-after-passwd').code, at('export-after-passwd').stderr).toBe(0);
    expect(at('export-after-passwd').stderr).toBe('');
    expect(at('import-after-passwd').code, at('import-after-passwd').stderr).toBe(0);
    for (const name of ['passwd', 'export-after-passwd']) expect(at(name).stdout + at(name).stderr).not.toContain(NEW);
    // ...but a change made while the keychain cannot be reached leaves it stale: reported, then the
    // other sources (none here).
    expect(at('passwd-no-keychain').code, at('passwd-no-keychain').stderr).toBe(0);
    expect(at('passwd-no-keychain').stdout).not.toContain('remembered');
    expect(at('export-stale').code).toBe(2);
    expect(at('export-stale').stderr).toContain(`keyrite: warning: the remembered passphrase for ${key} no longer opens it: run keyrite keys forget ${key}\n`);
    expect(at('export-stale').stderr).toContain('there is no terminal to ask on');

    expect(at('forget').code).toBe(0);
    expect(at('forget').stdout).toBe(`Forgot the remembered passphrase of key ${key}\n`);
    expect(at('forget-again').stdout).toBe(`No passphrase was remembered for key ${key}\n`);
    expect(status('status-forgotten').entries).toEqual([]);
  }, 120_000);

  it('without a D-Bus session: keychain reports "unavailable" with the reason (exit 0); remember refuses; commands still work', async () => {
    const { home, env } = await freshHome('h2');
    const ws = path.join(home, 'ws');
    const cliRun = (args: string[], extra: NodeJS.ProcessEnv = {}) => run(process.execPath, [cli, ...args, '--workspace', ws], { cwd: home, env: { ...env, ...extra }, input: '', timeoutMs: 30_000 });

    const status = await cliRun(['keys', 'keychain', '--json']);
    expect(status.code, status.stderr).toBe(0);
    const parsed = JSON.parse(status.stdout) as { available: boolean; reason: string; detail: string; entries: unknown[] };
    expect(parsed).toMatchObject({ available: false, reason: 'no-dbus-session', entries: [] });
    expect(parsed.detail).toMatch(/^no D-Bus session bus/);
    const text = await cliRun(['keys', 'keychain']);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^OS keychain: unavailable: no D-Bus session bus/);

    const gen = await cliRun(['keys', 'generate', '--algorithm', 'ed25519', '--role', 'snapshot', '--gun', 'example.com/app', '--json'], { KEYRITE_PASSPHRASE: GOOD });
    expect(gen.code, gen.stderr).toBe(0);
    const key = (JSON.parse(gen.stdout) as { key: { id: string } }).key.id;
    await writeFile(path.join(home, 'good.txt'), GOOD);
    const remember = await cliRun(['keys', 'remember', key, '--passphrase-file', 'good.txt']);
    expect(remember.code).toBe(2);
    expect(remember.stderr).toMatch(/^keyrite: error: cannot remember a passphrase: the OS keychain is unavailable: no D-Bus session bus/);

    // The lookup is skipped silently: an env passphrase works, and no source is a clean usage error.
    const started = Date.now();
    const noSource = await cliRun(['keys', 'export', key, '--format', 'notary', '-o', 'a.pem']);
    expect(noSource.code).toBe(2);
    expect(noSource.stderr).not.toContain('keychain');
    expect(noSource.stderr).toContain('there is no terminal to ask on');
    expect(Date.now() - started).toBeLessThan(15_000);
    const withEnv = await cliRun(['keys', 'export', key, '--format', 'notary', '-o', 'b.pem'], { KEYRITE_PASSPHRASE: GOOD });
    expect(withEnv.code, withEnv.stderr).toBe(0);
    expect(await keyringLeftovers(home)).toEqual([]);
  }, 60_000);
});

/**
 * `keyrite keys generate --token`, `keys attest --token` and `token list --watch` as real processes
 * (CLI and token host bundled as scripts/build.mjs does) against a fresh SoftHSM2 token per test.
 */
import { spawn } from 'node:child_process';
import { promises as fsp } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { runCli } from '../../electron/cli/cli';
import type { TokenIo } from '../../electron/cli/token-pin';
import { InventoryStore } from '../../electron/core/inventory';
import { bundleCli } from '../support/bundle-cli';
import { run, stopProcess, type RunResult } from '../support/processes';
import { createSoftHsmToken, SOFTHSM_MISSING_REASON, type SoftHsmToken } from '../support/softhsm';

const repoRoot = path.resolve(__dirname, '../..');
if (SOFTHSM_MISSING_REASON) console.warn(`cli-token-generate.spec: skipped, ${SOFTHSM_MISSING_REASON}`);

interface GenerateJson {
  ok: true;
  token: { serial: string; label: string; model: string; manufacturer: string; pinState: string };
  slot: string;
  key: { tokenSerial: string; ckaId: string; curve: string; label: string; spkiSha256: string; keyIds: { notary: string; tuf: string }; publicKeyPem: string };
  attestation: { badge: string; failure: string | null; reason: string; checkedAt: string };
  entry: { id: string; roles: string[]; holder: string | null; gun: string | null; location: Record<string, unknown>; attestation: unknown };
}

interface RefusalJson {
  ok: false;
  error: { name: string; code: string; message: string };
  token: { serial: string; label: string; pinState: string; flags: number } | null;
}

describe('keyrite keys generate --token: usage errors (in process, before any token is touched)', () => {
  const io = (): TokenIo & { err: () => string } => {
    const err: string[] = [];
    return { stdout: () => undefined, stderr: (t) => err.push(t), env: {}, cwd: os.tmpdir(), homedir: '/nonexistent', prompt: null, confirm: null, err: () => err.join('') };
  };

  it('rejects software-key options with --token, unknown slots and curves, and a software key without --algorithm (exit 2)', async () => {
    // Unused module path and workspace: each of these stops during argument checks.
    const base = ['keys', 'generate', '--token', '1234', '--module', '/nonexistent/module.so', '--workspace', '/nonexistent/ws'];
    const withAlgorithm = io();
    expect(await runCli([...base, '--algorithm', 'ed25519'], withAlgorithm)).toBe(2);
    expect(withAlgorithm.err()).toMatch(/--algorithm and --passphrase-file are for software keys/);
    const badSlot = io();
    expect(await runCli([...base, '--slot', 'f9'], badSlot)).toBe(2);
    expect(badSlot.err()).toMatch(/--slot/);
    expect(await runCli([...base, '--curve', 'P-521'], io())).toBe(2);
    const missing = io();
    expect(await runCli(['keys', 'generate', '--role', 'root', '--workspace', '/nonexistent/ws'], missing)).toBe(2);
    expect(missing.err()).toMatch(/give --algorithm and --role for a software key, or --token SERIAL/);
  });
});

describe.skipIf(SOFTHSM_MISSING_REASON !== null)('keyrite keys generate --token / keys attest --token (SoftHSM2, bundled CLI)', () => {
  let appDir: string;
  let cliBundle: string;
  let token: SoftHsmToken;
  let workspace: string;
  beforeAll(async () => {
    appDir = await fsp.mkdtemp(path.join(os.tmpdir(), 'keyrite-cli-tokgen-'));
    cliBundle = await bundleCli(appDir);
  });
  afterAll(async () => {
    await fsp.rm(appDir, { recursive: true, force: true });
  });
  beforeEach(async () => {
    token = await createSoftHsmToken({ label: 'gen-token' });
    workspace = path.join(appDir, 'workspace');
  });
  afterEach(async () => {
    await token.cleanup();
    await fsp.rm(workspace, { recursive: true, force: true });
  });

  /** pkcs11js (and usb) are external to the bundles: found through NODE_PATH, as in the app's node_modules. */
  const env = (extra: Record<string, string> = {}): NodeJS.ProcessEnv => {
    const base: NodeJS.ProcessEnv = { ...token.env, NODE_PATH: path.join(repoRoot, 'node_modules'), ...extra };
    if (!('KEYRITE_PIN' in extra)) delete base['KEYRITE_PIN'];
    return base;
  };
  const keyrite = (args: string[], extra: Record<string, string> = {}): Promise<RunResult> =>
    run(process.execPath, [cliBundle, ...args, '--workspace', workspace], { cwd: repoRoot, env: env(extra) });
  const generate = (args: string[], extra: Record<string, string> = {}): Promise<RunResult> =>
    keyrite(['keys', 'generate', '--token', token.serial, '--module', 'softhsm2', ...args], extra);
  const tokenJson = async (): Promise<{ pinState: string; keys: Array<{ ckaId: string; curve: string }> }> => {
    const listed = await keyrite(['token', 'list', '--module', 'softhsm2', '--json']);
    expect(listed.code).toBe(0);
    const parsed = JSON.parse(listed.stdout) as { tokens: Array<{ serial: string; pinState: string; keys: Array<{ ckaId: string; curve: string }> }> };
    const found = parsed.tokens.find((t) => t.serial === token.serial);
    if (!found) throw new Error(`token ${token.serial} not listed`);
    return found;
  };

  it('generates P-256 in slot 9c with KEYRITE_PIN, records it in the inventory with "no attestation", and lists it', async () => {
    const result = await generate(['--role', 'root', '--holder', 'officer 1', '--label', 'root A'], { KEYRITE_PIN: token.pin });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`Generated P-256 key on token gen-token (serial ${token.serial}), slot 9c (CKA_ID 02)`);
    expect(result.stdout).toContain('attestation:   unverifiable: this token offers no attestation');
    expect(result.stdout).toContain('PIN tries: not reduced');
    expect(result.stdout).not.toContain(token.pin);

    const entries = await InventoryStore.forWorkspace(workspace).list();
    expect(entries).toHaveLength(1);
    const entry = entries[0];
    expect(entry).toMatchObject({
      algorithm: 'ecdsa-p256',
      roles: ['root'],
      holder: 'officer 1',
      label: 'root A',
      origin: 'token',
      location: { kind: 'token', tokenSerial: token.serial, ckaId: '02', tokenLabel: 'gen-token' },
      attestation: { badge: 'unverifiable', failure: 'no-attestation', slotCertificatePem: null, deviceCertificatePem: null },
    });
    expect(result.stdout).toContain(`Notary key ID: ${entry?.keyIds.notary}`);

    expect((await tokenJson()).keys).toEqual([expect.objectContaining({ ckaId: '02', curve: 'P-256' })]);
    const keysList = await keyrite(['keys', 'list']);
    expect(keysList.stdout).toMatch(new RegExp(`unverifiable +token ${token.serial} \\(gen-token\\) CKA_ID 02`));
  });

  it('generates P-384 in slot 9d with --pin-file and prints the --json shape', async () => {
    const pinFile = path.join(token.tokenDir, '..', 'pin.txt');
    await fsp.writeFile(pinFile, `${token.pin}\n`, { mode: 0o600 });
    const result = await generate(['--slot', '9d', '--curve', 'P-384', '--pin-file', pinFile, '--role', 'targets', '--gun', 'example.com/app', '--json']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const json = JSON.parse(result.stdout) as GenerateJson;
    expect(Object.keys(json).sort()).toEqual(['attestation', 'entry', 'key', 'ok', 'slot', 'token']);
    expect(json).toMatchObject({
      ok: true,
      slot: '9d',
      token: { serial: token.serial, label: 'gen-token', pinState: 'ok' },
      key: { tokenSerial: token.serial, ckaId: '03', curve: 'P-384' },
      attestation: { badge: 'unverifiable', failure: 'no-attestation' },
      entry: { roles: ['targets'], gun: 'example.com/app', location: { kind: 'token', ckaId: '03' } },
    });
    expect(json.entry.id).toBe(json.key.keyIds.notary);
    expect(json.key.publicKeyPem).toMatch(/^-----BEGIN PUBLIC KEY-----/);
    expect(json.attestation.checkedAt).toMatch(/^\d{4}-\d{2}-\d{2}T/);
  });

  it('wrong PIN: exit 1 with the PIN state and token flags, nothing generated or recorded; --json refusal shape', async () => {
    const text = await generate([], { KEYRITE_PIN: '000000' });
    expect(text.code).toBe(1);
    expect(text.stdout).toBe('');
    expect(text.stderr).toContain(`keyrite: refused: Wrong PIN for token ${token.serial} (it came from $KEYRITE_PIN).`);
    expect(text.stderr).toMatch(/PIN tries: few left \(the token flags CKF_USER_PIN_COUNT_LOW.*\) \[token flags 0x1[0-9a-f]{4}\]/);
    expect(text.stderr).not.toContain('000000');

    const json = await generate(['--json'], { KEYRITE_PIN: '000001' });
    expect(json.code).toBe(1);
    const refusal = JSON.parse(json.stdout) as RefusalJson;
    expect(refusal).toMatchObject({ ok: false, error: { name: 'PinIncorrectError', code: 'pin-incorrect' }, token: { serial: token.serial, pinState: 'count-low' } });
    expect((refusal.token?.flags ?? 0) & 0x10000).toBe(0x10000);

    expect(await InventoryStore.forWorkspace(workspace).list()).toEqual([]);
    expect((await tokenJson()).keys).toEqual([]);
  });

  it('an occupied slot is refused (exit 1) before any PIN is used, so no PIN try is lost', async () => {
    expect((await generate([], { KEYRITE_PIN: token.pin })).code).toBe(0);
    // A wrong PIN here would lower the count if it were tried: the refusal must come first.
    const again = await generate(['--json'], { KEYRITE_PIN: '999999' });
    expect(again.code).toBe(1);
    expect(JSON.parse(again.stdout)).toMatchObject({ ok: false, error: { code: 'slot-occupied', name: 'TokenRefusedError' } });
    expect(again.stderr).toContain('already holds key');
    expect((await tokenJson()).pinState).toBe('ok');
    expect(await InventoryStore.forWorkspace(workspace).list()).toHaveLength(1);
  });

  it('with no PIN source and no terminal, stops with exit 2 naming --pin-file and KEYRITE_PIN (no default PIN is tried)', async () => {
    const result = await generate([]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/no terminal to ask on: give --pin-file FILE or set KEYRITE_PIN/);
    expect((await tokenJson()).pinState).toBe('ok');
  });

  it('keys attest --token: a SoftHSM key has no attestation (exit 1, unverifiable) and the check is recorded', async () => {
    expect((await generate(['--role', 'root'], { KEYRITE_PIN: token.pin })).code).toBe(0);
    const before = (await InventoryStore.forWorkspace(workspace).list())[0]?.attestation?.checkedAt;
    const attest = await keyrite(['keys', 'attest', '--token', token.serial, '--slot', '9c', '--module', 'softhsm2', '--json']);
    expect(attest.code).toBe(1);
    const json = JSON.parse(attest.stdout) as { slot: string; key: { ckaId: string }; result: { badge: string; failure: string }; inventoryId: string | null };
    expect(json).toMatchObject({ slot: '9c', key: { ckaId: '02' }, result: { badge: 'unverifiable', failure: 'no-attestation' } });
    const entry = (await InventoryStore.forWorkspace(workspace).list())[0];
    expect(json.inventoryId).toBe(entry?.id);
    expect(entry?.attestation?.checkedAt).not.toBe(before);

    const empty = await keyrite(['keys', 'attest', '--token', token.serial, '--slot', '9a', '--module', 'softhsm2']);
    expect(empty.code).toBe(2);
    expect(empty.stderr).toContain('has no key in slot 9a');
  });

  it('token list --watch --json prints the token, then its removal, and stops on SIGINT with exit 0', async () => {
    const child = spawn(process.execPath, [cliBundle, 'token', 'list', '--module', 'softhsm2', '--watch', '--json'], { cwd: repoRoot, env: env(), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      const events = (): Array<{ event: string; token?: { serial: string }; status?: { kind: string } }> =>
        stdout
          .split('\n')
          .filter(Boolean)
          .map((line) => JSON.parse(line) as { event: string; token?: { serial: string }; status?: { kind: string } });
      await expect.poll(() => events().find((e) => e.event === 'present')?.token?.serial, { timeout: 10_000 }).toBe(token.serial);
      await expect.poll(() => events().find((e) => e.event === 'hotplug')?.status?.kind, { timeout: 5_000 }).toMatch(/^(usb-events|polling-only)$/);
      await token.removeToken();
      await expect.poll(() => events().find((e) => e.event === 'detached')?.token?.serial, { timeout: 10_000 }).toBe(token.serial);
      if (child.pid !== undefined) process.kill(child.pid, 'SIGINT');
      expect(await exited).toBe(0);
      expect(stderr).toBe('');
    } finally {
      await stopProcess(child);
    }
  });
});

/**
 * `keyrite keys generate --token` and `keys attest --token` as real processes through the real
 * ykcs11 module against the emulated YubiKey (test/support/piv: emulator ↔ vpcd ↔ private pcscd).
 * A YubiKey generates only with the PIV management key (given, never a default); no PIN is tried.
 * The emulator's attestation chain ends at its own test root, not Yubico's: the CLI reads it from
 * the token and refuses it as untrusted, which proves the read-and-verify path end to end.
 * Each CLI run opens a fresh ykcs11 session (~5 s here): the runs are few and share one card.
 */
import { promises as fsp } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { InventoryStore } from '../../electron/core/inventory';
import { bundleCli } from '../support/bundle-cli';
import { PIV_ENV_MISSING_REASON, startPivEnvironment, type PivEnvironment } from '../support/piv/environment';
import { run, type RunResult } from '../support/processes';

const repoRoot = path.resolve(__dirname, '../..');
const SERIAL = '12345678';
const skipReason = PIV_ENV_MISSING_REASON ? ` (skipped: ${PIV_ENV_MISSING_REASON})` : '';

describe.skipIf(PIV_ENV_MISSING_REASON !== null)(`keyrite keys generate/attest --token on the emulated YubiKey${skipReason}`, () => {
  let appDir: string;
  let cliBundle: string;
  let piv: PivEnvironment;
  let workspace: string;

  beforeAll(async () => {
    appDir = await fsp.mkdtemp(path.join(os.tmpdir(), 'keyrite-cli-ykcs11-'));
    workspace = path.join(appDir, 'workspace');
    cliBundle = await bundleCli(appDir);
    piv = await startPivEnvironment();
  }, 60_000);
  afterAll(async () => {
    await piv?.stop();
    await fsp.rm(appDir, { recursive: true, force: true });
  });

  const keyrite = (args: string[], extra: Record<string, string>): Promise<RunResult> => {
    const env: NodeJS.ProcessEnv = { ...piv.env, NODE_PATH: path.join(repoRoot, 'node_modules'), ...extra };
    for (const name of ['KEYRITE_PIN', 'KEYRITE_MANAGEMENT_KEY']) if (!(name in extra)) delete env[name];
    return run(process.execPath, [cliBundle, ...args, '--module', piv.modulePath, '--workspace', workspace], { cwd: repoRoot, env, timeoutMs: 90_000 });
  };

  it('a wrong management key is refused (exit 1) and nothing is generated; no PIN is tried', async () => {
    const result = await keyrite(['keys', 'generate', '--token', SERIAL, '--json'], { KEYRITE_MANAGEMENT_KEY: '00'.repeat(24) });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`Wrong management key for token ${SERIAL} (it came from $KEYRITE_MANAGEMENT_KEY)`);
    expect(JSON.parse(result.stdout)).toMatchObject({ ok: false, error: { code: 'management-key-incorrect' }, token: { serial: SERIAL } });
    expect(piv.card.keys.size).toBe(0);
    expect(piv.card.pinAttempts).toBe(0);
  }, 90_000);

  it('generates P-256 in 9c with the management key, reads the attestation from the token and records it (test root: untrusted)', async () => {
    const result = await keyrite(['keys', 'generate', '--token', SERIAL, '--role', 'root', '--holder', 'officer 1', '--json'], { KEYRITE_MANAGEMENT_KEY: piv.managementKey });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const json = JSON.parse(result.stdout) as { key: { ckaId: string; curve: string; spkiDer: string }; attestation: { badge: string; failure: string; slotCertificatePem: string | null; deviceCertificatePem: string | null } };
    expect(json.key).toMatchObject({ ckaId: '02', curve: 'P-256' });
    expect(piv.card.keys.get(0x9c)?.publicKey.export({ type: 'spki', format: 'der' }).toString('hex')).toBe(json.key.spkiDer);
    // Read from the token: both certificates present; the chain ends at the emulator's root, not Yubico's.
    expect(json.attestation).toMatchObject({ badge: 'unverifiable', failure: 'untrusted-chain' });
    expect(json.attestation.slotCertificatePem).toMatch(/^-----BEGIN CERTIFICATE-----/);
    expect(json.attestation.deviceCertificatePem).toMatch(/^-----BEGIN CERTIFICATE-----/);
    const [entry] = await InventoryStore.forWorkspace(workspace).list();
    expect(entry).toMatchObject({ roles: ['root'], holder: 'officer 1', location: { kind: 'token', tokenSerial: SERIAL, ckaId: '02' }, attestation: { failure: 'untrusted-chain' } });
    expect(piv.card.pinAttempts).toBe(0);
  }, 90_000);

  it('keys attest --token --slot 9c reads and verifies the attestation again (exit 1: not a Yubico root)', async () => {
    const result = await keyrite(['keys', 'attest', '--token', SERIAL, '--slot', '9c'], {});
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(`Token ${SERIAL} (YubiKey PIV #${SERIAL}), slot 9c`);
    expect(result.stdout).toContain('Failure:      untrusted-chain');
    expect(result.stdout).toMatch(/Recorded on inventory entry [0-9a-f]{64}/);
  }, 90_000);
});

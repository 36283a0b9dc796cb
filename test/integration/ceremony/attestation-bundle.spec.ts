/**
 * Issue 4, signed bundles carry attestation certificates: a TUF init whose root keys include two
 * YubiKey keys (real Yubico attestations from ../shared/fixtures/yubikey-attestation, recorded in
 * the inventory as enrollment would) exports `attestation/<keyid>-slot.der` / `-device.der` for
 * them; `keyrite bundle inspect` lists them and `keyrite bundle verify` checks each chain against
 * the metadata key: attested, unverifiable (no device certificate: not a failure), and a
 * certificate attesting a different key than the metadata's (a failure).
 */
import { createHash, createPublicKey, X509Certificate } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { readBundleFile, verifyBundle } from '../../../electron/core/bundles';
import { InventoryStore, type InventoryRecord } from '../../../electron/core/inventory';
import { expectOk, Workspace } from './support/harness';
import { pullDir } from './support/tuf-client';

const repoRoot = path.resolve(__dirname, '../../..');
const fixtures = path.resolve(repoRoot, '../shared/fixtures/yubikey-attestation/sigstore-2021-06-18');
const HAVE_FIXTURES = existsSync(fixtures);
if (!HAVE_FIXTURES) console.warn(`attestation-bundle.spec: skipped, ${fixtures} is absent`);

const pubkeyPath = (serial: string): string => path.join(fixtures, serial, `${serial}_pubkey.pem`);
const pem = (serial: string, which: 'key' | 'device'): string => readFileSync(path.join(fixtures, serial, `${serial}_${which}_cert.pem`), 'utf8');
const spkiB64 = (serial: string): string => createPublicKey(readFileSync(pubkeyPath(serial))).export({ type: 'spki', format: 'der' }).toString('base64');
const sha = (b64: string): string => createHash('sha256').update(Buffer.from(b64, 'base64')).digest('hex');

/** The inventory entry `keys enroll`/`keys attest` writes for a YubiKey key, with the given certificates. */
function yubikeyRecord(serial: string, certs: { slot: string; device: string | null }): InventoryRecord {
  const publicKey = spkiB64(serial);
  return {
    id: sha(publicKey),
    keyIds: { notary: sha(publicKey), tuf: sha(publicKey) },
    algorithm: 'ecdsa-p256',
    publicKey,
    roles: ['root'],
    gun: null,
    label: `yubikey ${serial}`,
    holder: `holder of ${serial}`,
    location: { kind: 'token', tokenSerial: serial, ckaId: '02', spkiSha256: sha(publicKey), tokenLabel: `YubiKey PIV #${serial}` },
    origin: 'token',
    status: 'active',
    attestation: {
      badge: 'attested-on-device',
      reason: 'fixture',
      failure: null,
      serial: Number(serial),
      firmware: null,
      pinPolicy: null,
      touchPolicy: null,
      formFactor: null,
      slotCertificatePem: certs.slot,
      deviceCertificatePem: certs.device,
      checkedAt: '2026-11-22T00:00:00.000Z',
    },
  };
}

describe.skipIf(!HAVE_FIXTURES)('signed bundles carry and verify attestation certificates', () => {
  let ws: Workspace;
  let request: string;
  let inventory: InventoryStore;
  const k: Record<string, { id: string; tuf: string }> = {};

  beforeAll(async () => {
    ws = await Workspace.create();
    for (const role of ['root', 'targets', 'snapshot', 'timestamp']) k[role] = await ws.generateKey(role);
    inventory = new InventoryStore(path.join(ws.env['KEYRITE_HOME'] as string, 'keys'));
    // 13078778: its own attestation (attested). 14454335: slot certificate only (unverifiable).
    await inventory.upsert(yubikeyRecord('13078778', { slot: pem('13078778', 'key'), device: pem('13078778', 'device') }));
    await inventory.upsert(yubikeyRecord('14454335', { slot: pem('14454335', 'key'), device: null }));
    // A TUF repository to start from: the request of a fresh init.
    request = await ws.writeRequest(await pullDir(ws.path('repo'), new Date('2026-11-22T09:00:00Z')), 'request.bundle');
  }, 60_000);

  afterAll(async () => {
    await ws?.cleanup();
  });

  const init = (out: string): Promise<unknown> =>
    ws
      .cli([
        // A pinned clock: both inits propose the same root v1 bytes (the workspace never signs a
        // role and version over different bytes).
        'ceremony', 'init', '--request', request, '--now', '2026-11-22T10:00:00Z', '--yes', '--out', ws.path(out),
        '--root-key', `file:${k['root']!.id}`, '--root-key', `pubkey:${pubkeyPath('13078778')}`, '--root-key', `pubkey:${pubkeyPath('14454335')}`, '--threshold', '1',
        '--targets-key', `file:${k['targets']!.id}`, '--snapshot-key', `file:${k['snapshot']!.id}`, '--timestamp-key', `file:${k['timestamp']!.id}`,
      ])
      .then((run) => expectOk(run, 'ceremony init'));

  it('writes attestation/<keyid>-slot.der and -device.der for each attested key, listed in the manifest and by bundle inspect', async () => {
    await init('attested.bundle');
    const bundle = await readBundleFile(ws.path('attested.bundle'));
    const keyOf = (serial: string): string => {
      const spki = spkiB64(serial);
      const key = bundle.content.proposal?.keys.find((c) => createPublicKey(c.publicKeyPem).export({ type: 'spki', format: 'der' }).toString('base64') === spki);
      if (!key) throw new Error(`the proposal has no key of YubiKey ${serial}`);
      return key.keyid;
    };
    const [a, b] = [keyOf('13078778'), keyOf('14454335')];
    expect(Object.keys(bundle.content.attestations).sort()).toEqual([`${a}-device`, `${a}-slot`, `${b}-slot`].sort());
    expect(Buffer.from(bundle.content.attestations[`${a}-slot`]!).equals(new X509Certificate(pem('13078778', 'key')).raw)).toBe(true);
    const listed = bundle.manifest.entries.map((e) => e.path);
    for (const name of [`${a}-slot`, `${a}-device`, `${b}-slot`]) expect(listed).toContain(`attestation/${name}.der`);

    const inspect = expectOk(await ws.cli(['bundle', 'inspect', ws.path('attested.bundle')]), 'bundle inspect');
    expect(inspect.stdout).toContain(`attestation  ${a}-slot slot certificate of key ${a.slice(0, 16)}…`);
    expect(inspect.stdout).toContain('YubiKey 13078778');
    expect(inspect.stdout).toContain(`attestation  ${b}-slot`);

    const verify = await ws.cli(['bundle', 'verify', ws.path('attested.bundle'), '--json']);
    expect(verify.code, verify.stderr).toBe(0);
    const checks = (JSON.parse(verify.stdout) as { checks: { code: string; passed: boolean; message: string; entry?: string }[] }).checks.filter((c) => c.code === 'ATTESTATION');
    expect(checks).toHaveLength(2);
    const forKey = (keyid: string) => checks.find((c) => c.entry === `attestation/${keyid}-slot.der`);
    expect(forKey(a)).toMatchObject({ passed: true });
    expect(forKey(a)?.message).toMatch(/attested — generated on YubiKey 13078778/);
    expect(forKey(b)).toMatchObject({ passed: true });
    expect(forKey(b)?.message).toMatch(/unverifiable \(untrusted-chain\)/);
  }, 120_000);

  it('fails bundle verify when a certificate attests another key than the metadata key', async () => {
    // The inventory now (wrongly) holds YubiKey 13078778's attestation for 14454335's key.
    await inventory.upsert(yubikeyRecord('14454335', { slot: pem('13078778', 'key'), device: pem('13078778', 'device') }));
    await init('mismatch.bundle');
    const result = await verifyBundle(readFileSync(ws.path('mismatch.bundle')));
    expect(result.ok).toBe(false);
    const failed = result.checks.filter((c) => !c.passed);
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({ code: 'ATTESTATION' });
    expect(failed[0]?.message).toMatch(/key-mismatch — the attested public key is not the public key of this key/);
    const cli = await ws.cli(['bundle', 'verify', ws.path('mismatch.bundle')]);
    expect(cli.code).toBe(1);
    expect(cli.stderr).toMatch(/FAIL {2}ATTESTATION/);
  }, 120_000);
});

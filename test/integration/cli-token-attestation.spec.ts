/**
 * On-token enrollment and `keys attest --token`'s core with real YubiKey attestation certificates
 * (../shared/fixtures/yubikey-attestation): a token client scripted to hold the fixture key and to
 * return its certificates as the token host's `readAttestation` does (DER hex). The SoftHSM path
 * (no attestation) runs as a real process in cli-token-generate.spec.ts.
 */
import { createHash, createPublicKey, X509Certificate } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { InventoryStore } from '../../electron/core/inventory';
import { enrollOnToken, readTokenAttestation, recordAttestation, type EnrollmentClient, type TokenAttestationCertificates } from '../../electron/core/tokens/token-enrollment';
import type { GenerateKeyRequest } from '../../shared/token/token-backend';
import { tokenKeyIds } from '../../shared/token/key-ids';
import type { TokenKey } from '../../shared/token/types';

const repoRoot = path.resolve(__dirname, '../..');
const fixtures = path.resolve(repoRoot, '../shared/fixtures/yubikey-attestation/sigstore-2021-06-18');
const HAVE_FIXTURES = existsSync(fixtures);
if (!HAVE_FIXTURES) console.warn(`cli-token-attestation.spec: skipped, ${fixtures} is absent`);

/** The fixture YubiKey's key as the token host would list it (slot 9c = CKA_ID 02). */
function fixtureKey(serial: string, tokenSerial = serial): TokenKey {
  const pem = readFileSync(path.join(fixtures, serial, `${serial}_pubkey.pem`), 'utf8');
  const spki = createPublicKey(pem).export({ type: 'spki', format: 'der' });
  const spkiSha256 = createHash('sha256').update(spki).digest('hex');
  const publicKeyPem = createPublicKey(pem).export({ type: 'spki', format: 'pem' }).toString();
  return {
    tokenSerial,
    ckaId: '02',
    label: 'Private key for Digital Signature',
    keyType: 'ec',
    curve: 'P-256',
    spkiDer: spki.toString('hex'),
    publicKeyPem,
    spkiSha256,
    keyIdentity: `${tokenSerial}/02/${spkiSha256}`,
    keyIds: tokenKeyIds('P-256', spki, publicKeyPem, (b) => createHash('sha256').update(b).digest()),
    alwaysAuthenticate: true,
  };
}

const derHex = (file: string): string => Buffer.from(new X509Certificate(readFileSync(file)).raw).toString('hex');

function fixtureCertificates(serial: string): TokenAttestationCertificates {
  return {
    slotCertificate: derHex(path.join(fixtures, serial, `${serial}_key_cert.pem`)),
    deviceCertificate: derHex(path.join(fixtures, serial, `${serial}_device_cert.pem`)),
  };
}

/** A token that "generates" the fixture key and answers readAttestation with `attestation`. */
function scriptedYubiKey(key: TokenKey, attestation: () => Promise<TokenAttestationCertificates>): EnrollmentClient & { requests: GenerateKeyRequest[] } {
  const requests: GenerateKeyRequest[] = [];
  return {
    requests,
    generateKey: (request) => {
      requests.push(request);
      return Promise.resolve(key);
    },
    listKeys: () => Promise.resolve([key]),
    readAttestation: () => attestation(),
  };
}

// The fixture certificates were issued in 2021; evaluate inside their validity.
const AT = new Date('2021-06-18T12:00:00Z');

describe.skipIf(!HAVE_FIXTURES)('on-token enrollment with real YubiKey attestations', () => {
  let dir: string;
  let inventory: InventoryStore;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'keyrite-enroll-'));
    inventory = new InventoryStore(path.join(dir, 'keys'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('generates in 9c (CKA_ID 02), verifies the attestation and records badge, serial, firmware, policies and the chain', async () => {
    const key = fixtureKey('13078778');
    const client = scriptedYubiKey(key, () => Promise.resolve(fixtureCertificates('13078778')));
    const result = await enrollOnToken(
      { client, inventory, now: () => AT },
      { tokenSerial: '13078778', tokenLabel: 'YubiKey PIV #13078778', slot: '9c', curve: 'P-256', roles: ['root'], gun: null, holder: 'officer 1' },
    );
    expect(client.requests).toEqual([{ tokenSerial: '13078778', ckaId: '02', curve: 'P-256', label: 'Keyrite root (9c)' }]);
    expect(result.attestation).toMatchObject({ badge: 'attested-on-device', failure: null, serial: 13078778, checkedAt: AT.toISOString() });
    expect(result.attestation.firmware).toMatch(/^\d+\.\d+\.\d+$/);
    expect(result.attestation.pinPolicy).not.toBeNull();
    expect(result.attestation.touchPolicy).not.toBeNull();
    expect(result.attestation.slotCertificatePem).toMatch(/^-----BEGIN CERTIFICATE-----/);
    expect(result.attestation.deviceCertificatePem).toMatch(/^-----BEGIN CERTIFICATE-----/);
    const [entry] = await inventory.list();
    expect(entry).toMatchObject({ id: key.keyIds.notary, roles: ['root'], holder: 'officer 1', location: { kind: 'token', tokenSerial: '13078778', ckaId: '02' } });
    expect(entry?.attestation).toEqual(result.attestation);
  });

  it('refuses a chain for another key (key-mismatch) and for another YubiKey serial (serial-mismatch)', async () => {
    const mine = fixtureKey('13078778');
    const foreign = await readTokenAttestation(scriptedYubiKey(mine, () => Promise.resolve(fixtureCertificates('14454335'))), mine, { at: AT });
    expect(foreign.result).toMatchObject({ badge: 'unverifiable', failure: 'key-mismatch' });

    const onOtherToken = fixtureKey('13078778', '99999999');
    const wrongSerial = await readTokenAttestation(scriptedYubiKey(onOtherToken, () => Promise.resolve(fixtureCertificates('13078778'))), onOtherToken, { at: AT });
    expect(wrongSerial.result).toMatchObject({ failure: 'serial-mismatch' });
  });

  it('a device certificate without a slot certificate means an imported key; an unreadable attestation still records the key', async () => {
    const key = fixtureKey('14470876');
    const imported = await readTokenAttestation(
      scriptedYubiKey(key, () => Promise.resolve({ slotCertificate: null, deviceCertificate: fixtureCertificates('14470876').deviceCertificate })),
      key,
      { at: AT },
    );
    expect(imported.result).toMatchObject({ badge: 'imported', failure: 'no-attestation' });

    const failing = scriptedYubiKey(key, () => Promise.reject(new Error('CKR_DEVICE_ERROR')));
    const result = await enrollOnToken({ client: failing, inventory, now: () => AT }, { tokenSerial: '14470876', tokenLabel: null, slot: '9a', curve: 'P-256', roles: [], gun: null });
    expect(result.attestation).toMatchObject({ badge: 'unverifiable', failure: 'no-attestation', reason: 'the attestation could not be read from the token: CKR_DEVICE_ERROR' });
    expect((await inventory.list()).map((e) => e.id)).toEqual([key.keyIds.notary]);
  });

  it('keys attest --token records a later check on the existing inventory entry, keeping its duty', async () => {
    const key = fixtureKey('15938765');
    await enrollOnToken(
      { client: scriptedYubiKey(key, () => Promise.resolve({ slotCertificate: null, deviceCertificate: null })), inventory, now: () => AT },
      { tokenSerial: '15938765', tokenLabel: 'yk', slot: '9c', curve: 'P-256', roles: ['targets'], gun: 'example.com/app', holder: 'ops' },
    );
    expect((await inventory.list())[0]?.attestation?.badge).toBe('unverifiable');
    const { record } = await readTokenAttestation(scriptedYubiKey(key, () => Promise.resolve(fixtureCertificates('15938765'))), key, { at: AT });
    const updated = await recordAttestation(inventory, key, record);
    expect(updated).toMatchObject({ roles: ['targets'], gun: 'example.com/app', holder: 'ops', attestation: { badge: 'attested-on-device', serial: 15938765 } });
    expect(await recordAttestation(inventory, fixtureKey('15938791'), record)).toBeNull();
  });
});

import { createHash, createPublicKey, X509Certificate } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';

import { rootEnrollmentDecision, verifyPivAttestation, type AttestationResult } from '../../../../electron/core/attestation/verify-attestation';
import { YUBICO_FINGERPRINTS, yubicoAttestationAnchors } from '../../../../electron/core/attestation/yubico-roots';
import * as pems from '../../../../electron/core/attestation/roots/yubico-pems';
import { syntheticChain, tamperPolicy, type SyntheticChain } from './synthetic-yubico';

const repoRoot = path.resolve(import.meta.dirname, '../../../..');
const fixtures = path.resolve(repoRoot, '../shared/fixtures/yubikey-attestation/sigstore-2021-06-18');
const rootsDir = path.join(repoRoot, 'electron/core/attestation/roots');
if (!existsSync(fixtures)) console.warn(`attestation.spec: real-YubiKey tests skipped, ${fixtures} is absent`);

const failureOf = (r: AttestationResult): string | null => ('failure' in r ? r.failure : null);

describe('bundled Yubico attestation roots', () => {
  it('embeds exactly the reviewed PEM files, pinned by SHA-256, with the 5.7.4+ intermediates chaining to Attestation Root 1', () => {
    expect(pems.YUBICO_PIV_ROOT_CA_263751_PEM).toBe(readFileSync(path.join(rootsDir, 'yubico-piv-root-ca-263751.pem'), 'utf8'));
    expect(pems.YUBICO_ATTESTATION_ROOT_1_PEM).toBe(readFileSync(path.join(rootsDir, 'yubico-attestation-root-1.pem'), 'utf8'));
    expect(pems.YUBICO_ATTESTATION_INTERMEDIATES_PEM).toBe(readFileSync(path.join(rootsDir, 'yubico-attestation-intermediates.pem'), 'utf8'));
    const { roots, intermediates } = yubicoAttestationAnchors();
    const all = [...roots, ...intermediates];
    expect(all.map((c) => c.subject)).toEqual(Object.keys(YUBICO_FINGERPRINTS));
    for (const cert of all) expect(createHash('sha256').update(cert.raw).digest('hex').toUpperCase()).toBe(YUBICO_FINGERPRINTS[cert.subject]);
    for (const root of roots) expect(root.verify(root.publicKey)).toBe(true);
    const root1 = roots.find((r) => r.subject === 'CN=Yubico Attestation Root 1')!;
    const byName = new Map(intermediates.map((c) => [c.subject, c]));
    for (const cert of intermediates) {
      const issuer = cert.issuer === root1.subject ? root1 : byName.get(cert.issuer);
      expect(issuer && cert.verify(issuer.publicKey), cert.subject).toBe(true);
    }
  });
});

describe.skipIf(!existsSync(fixtures))('real YubiKey attestations (Sigstore root ceremony 2021-06-18)', () => {
  const serials = existsSync(fixtures) ? readdirSync(fixtures).sort() : [];
  const load = (serial: string, kind: 'key_cert' | 'device_cert' | 'pubkey') => readFileSync(path.join(fixtures, serial, `${serial}_${kind}.pem`), 'utf8');
  const at = new Date('2026-11-21T00:00:00Z');

  it('verifies all five to the Yubico PIV Root CA with serial, firmware and PIN/touch policy', () => {
    expect(serials).toEqual(['13078778', '14454335', '14470876', '15938765', '15938791']);
    const firmware: Record<string, string> = { '13078778': '5.2.6' };
    for (const serial of serials) {
      const result = verifyPivAttestation({
        slotCertificate: load(serial, 'key_cert'),
        deviceCertificate: load(serial, 'device_cert'),
        publicKey: createPublicKey(load(serial, 'pubkey')),
        expectedSerial: Number(serial),
        at,
      });
      expect(result.badge, `${serial}: ${result.reason}`).toBe('attested-on-device');
      expect(result.details).toMatchObject({
        serial: Number(serial),
        firmware: firmware[serial] ?? '5.2.7',
        pinPolicy: 'always',
        touchPolicy: 'always',
        formFactor: 'usb-c-keychain',
        slot: '9c',
        chain: ['CN=YubiKey PIV Attestation 9c', 'CN=Yubico PIV Attestation', 'CN=Yubico PIV Root CA Serial 263751'],
      });
      expect(rootEnrollmentDecision(result).allowed).toBe(true);
    }
  });

  it('refuses a real attestation for another key, for another serial, or after the certificates expire', () => {
    const [a = '', b = ''] = serials;
    const base = { slotCertificate: load(a, 'key_cert'), deviceCertificate: load(a, 'device_cert'), at };
    expect(failureOf(verifyPivAttestation({ ...base, publicKey: createPublicKey(load(b, 'pubkey')) }))).toBe('key-mismatch');
    expect(failureOf(verifyPivAttestation({ ...base, publicKey: createPublicKey(load(a, 'pubkey')), expectedSerial: Number(b) }))).toBe('serial-mismatch');
    expect(failureOf(verifyPivAttestation({ ...base, publicKey: createPublicKey(load(a, 'pubkey')), at: new Date('2052-05-01T00:00:00Z') }))).toBe('expired');
    // Device certificate of another YubiKey: the slot certificate is not signed by it.
    expect(failureOf(verifyPivAttestation({ ...base, deviceCertificate: load(b, 'device_cert'), publicKey: createPublicKey(load(a, 'pubkey')) }))).toBe('bad-signature');
  });
});

describe('synthetic attestation chains (every failure)', () => {
  let good: SyntheticChain;
  beforeAll(async () => {
    good = await syntheticChain({ serial: 22334455, firmware: [5, 4, 3], pinPolicy: 3, touchPolicy: 3 });
  });

  it('accepts the well-formed synthetic chain against its own root (so each failure below is meaningful)', () => {
    const result = verifyPivAttestation({ slotCertificate: good.slotPem, deviceCertificate: good.devicePem, publicKey: good.publicKeyDer, anchors: good.anchors });
    expect(result.badge).toBe('attested-on-device');
    expect(result.details).toMatchObject({ serial: 22334455, firmware: '5.4.3', pinPolicy: 'always', touchPolicy: 'cached', slot: '9c' });
  });

  it('wrong root: a look-alike "Yubico PIV Root CA Serial 263751" is not the bundled root', () => {
    const result = verifyPivAttestation({ slotCertificate: good.slotPem, deviceCertificate: good.devicePem, publicKey: good.publicKeyDer });
    expect(result.badge).toBe('unverifiable');
    expect(failureOf(result)).toBe('untrusted-chain');
  });

  it('key mismatch: the attested key is not the key on the token', async () => {
    const other = await syntheticChain();
    const result = verifyPivAttestation({ slotCertificate: good.slotPem, deviceCertificate: good.devicePem, publicKey: other.publicKeyDer, anchors: good.anchors });
    expect(failureOf(result)).toBe('key-mismatch');
  });

  it('tampered extension: touch policy rewritten from "cached" to "never" breaks the signature', () => {
    const tampered = tamperPolicy(good.slotDer, 3, 1);
    const result = verifyPivAttestation({ slotCertificate: tampered, deviceCertificate: good.devicePem, publicKey: good.publicKeyDer, anchors: good.anchors });
    expect(result.badge).toBe('unverifiable');
    expect(failureOf(result)).toBe('bad-signature');
  });

  it('expired and not-yet-valid slot certificates', async () => {
    const expired = await syntheticChain({ notBefore: new Date('2020-01-01T00:00:00Z'), notAfter: new Date('2021-01-01T00:00:00Z') });
    const input = { slotCertificate: expired.slotPem, deviceCertificate: expired.devicePem, publicKey: expired.publicKeyDer, anchors: expired.anchors };
    expect(failureOf(verifyPivAttestation(input))).toBe('expired');
    expect(failureOf(verifyPivAttestation({ ...input, at: new Date('2019-06-01T00:00:00Z') }))).toBe('not-yet-valid');
    expect(verifyPivAttestation({ ...input, at: new Date('2020-06-01T00:00:00Z') }).badge).toBe('unverifiable'); // CA certs not yet valid then
  });

  it('builds a 5.7.4-shaped path through a bundled intermediate, and fails without it', async () => {
    const chain = await syntheticChain({ withIntermediate: true });
    const input = { slotCertificate: chain.slotPem, deviceCertificate: chain.devicePem, publicKey: chain.publicKeyDer };
    const ok = verifyPivAttestation({ ...input, anchors: chain.anchors });
    expect(ok.badge).toBe('attested-on-device');
    expect(ok.details?.chain).toEqual(['CN=YubiKey PIV Attestation 9c', 'CN=Yubico PIV Attestation', 'CN=Yubico PIV Attestation B 1', 'CN=Yubico PIV Root CA Serial 263751']);
    expect(failureOf(verifyPivAttestation({ ...input, anchors: { roots: chain.anchors.roots, intermediates: [] } }))).toBe('untrusted-chain');
  });

  it('badges: no attestation → imported; malformed → unverifiable; policy "never" → refused as a root key', async () => {
    expect(verifyPivAttestation({ slotCertificate: null, deviceCertificate: null, publicKey: good.publicKeyDer })).toMatchObject({ badge: 'imported', failure: 'no-attestation' });
    expect(failureOf(verifyPivAttestation({ slotCertificate: 'not a certificate', deviceCertificate: good.devicePem, publicKey: good.publicKeyDer }))).toBe('malformed');
    const never = await syntheticChain({ touchPolicy: 1 });
    const result = verifyPivAttestation({ slotCertificate: never.slotPem, deviceCertificate: never.devicePem, publicKey: never.publicKeyDer, anchors: never.anchors });
    expect(result.badge).toBe('attested-on-device');
    expect(rootEnrollmentDecision(result)).toEqual({ allowed: false, reason: 'touch policy is "never"' });
    expect(rootEnrollmentDecision(verifyPivAttestation({ slotCertificate: good.slotPem, deviceCertificate: good.devicePem, publicKey: good.publicKeyDer })).allowed).toBe(false);
    expect(new X509Certificate(good.slotPem).subject).toBe('CN=YubiKey PIV Attestation 9c');
  });
});

/**
 * The real ykcs11 module (Debian's 2.2.0) through our token host, against the emulated YubiKey 5
 * PIV card (test/support/piv: emulator ↔ vpcd ↔ private pcscd). The card keeps its state across
 * the tests of one describe block, like a real key on the desk: they run in order.
 * PINs are the emulator's test PIN/PUK/management key; no default is ever tried.
 */
import { createPublicKey, verify, X509Certificate } from 'node:crypto';
import { existsSync } from 'node:fs';

import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

import { verifyPivAttestation } from '../../../electron/core/attestation/verify-attestation';
import type { TokenClient } from '../../../electron/core/tokens/token-client';
import { TokenClient as Client } from '../../../electron/core/tokens/token-client';
import {
  DeviceRemovedError,
  FunctionCanceledError,
  NotLoggedInError,
  PinIncorrectError,
  PinLockedError,
  PinRequiredError,
  TokenRequestError,
} from '../../../shared/token/errors';
import type { TokenKey } from '../../../shared/token/types';
import { isSignApdu, PIV_ENV_MISSING_REASON, startPivEnvironment, type PivEnvironment } from '../../support/piv/environment';
import { bundleTokenHost, pinBytes, type TokenHostBundle } from '../../support/softhsm';

const message = new TextEncoder().encode('{"signed":{"_type":"root","version":2}}');
const SERIAL = '12345678';
const OPENSC_MODULE = '/usr/lib/x86_64-linux-gnu/opensc-pkcs11.so';
const skipReason = PIV_ENV_MISSING_REASON ? ` (skipped: ${PIV_ENV_MISSING_REASON})` : '';

describe.skipIf(PIV_ENV_MISSING_REASON !== null)(`ykcs11 against the emulated YubiKey${skipReason}`, () => {
  // OpenSC is an extra client of the same card; only that test needs it.
  const openscMissing = !existsSync(OPENSC_MODULE);
  let bundle: TokenHostBundle;
  let piv: PivEnvironment;
  let client: TokenClient;
  let key: TokenKey;

  beforeAll(async () => {
    bundle = await bundleTokenHost();
    piv = await startPivEnvironment();
    client = new Client({ launch: bundle.launch(piv.env), modulePath: piv.modulePath });
  });

  afterAll(async () => {
    await client?.close();
    await piv?.stop();
    await bundle?.dispose();
  });

  it('lists the token with serial, model, firmware and PIN state, and tries no PIN', async () => {
    expect(await client.listTokens()).toEqual([
      expect.objectContaining({
        serial: SERIAL,
        label: `YubiKey PIV #${SERIAL}`,
        model: 'YubiKey YK5',
        manufacturer: 'Yubico (www.yubico.com)',
        firmware: '5.4.3',
        pinState: 'ok',
        loginRequired: true,
      }),
    ]);
    expect(await client.listKeys(SERIAL)).toEqual([]);
    expect(piv.card.pinAttempts).toBe(0);
  });

  it('refuses key generation without the management key, naming it', async () => {
    await client.login(SERIAL, pinBytes(piv.pin));
    const error = await client.generateKey({ tokenSerial: SERIAL, ckaId: '02', curve: 'P-256', label: 'root' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TokenRequestError);
    expect((error as Error).message).toContain('management key');
    expect(piv.card.keys.size).toBe(0);
    await client.logout(SERIAL);
  });

  it('generates P-256 in slot 9c (CKA_ID 02) and signs in both dialects, verified by node:crypto', async () => {
    await client.login(SERIAL, pinBytes(piv.managementKey), 'so');
    key = await client.generateKey({ tokenSerial: SERIAL, ckaId: '02', curve: 'P-256', label: 'root' });
    await client.logout(SERIAL);
    expect(key).toMatchObject({ tokenSerial: SERIAL, ckaId: '02', curve: 'P-256', alwaysAuthenticate: true });
    // The key the card holds in 9c is the key the token host reported.
    const onCard = piv.card.keys.get(0x9c)?.publicKey.export({ type: 'spki', format: 'der' });
    expect(onCard?.toString('hex')).toBe(key.spkiDer);

    await client.login(SERIAL, pinBytes(piv.pin));
    expect((await client.listKeys(SERIAL)).map((k) => k.keyIdentity)).toEqual([key.keyIdentity]);
    // 9c is PIN-always: without the per-signature PIN nothing is signed.
    await expect(client.sign(key, message, 'notary-v1')).rejects.toBeInstanceOf(PinRequiredError);

    const publicKey = createPublicKey(key.publicKeyPem);
    const pin = pinBytes(piv.pin);
    const notary = await client.sign(key, message, 'notary-v1', pin);
    expect([...pin].every((b) => b === 0)).toBe(true);
    expect(notary.signature).toHaveLength(64);
    expect(verify('sha256', message, { key: publicKey, dsaEncoding: 'ieee-p1363' }, notary.signature)).toBe(true);
    const tuf = await client.sign(key, message, 'tuf-1.0', pinBytes(piv.pin));
    expect(tuf.signature[0]).toBe(0x30);
    expect(verify('sha256', message, { key: publicKey, dsaEncoding: 'der' }, tuf.signature)).toBe(true);
  });

  it('reports a wrong per-signature PIN with the tries left, and the next signature still works', async () => {
    const error = await client.sign(key, message, 'tuf-1.0', pinBytes('999999')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PinIncorrectError);
    expect((error as PinIncorrectError).detail).toMatchObject({ triesLeft: 2, pinState: 'count-low' });
    // The failed context login left no sign operation dangling, and the right PIN resets the counter.
    const { signature } = await client.sign(key, message, 'notary-v1', pinBytes(piv.pin));
    expect(verify('sha256', message, { key: createPublicKey(key.publicKeyPem), dsaEncoding: 'ieee-p1363' }, signature)).toBe(true);
    expect(piv.card.pinTriesLeft).toBe(3);
  });

  it.skipIf(openscMissing)(`lets the OpenSC profile (read and sign) find and use the same key${openscMissing ? ' (skipped: opensc-pkcs11 not installed)' : ''}`, async () => {
    const opensc = new Client({ launch: bundle.launch(piv.env), modulePath: OPENSC_MODULE });
    try {
      const [token] = await opensc.listTokens();
      // OpenSC's PIV driver: no Yubico model or serial (the card has no CHUID), same key under CKA_ID 02.
      expect(token).toMatchObject({ model: 'PKCS#15 emulated', manufacturer: 'piv_II' });
      const serial = token?.serial ?? '';
      const [same] = await opensc.listKeys(serial);
      expect(same).toMatchObject({ ckaId: '02', spkiSha256: key.spkiSha256 });
      await opensc.login(serial, pinBytes(piv.pin));
      const { signature } = await opensc.sign(same as TokenKey, message, 'notary-v1', pinBytes(piv.pin));
      expect(verify('sha256', message, { key: createPublicKey(key.publicKeyPem), dsaEncoding: 'ieee-p1363' }, signature)).toBe(true);
      // OpenSC exposes no attestation objects: "none", not an error.
      expect(await opensc.readAttestation(serial, '02')).toEqual({ slotCertificate: null, deviceCertificate: null });
    } finally {
      await opensc.close();
    }
  });

  it('reads the slot attestation and the F9 device certificate, which chain to the card’s root', async () => {
    const { slotCertificate, deviceCertificate } = await client.readAttestation(SERIAL, '02');
    expect(slotCertificate).not.toBeNull();
    expect(deviceCertificate).not.toBeNull();
    const slot = new X509Certificate(Buffer.from(slotCertificate ?? '', 'hex'));
    const device = new X509Certificate(Buffer.from(deviceCertificate ?? '', 'hex'));
    expect(slot.subject).toBe('CN=YubiKey PIV Attestation 9c');
    expect(slot.publicKey.export({ type: 'spki', format: 'der' }).toString('hex')).toBe(key.spkiDer);
    expect(slot.verify(device.publicKey)).toBe(true);

    const anchors = { roots: [new X509Certificate(piv.attestationRootDer)], intermediates: [] };
    const result = verifyPivAttestation({
      slotCertificate: Buffer.from(slotCertificate ?? '', 'hex'),
      deviceCertificate: Buffer.from(deviceCertificate ?? '', 'hex'),
      publicKey: Buffer.from(key.spkiDer, 'hex'),
      expectedSerial: Number(SERIAL),
      anchors,
    });
    expect(result).toMatchObject({ badge: 'attested-on-device', details: { serial: Number(SERIAL), slot: '9c' } });
    // Against Yubico's real roots the emulator's chain is (rightly) not trusted.
    expect(verifyPivAttestation({ slotCertificate: slot.raw, deviceCertificate: device.raw, publicKey: Buffer.from(key.spkiDer, 'hex') }).badge).toBe('unverifiable');
    // A slot without a key has no attestation.
    expect(await client.readAttestation(SERIAL, '03')).toEqual({ slotCertificate: null, deviceCertificate: deviceCertificate });
  });

  it('counts PIN retries from the token flags: wrong PIN → tries left, right PIN resets the counter', async () => {
    await client.logout(SERIAL);
    const first = await client.login(SERIAL, pinBytes('000000')).catch((e: unknown) => e);
    expect(first).toBeInstanceOf(PinIncorrectError);
    expect((first as PinIncorrectError).detail).toMatchObject({ ckr: '0xa0', pinState: 'count-low', triesLeft: 2 });
    expect((first as Error).message).toContain('2 tries left');
    expect((await client.listTokens())[0]?.pinState).toBe('count-low');

    const second = await client.login(SERIAL, pinBytes('000001')).catch((e: unknown) => e);
    expect((second as PinIncorrectError).detail).toMatchObject({ pinState: 'final-try', triesLeft: 1 });
    expect((second as Error).message).toContain('next wrong PIN locks');
    expect(piv.card.pinTriesLeft).toBe(1);

    expect((await client.login(SERIAL, pinBytes(piv.pin))).pinState).toBe('ok');
    expect(piv.card.pinTriesLeft).toBe(3);
    expect((await client.listTokens())[0]?.pinState).toBe('ok');
  });

  it('fails a signature whose card is pulled mid-operation with DeviceRemovedError and no output; works again after replugging', async () => {
    piv.removeCardOnApdu(isSignApdu);
    const error = await client.sign(key, message, 'tuf-1.0', pinBytes(piv.pin)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DeviceRemovedError);
    expect((error as Error).message).toMatch(/removed|disappeared/);
    expect((error as Error).message).toContain('nothing was produced');
    expect(piv.connection.present).toBe(false);
    // pcscd notices the empty reader on its next presence poll (~0.4 s), as with a real unplug.
    await vi.waitFor(async () => expect(await client.listTokens()).toEqual([]), { timeout: 5_000, interval: 100 });

    await piv.insertCard();
    await vi.waitFor(async () => expect((await client.listTokens()).map((t) => t.serial)).toEqual([SERIAL]), { timeout: 5_000, interval: 100 });
    const [again] = await client.listKeys(SERIAL);
    expect(again?.keyIdentity).toBe(key.keyIdentity);
    await client.login(SERIAL, pinBytes(piv.pin));
    const { signature } = await client.sign(key, message, 'notary-v1', pinBytes(piv.pin));
    expect(verify('sha256', message, { key: createPublicKey(key.publicKeyPem), dsaEncoding: 'ieee-p1363' }, signature)).toBe(true);
  });
});

describe.skipIf(PIV_ENV_MISSING_REASON !== null)(`ykcs11 PIN lockout and other slots${skipReason}`, () => {
  let bundle: TokenHostBundle;
  let piv: PivEnvironment;
  let client: TokenClient;

  beforeAll(async () => {
    bundle = await bundleTokenHost();
    piv = await startPivEnvironment({ serial: 23456789 });
    client = new Client({ launch: bundle.launch(piv.env), modulePath: piv.modulePath });
  });

  afterAll(async () => {
    await client?.close();
    await piv?.stop();
    await bundle?.dispose();
  });

  let key: TokenKey;

  it('generates P-384 in a retired slot (82, CKA_ID 05) and signs over SHA-384 without a per-signature PIN', async () => {
    await client.login('23456789', pinBytes(piv.managementKey), 'so');
    key = await client.generateKey({ tokenSerial: '23456789', ckaId: '05', curve: 'P-384', label: 'targets' });
    await client.logout('23456789');
    expect(key).toMatchObject({ ckaId: '05', curve: 'P-384', alwaysAuthenticate: false });
    expect(piv.card.keys.get(0x82)?.curve).toBe('P-384');
    await client.login('23456789', pinBytes(piv.pin));
    const { signature } = await client.sign(key, message, 'notary-v1');
    expect(signature).toHaveLength(96);
    expect(verify('sha384', message, { key: createPublicKey(key.publicKeyPem), dsaEncoding: 'ieee-p1363' }, signature)).toBe(true);
  });

  it('waits for the touch of a touch-policy "always" key, then signs', async () => {
    piv.card.setTouchPolicy(0x82, 'always');
    await client.login('23456789', pinBytes(piv.pin));
    const signing = client.sign(key, message, 'tuf-1.0');
    await piv.card.touchSensor.whenPending();
    piv.card.touchSensor.touch();
    const { signature } = await signing;
    expect(verify('sha384', message, { key: createPublicKey(key.publicKeyPem), dsaEncoding: 'der' }, signature)).toBe(true);
  });

  it('reports a touch that never came as NotLoggedInError ("touch did not happen") with no output', async () => {
    piv.card.touchSensor.timeoutMs = 300;
    const error = await client.sign(key, message, 'tuf-1.0').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NotLoggedInError);
    expect((error as Error).message).toContain('touch did not happen');
  });

  it('cancels a signature waiting for a touch (FunctionCanceledError, host restarted), and the next call works', async () => {
    piv.card.touchSensor.timeoutMs = 1_000;
    const pid = client.hostPid;
    const signing = client.sign(key, message, 'tuf-1.0').catch((e: unknown) => e);
    await piv.card.touchSensor.whenPending();
    expect(client.cancel()).toBe(true);
    expect(await signing).toBeInstanceOf(FunctionCanceledError);
    // The card gives up on the touch by itself; a fresh host then finds it again and signs (touch now off).
    piv.card.setTouchPolicy(0x82, 'never');
    await vi.waitFor(async () => expect((await client.listTokens()).map((t) => t.serial)).toEqual(['23456789']), { timeout: 5_000, interval: 100 });
    expect(client.hostPid).not.toBe(pid);
    await client.login('23456789', pinBytes(piv.pin));
    const { signature } = await client.sign(key, message, 'notary-v1');
    expect(verify('sha384', message, { key: createPublicKey(key.publicKeyPem), dsaEncoding: 'ieee-p1363' }, signature)).toBe(true);
    await client.logout('23456789');
  });

  it('locks the PIN after three wrong PINs, names the unblock path, and then refuses the right PIN too', async () => {
    const wrong = async (pin: string): Promise<unknown> => client.login('23456789', pinBytes(pin)).catch((e: unknown) => e);
    expect(await wrong('000000')).toBeInstanceOf(PinIncorrectError);
    expect(await wrong('000001')).toBeInstanceOf(PinIncorrectError);
    const third = await wrong('000002');
    expect(third).toBeInstanceOf(PinLockedError);
    expect((third as PinLockedError).detail).toMatchObject({ pinState: 'locked', triesLeft: 0 });
    expect((third as Error).message).toContain('ykman piv access unblock-pin');
    expect(piv.card.pinTriesLeft).toBe(0);
    expect((await client.listTokens())[0]?.pinState).toBe('locked');

    const right = await wrong(piv.pin);
    expect(right).toBeInstanceOf(PinLockedError);
    expect((right as Error).message).toMatch(/PUK|unblock/);
    // Keyrite never reached for the PUK: it was not tried.
    expect(piv.card.pukTriesLeft).toBe(3);
  });
});

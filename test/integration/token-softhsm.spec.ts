/**
 * The token host and PKCS#11 backend against real SoftHSM2 (fresh token directory per test):
 * listing, PIN state, on-token key generation, signing in both dialects, removal.
 */
import { createHash, createPublicKey, verify } from 'node:crypto';

import { describe, expect, it } from 'vitest';

import type { TokenClient } from '../../electron/core/tokens/token-client';
import {
  KeyNotFoundError,
  NotLoggedInError,
  PinIncorrectError,
  PinRequiredError,
  TokenNotPresentError,
  TokenRequestError,
} from '../../shared/token/errors';
import { describeWithSoftHsm, pinBytes, useSoftHsmTokenHost, type SoftHsmToken } from '../support/softhsm-suite';

const message = new TextEncoder().encode('{"signed":{"_type":"root","version":1}}');

describeWithSoftHsm('token host on SoftHSM2', () => {
  let token: SoftHsmToken;
  let client: TokenClient;
  useSoftHsmTokenHost({ label: 'keyrite-root' }, (bed) => ({ token, client } = bed));

  describe('#listTokens', () => {
    it('lists the token with serial, label, model and PIN state', async () => {
      const tokens = await client.listTokens();
      expect(tokens).toEqual([
        expect.objectContaining({
          serial: token.serial,
          label: 'keyrite-root',
          model: 'SoftHSM v2',
          manufacturer: 'SoftHSM project',
          firmware: '2.6',
          pinState: 'ok',
          loginRequired: true,
          protectedAuthPath: false,
        }),
      ]);
    });
  });

  describe('#login', () => {
    it('reports a wrong PIN as PinIncorrectError with the PIN state the token now shows', async () => {
      const error = await client.login(token.serial, pinBytes('000000')).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(PinIncorrectError);
      // SoftHSM 2.6 sets CKF_USER_PIN_COUNT_LOW after a wrong PIN but never locks (hardware.md §3).
      expect((error as PinIncorrectError).detail).toMatchObject({ pinState: 'count-low', ckr: '0xa0', tokenSerial: token.serial });
      expect((error as Error).message).toContain('few PIN tries left');
      expect((await client.listTokens())[0]?.pinState).toBe('count-low');

      const ok = await client.login(token.serial, pinBytes(token.pin));
      expect(ok.pinState).toBe('ok');
    });

    it('wipes the caller PIN buffer once it has been sent', async () => {
      const pin = pinBytes(token.pin);
      await client.login(token.serial, pin);
      expect([...pin].every((b) => b === 0)).toBe(true);
    });
  });

  describe('#generateKey and #sign', () => {
    it('generates P-256 on the token and signs in both dialects, verified by node:crypto', async () => {
      await client.login(token.serial, pinBytes(token.pin));
      const key = await client.generateKey({ tokenSerial: token.serial, ckaId: '02', curve: 'P-256', label: 'root' });
      expect(key).toMatchObject({ tokenSerial: token.serial, ckaId: '02', curve: 'P-256', label: 'root', alwaysAuthenticate: false });
      expect(key.keyIdentity).toBe(`${token.serial}/02/${key.spkiSha256}`);
      expect(await client.listKeys(token.serial)).toEqual([key]);
      // Key IDs, recomputed by hand: both objects are already in canonical (sorted, compact) form.
      const sha256Hex = (text: string): string => createHash('sha256').update(text).digest('hex');
      const spkiB64 = Buffer.from(key.spkiDer, 'hex').toString('base64');
      expect(key.keyIds.notary).toBe(sha256Hex(`{"keytype":"ecdsa","keyval":{"private":null,"public":"${spkiB64}"}}`));
      // OLPC canonical JSON escapes only `"` and `\\`: the PEM's newlines stay raw.
      expect(key.keyIds.tuf).toBe(sha256Hex(`{"keytype":"ecdsa","keyval":{"public":"${key.publicKeyPem}"},"scheme":"ecdsa-sha2-nistp256"}`));

      const publicKey = createPublicKey(key.publicKeyPem);
      expect(publicKey.asymmetricKeyDetails?.namedCurve).toBe('prime256v1');

      const notary = await client.sign(key, message, 'notary-v1');
      expect(notary.signature).toHaveLength(64);
      expect(verify('sha256', message, { key: publicKey, dsaEncoding: 'ieee-p1363' }, notary.signature)).toBe(true);

      const tuf = await client.sign(key, message, 'tuf-1.0');
      expect(tuf.signature[0]).toBe(0x30);
      expect(verify('sha256', message, { key: publicKey, dsaEncoding: 'der' }, tuf.signature)).toBe(true);
      expect(verify('sha256', new TextEncoder().encode('other'), publicKey, tuf.signature)).toBe(false);
    });

    it('generates P-384 on request and signs over SHA-384', async () => {
      await client.login(token.serial, pinBytes(token.pin));
      const key = await client.generateKey({ tokenSerial: token.serial, ckaId: '03', curve: 'P-384', label: 'targets' });
      const { signature } = await client.sign(key, message, 'notary-v1');
      expect(signature).toHaveLength(96);
      expect(verify('sha384', message, { key: createPublicKey(key.publicKeyPem), dsaEncoding: 'ieee-p1363' }, signature)).toBe(true);
    });

    it('refuses to generate over an existing CKA_ID', async () => {
      await client.login(token.serial, pinBytes(token.pin));
      await client.generateKey({ tokenSerial: token.serial, ckaId: '02', curve: 'P-256', label: 'root' });
      await expect(client.generateKey({ tokenSerial: token.serial, ckaId: '02', curve: 'P-256', label: 'again' })).rejects.toBeInstanceOf(TokenRequestError);
      expect(await client.listKeys(token.serial)).toHaveLength(1);
    });

    it('asks for a login before signing, and refuses a key whose public-key hash differs', async () => {
      await client.login(token.serial, pinBytes(token.pin));
      const key = await client.generateKey({ tokenSerial: token.serial, ckaId: '02', curve: 'P-256', label: 'root' });
      await client.logout(token.serial);
      await expect(client.sign(key, message, 'tuf-1.0')).rejects.toBeInstanceOf(NotLoggedInError);

      await client.login(token.serial, pinBytes(token.pin));
      const impostor = { ...key, spkiSha256: '00'.repeat(32) };
      await expect(client.sign(impostor, message, 'tuf-1.0')).rejects.toBeInstanceOf(KeyNotFoundError);
    });
  });

  describe('when the key has CKA_ALWAYS_AUTHENTICATE', () => {
    it('needs the PIN per signature (context-specific login) and wipes it', async () => {
      await client.login(token.serial, pinBytes(token.pin));
      const key = await client.generateKey({ tokenSerial: token.serial, ckaId: '02', curve: 'P-256', label: 'root', alwaysAuthenticate: true });
      expect(key.alwaysAuthenticate).toBe(true);

      await expect(client.sign(key, message, 'tuf-1.0')).rejects.toBeInstanceOf(PinRequiredError);
      await expect(client.sign(key, message, 'tuf-1.0', pinBytes('999999'))).rejects.toBeInstanceOf(PinIncorrectError);

      const pin = pinBytes(token.pin);
      const { signature } = await client.sign(key, message, 'tuf-1.0', pin);
      expect(verify('sha256', message, createPublicKey(key.publicKeyPem), signature)).toBe(true);
      expect([...pin].every((b) => b === 0)).toBe(true);
      // The failed context login did not leave a dangling sign operation behind.
      expect((await client.sign(key, message, 'notary-v1', pinBytes(token.pin))).signature).toHaveLength(64);
    });
  });

  describe('when the token is removed between calls', () => {
    it('reports TokenNotPresentError and no longer lists it', async () => {
      await client.login(token.serial, pinBytes(token.pin));
      const key = await client.generateKey({ tokenSerial: token.serial, ckaId: '02', curve: 'P-256', label: 'root' });
      await token.removeToken();

      const error = await client.sign(key, message, 'notary-v1').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(TokenNotPresentError);
      expect((error as Error).message).toContain(token.serial);
      expect(await client.listTokens()).toEqual([]);
      await expect(client.listKeys(token.serial)).rejects.toBeInstanceOf(TokenNotPresentError);
    });
  });
});

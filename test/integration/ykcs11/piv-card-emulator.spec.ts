/**
 * The PIV card emulator itself, APDU by APDU (no pcscd needed, so this runs everywhere): the
 * behaviours the ykcs11 tests rely on are pinned here against the PIV/YubiKey rules.
 */
import { createCipheriv, createDecipheriv, createHash, createPublicKey, randomBytes, verify, X509Certificate } from 'node:crypto';

import { beforeEach, describe, expect, it } from 'vitest';

import { AttestationAuthority } from '../../support/piv/attestation-ca';
import { PivCard } from '../../support/piv/piv-card';
import { encodeLength, findTlv, tlv } from '../../support/piv/tlv';

const PIN = '271828';
const PUK = '31415926';
const MGM = '8f3a61c25be04d7791aa0c3e5d26b48f17e9c0a3b2d45e6f';

function apdu(ins: number, p1: number, p2: number, data: Buffer = Buffer.alloc(0), cla = 0): Buffer {
  return Buffer.concat([Buffer.from([cla, ins, p1, p2]), data.length > 0 ? Buffer.from([data.length]) : Buffer.alloc(0), data]);
}

const sw = (response: Buffer): number => response.readUInt16BE(response.length - 2);
const body = (response: Buffer): Buffer => response.subarray(0, response.length - 2);
const pinBlock = (pin: string): Buffer => Buffer.concat([Buffer.from(pin), Buffer.alloc(8 - pin.length, 0xff)]);

async function authenticateManagement(card: PivCard, keyHex: string): Promise<number> {
  const key = Buffer.from(keyHex, 'hex');
  const witness = findTlv(findTlv(body(await card.transmit(apdu(0x87, 0x03, 0x9b, Buffer.from('7c028000', 'hex')))), 0x7c) ?? Buffer.alloc(0), 0x80);
  const decipher = createDecipheriv('des-ede3', key, null).setAutoPadding(false);
  const plain = Buffer.concat([decipher.update(witness ?? Buffer.alloc(8)), decipher.final()]);
  const challenge = randomBytes(8);
  const response = await card.transmit(apdu(0x87, 0x03, 0x9b, tlv(0x7c, Buffer.concat([tlv(0x80, plain), tlv(0x81, challenge)]))));
  if (sw(response) !== 0x9000) return sw(response);
  const cipher = createCipheriv('des-ede3', key, null).setAutoPadding(false);
  const expected = Buffer.concat([cipher.update(challenge), cipher.final()]);
  expect(findTlv(findTlv(body(response), 0x7c) ?? Buffer.alloc(0), 0x82)).toEqual(expected);
  return 0x9000;
}

async function generateP256(card: PivCard, slot: number): Promise<Buffer> {
  const response = await card.transmit(apdu(0x47, 0x00, slot, tlv(0xac, tlv(0x80, Buffer.from([0x11])))));
  expect(sw(response)).toBe(0x9000);
  return findTlv(findTlv(body(response), 0x7f49) ?? Buffer.alloc(0), 0x86) ?? Buffer.alloc(0);
}

describe('PIV card emulator', () => {
  let authority: AttestationAuthority;
  let card: PivCard;

  beforeEach(async () => {
    authority ??= await AttestationAuthority.create({ firmware: [5, 4, 3] });
    card = new PivCard({ pin: PIN, puk: PUK, managementKey: MGM, serial: 12345678, attestation: authority });
  });

  it('answers SELECT, GET VERSION and GET SERIAL like a YubiKey 5.4.3', async () => {
    expect(sw(await card.transmit(apdu(0xa4, 0x04, 0x00, Buffer.from('a000000308', 'hex'))))).toBe(0x9000);
    expect(body(await card.transmit(apdu(0xfd, 0, 0))).toString('hex')).toBe('050403');
    expect(body(await card.transmit(apdu(0xf8, 0, 0))).readUInt32BE(0)).toBe(12345678);
    expect(sw(await card.transmit(apdu(0xa4, 0x04, 0x00, Buffer.from('a0000005272101', 'hex'))))).toBe(0x6a82);
  });

  it('counts PIN tries (63C2, 63C1, 63C0), then blocks even the right PIN (6983) until the PUK resets it', async () => {
    expect(sw(await card.transmit(apdu(0x20, 0x00, 0x80)))).toBe(0x63c3);
    expect(sw(await card.transmit(apdu(0x20, 0x00, 0x80, pinBlock('000000'))))).toBe(0x63c2);
    expect(sw(await card.transmit(apdu(0x20, 0x00, 0x80, pinBlock('000001'))))).toBe(0x63c1);
    expect(sw(await card.transmit(apdu(0x20, 0x00, 0x80, pinBlock('000002'))))).toBe(0x63c0);
    expect(sw(await card.transmit(apdu(0x20, 0x00, 0x80, pinBlock(PIN))))).toBe(0x6983);
    expect(sw(await card.transmit(apdu(0x20, 0x00, 0x80)))).toBe(0x6983);
    expect(sw(await card.transmit(apdu(0x2c, 0x00, 0x80, Buffer.concat([pinBlock(PUK), pinBlock('654321')]))))).toBe(0x9000);
    expect(sw(await card.transmit(apdu(0x20, 0x00, 0x80, pinBlock('654321'))))).toBe(0x9000);
    expect(sw(await card.transmit(apdu(0x20, 0x00, 0x80)))).toBe(0x9000);
  });

  it('generates only after management-key authentication, and the wrong key gets 6982', async () => {
    expect(sw(await card.transmit(apdu(0x47, 0x00, 0x9c, tlv(0xac, tlv(0x80, Buffer.from([0x11]))))))).toBe(0x6982);
    expect(await authenticateManagement(card, '010203040506070801020304050607080102030405060708')).toBe(0x6982);
    expect(await authenticateManagement(card, MGM)).toBe(0x9000);
    const point = await generateP256(card, 0x9c);
    expect(point).toHaveLength(65);
    expect(card.keys.get(0x9c)?.origin).toBe('generated');
  });

  it('signs a digest with ECDSA only after VERIFY, and slot 9c needs a VERIFY before every signature', async () => {
    await authenticateManagement(card, MGM);
    const point = await generateP256(card, 0x9c);
    const publicKey = createPublicKey({ key: { kty: 'EC', crv: 'P-256', x: point.subarray(1, 33).toString('base64url'), y: point.subarray(33).toString('base64url') }, format: 'jwk' });
    const message = Buffer.from('root.json');
    const sign = (): Promise<Buffer> =>
      card.transmit(apdu(0x87, 0x11, 0x9c, tlv(0x7c, Buffer.concat([Buffer.from([0x82, 0x00]), tlv(0x81, createHash('sha256').update(message).digest())]))));
    expect(sw(await sign())).toBe(0x6982);
    expect(sw(await card.transmit(apdu(0x20, 0x00, 0x80, pinBlock(PIN))))).toBe(0x9000);
    const signed = await sign();
    expect(sw(signed)).toBe(0x9000);
    const der = findTlv(findTlv(body(signed), 0x7c) ?? Buffer.alloc(0), 0x82) ?? Buffer.alloc(0);
    expect(verify('sha256', message, { key: publicKey, dsaEncoding: 'der' }, der)).toBe(true);
    expect(sw(await sign())).toBe(0x6982); // PIN "always": the grant was used up
  });

  it('takes long objects with command chaining and returns them in 256-byte pieces announced by 61xx', async () => {
    await authenticateManagement(card, MGM);
    const value = randomBytes(700);
    const put = Buffer.concat([tlv(0x5c, Buffer.from('5fc10d', 'hex')), Buffer.from([0x53]), encodeLength(value.length), value]);
    for (let offset = 0; offset < put.length; offset += 255) {
      const last = offset + 255 >= put.length;
      expect(sw(await card.transmit(apdu(0xdb, 0x3f, 0xff, put.subarray(offset, offset + 255), last ? 0x00 : 0x10)))).toBe(0x9000);
    }
    let response = await card.transmit(apdu(0xcb, 0x3f, 0xff, tlv(0x5c, Buffer.from('5fc10d', 'hex'))));
    const parts = [body(response)];
    while (sw(response) >> 8 === 0x61) {
      expect(body(response)).toHaveLength(256);
      response = await card.transmit(apdu(0xc0, 0, 0));
      parts.push(body(response));
    }
    expect(sw(response)).toBe(0x9000);
    expect(findTlv(Buffer.concat(parts), 0x53)).toEqual(value);
    expect(sw(await card.transmit(apdu(0xcb, 0x3f, 0xff, tlv(0x5c, Buffer.from('5fc10e', 'hex')))))).toBe(0x6a82);
  });

  it('attests generated keys (F9) under its device certificate, and has nothing to attest in an empty slot', async () => {
    expect(sw(await card.transmit(apdu(0xf9, 0x9a, 0x00)))).toBe(0x6a88);
    await authenticateManagement(card, MGM);
    await generateP256(card, 0x9a);
    let response = await card.transmit(apdu(0xf9, 0x9a, 0x00));
    const parts = [body(response)];
    while (sw(response) >> 8 === 0x61) parts.push(body((response = await card.transmit(apdu(0xc0, 0, 0)))));
    const attestation = new X509Certificate(Buffer.concat(parts));
    const device = new X509Certificate(authority.deviceCertDer);
    expect(attestation.subject).toBe('CN=YubiKey PIV Attestation 9a');
    expect(attestation.verify(device.publicKey)).toBe(true);
    expect(device.verify(new X509Certificate(authority.rootDer).publicKey)).toBe(true);
    // The F9 device certificate is stored like on a real card, in object 5FFF01 (tag 70).
    const stored = body(await card.transmit(apdu(0xcb, 0x3f, 0xff, tlv(0x5c, Buffer.from('5fff01', 'hex')))));
    expect(stored.length).toBeGreaterThan(0);
  });
});

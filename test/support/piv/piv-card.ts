/**
 * A YubiKey-like PIV applet (firmware 5.4.3), just enough for ykcs11 2.2 and OpenSC: SELECT, GET
 * VERSION (FD), GET SERIAL (F8), VERIFY with a 3-try counter (63Cx, then 6983), RESET RETRY with
 * the PUK, 3DES management-key authentication, GENERATE ASYMMETRIC (P-256/P-384), GENERAL
 * AUTHENTICATE (ECDSA over the host's digest; slot 9c needs a VERIFY before every signature, like
 * PIN policy "always"), GET/PUT DATA with command chaining and 61xx, and ATTEST (F9).
 * It answers to APDUs only; the vpcd transport and "unplugging" live in vpcd-card-server.ts.
 */
import { createCipheriv, createDecipheriv, generateKeyPairSync, randomBytes, timingSafeEqual, type KeyObject } from 'node:crypto';

import type { AttestationAuthority } from './attestation-ca';
import { ALGORITHM_OF, ALGORITHMS, DEFAULT_PIN_POLICY, KEY_SLOTS, padPin, PIV_AID, SW, type Reply } from './piv-protocol';
import { rawToDer, signDigest, type PivCurve } from './raw-ecdsa';
import { TouchSensor } from './touch-sensor';
import { findTlv, tlv } from './tlv';

export interface PivKey {
  curve: PivCurve;
  privateKey: KeyObject;
  publicKey: KeyObject;
  origin: 'generated' | 'imported';
  pinPolicy: number;
  touchPolicy: number;
}

export interface PivCardOptions {
  /** The user PIN (6–8 characters). Tests must never use the factory default. */
  pin: string;
  puk: string;
  /** 3DES management key as 48 hex digits. */
  managementKey: string;
  serial: number;
  firmware?: readonly [number, number, number];
  pinRetries?: number;
  attestation: AttestationAuthority;
}

export class PivCard {
  readonly serial: number;
  readonly firmware: readonly [number, number, number];
  readonly keys = new Map<number, PivKey>();
  /** Data objects by their 3-byte tag as hex (e.g. "5fc10a"); the value is the content of tag 53. */
  readonly objects = new Map<string, Buffer>();
  pinTriesLeft: number;
  readonly pinRetries: number;
  pukTriesLeft = 3;
  /** VERIFY commands that carried a PIN (tests prove no PIN was tried behind the user's back). */
  pinAttempts = 0;
  /** Every APDU INS seen, in order. */
  readonly log: { ins: number; p1: number; p2: number }[] = [];

  private pin: Buffer;
  private readonly puk: Buffer;
  private readonly managementKey: Buffer;
  private pinVerified = false;
  /** One signature in a PIN-always slot per successful VERIFY. */
  private pinAlwaysGrant = false;
  private managementAuthenticated = false;
  private witness: Buffer | null = null;
  private chained: Buffer = Buffer.alloc(0);
  private pending: Buffer = Buffer.alloc(0);
  private pendingSw: number = SW.OK;

  constructor(private readonly options: PivCardOptions) {
    this.serial = options.serial;
    this.firmware = options.firmware ?? [5, 4, 3];
    this.pinRetries = options.pinRetries ?? 3;
    this.pinTriesLeft = this.pinRetries;
    this.pin = padPin(options.pin);
    this.puk = padPin(options.puk);
    this.managementKey = Buffer.from(options.managementKey, 'hex');
    if (this.managementKey.length !== 24) throw new RangeError('the management key must be 24 bytes (48 hex digits)');
    // Real cards ship with the F9 device certificate in object 5FFF01.
    this.objects.set('5fff01', Buffer.concat([tlv(0x70, options.attestation.deviceCertDer), tlv(0x71, Buffer.from([0])), tlv(0xfe, Buffer.alloc(0))]));
  }

  /** The (simulated) touch sensor: tests call `card.touchSensor.touch()`. */
  readonly touchSensor = new TouchSensor();

  /** Sets a slot's touch policy, as `ykman piv keys generate --touch-policy` would (ykcs11 2.2 cannot). */
  setTouchPolicy(slot: number, policy: 'never' | 'always'): void {
    const key = this.keys.get(slot);
    if (!key) throw new Error(`no key in slot ${slot.toString(16)}`);
    key.touchPolicy = policy === 'always' ? 2 : 1;
  }

  /** Power-up or reset: volatile security state is gone, persistent state (keys, PIN counter) stays. */
  reset(): void {
    this.pinVerified = false;
    this.pinAlwaysGrant = false;
    this.managementAuthenticated = false;
    this.witness = null;
    this.chained = Buffer.alloc(0);
    this.pending = Buffer.alloc(0);
  }

  async transmit(apdu: Buffer): Promise<Buffer> {
    if (apdu[1] === 0xc0) return this.nextChunk(); // GET RESPONSE
    const reply = await this.process(apdu).catch((): Reply => ({ data: Buffer.alloc(0), sw: SW.INCORRECT_PARAM }));
    this.pending = reply.data;
    this.pendingSw = reply.sw;
    return this.nextChunk();
  }

  /** Responses longer than 256 bytes go out in pieces, the rest announced with 61xx. */
  private nextChunk(): Buffer {
    const chunk = this.pending.subarray(0, 256);
    this.pending = this.pending.subarray(256);
    const status = this.pending.length > 0 ? 0x6100 | Math.min(this.pending.length, 0xff) : this.pendingSw;
    return Buffer.concat([chunk, Buffer.from([status >> 8, status & 0xff])]);
  }

  private async process(apdu: Buffer): Promise<Reply> {
    if (apdu.length < 4) return { data: Buffer.alloc(0), sw: SW.WRONG_LENGTH };
    const [cla, ins, p1, p2] = [apdu[0] as number, apdu[1] as number, apdu[2] as number, apdu[3] as number];
    this.log.push({ ins, p1, p2 });
    const lc = apdu.length > 5 ? (apdu[4] as number) : 0;
    const body = apdu.subarray(5, 5 + lc);
    // Command chaining (CLA bit 0x10): collect, answer 9000, run the command on the last part.
    if (cla & 0x10) {
      this.chained = Buffer.concat([this.chained, body]);
      return { data: Buffer.alloc(0), sw: SW.OK };
    }
    const data = Buffer.concat([this.chained, body]);
    this.chained = Buffer.alloc(0);
    switch (ins) {
      case 0xa4:
        return this.select(data);
      case 0xfd:
        return { data: Buffer.from(this.firmware), sw: SW.OK };
      case 0xf8:
        return { data: Buffer.from([this.serial >>> 24, (this.serial >>> 16) & 0xff, (this.serial >>> 8) & 0xff, this.serial & 0xff]), sw: SW.OK };
      case 0x20:
        return this.verify(p1, data);
      case 0x2c:
        return this.resetRetry(data);
      case 0xcb:
        return this.getData(data);
      case 0xdb:
        return this.putData(data);
      case 0x87:
        return p2 === 0x9b ? this.authenticateManagement(p1, data) : await this.generalAuthenticate(p1, p2, data);
      case 0x47:
        return this.generate(p2, data);
      case 0xf9:
        return this.attest(p1);
      default:
        // F7 (metadata), FB (reset), FF (set management key)...: like firmware without them.
        return { data: Buffer.alloc(0), sw: SW.INS_NOT_SUPPORTED };
    }
  }

  private select(aid: Buffer): Reply {
    this.reset();
    if (aid.length >= PIV_AID.length && aid.subarray(0, PIV_AID.length).equals(PIV_AID)) {
      // Application property template: AID + coexistent tag allocation authority.
      const apt = tlv(0x61, Buffer.concat([tlv(0x4f, Buffer.from('000010000100', 'hex')), tlv(0x79, tlv(0x4f, PIV_AID))]));
      return { data: apt, sw: SW.OK };
    }
    return { data: Buffer.alloc(0), sw: SW.FILE_NOT_FOUND };
  }

  private verify(p1: number, pin: Buffer): Reply {
    if (p1 === 0xff) {
      this.pinVerified = false;
      this.pinAlwaysGrant = false;
      return { data: Buffer.alloc(0), sw: SW.OK };
    }
    if (pin.length === 0) {
      // Status query: 9000 while verified, else the tries left.
      if (this.pinTriesLeft === 0) return { data: Buffer.alloc(0), sw: SW.AUTH_BLOCKED };
      return { data: Buffer.alloc(0), sw: this.pinVerified ? SW.OK : 0x63c0 | this.pinTriesLeft };
    }
    this.pinAttempts++;
    if (this.pinTriesLeft === 0) return { data: Buffer.alloc(0), sw: SW.AUTH_BLOCKED };
    if (pin.length === 8 && timingSafeEqual(pin, this.pin)) {
      this.pinTriesLeft = this.pinRetries;
      this.pinVerified = true;
      this.pinAlwaysGrant = true;
      return { data: Buffer.alloc(0), sw: SW.OK };
    }
    this.pinTriesLeft--;
    this.pinVerified = false;
    this.pinAlwaysGrant = false;
    // SP 800-73-4: the attempt that exhausts the counter still answers 63C0; later ones 6983.
    return { data: Buffer.alloc(0), sw: 0x63c0 | this.pinTriesLeft };
  }

  private resetRetry(data: Buffer): Reply {
    if (this.pukTriesLeft === 0) return { data: Buffer.alloc(0), sw: SW.AUTH_BLOCKED };
    if (data.length !== 16) return { data: Buffer.alloc(0), sw: SW.WRONG_LENGTH };
    if (!timingSafeEqual(data.subarray(0, 8), this.puk)) {
      this.pukTriesLeft--;
      return { data: Buffer.alloc(0), sw: 0x63c0 | this.pukTriesLeft };
    }
    this.pukTriesLeft = 3;
    this.pin = Buffer.from(data.subarray(8));
    this.pinTriesLeft = this.pinRetries;
    return { data: Buffer.alloc(0), sw: SW.OK };
  }

  private getData(request: Buffer): Reply {
    const tag = findTlv(request, 0x5c);
    if (!tag) return { data: Buffer.alloc(0), sw: SW.INCORRECT_PARAM };
    const value = this.objects.get(tag.toString('hex'));
    if (!value) return { data: Buffer.alloc(0), sw: SW.FILE_NOT_FOUND };
    return { data: tlv(0x53, value), sw: SW.OK };
  }

  private putData(request: Buffer): Reply {
    if (!this.managementAuthenticated) return { data: Buffer.alloc(0), sw: SW.SECURITY_STATUS };
    const tag = findTlv(request, 0x5c);
    const value = findTlv(request, 0x53);
    if (!tag || !value) return { data: Buffer.alloc(0), sw: SW.INCORRECT_PARAM };
    if (value.length === 0) this.objects.delete(tag.toString('hex'));
    else this.objects.set(tag.toString('hex'), Buffer.from(value));
    return { data: Buffer.alloc(0), sw: SW.OK };
  }

  private des(decrypt: boolean, block: Buffer): Buffer {
    const cipher = decrypt ? createDecipheriv('des-ede3', this.managementKey, null) : createCipheriv('des-ede3', this.managementKey, null);
    cipher.setAutoPadding(false);
    return Buffer.concat([cipher.update(block), cipher.final()]);
  }

  /** Mutual 3DES challenge-response with the management key (slot 9B). */
  private authenticateManagement(algorithm: number, request: Buffer): Reply {
    const template = findTlv(request, 0x7c);
    if (algorithm !== 0x03 || !template) return { data: Buffer.alloc(0), sw: SW.INCORRECT_PARAM };
    const witness = findTlv(template, 0x80);
    const challenge = findTlv(template, 0x81);
    if (witness && witness.length === 0) {
      this.witness = randomBytes(8);
      return { data: tlv(0x7c, tlv(0x80, this.des(false, this.witness))), sw: SW.OK };
    }
    if (witness && challenge && this.witness && witness.length === 8 && challenge.length === 8) {
      const expected = this.witness;
      this.witness = null;
      if (!timingSafeEqual(witness, expected)) {
        this.managementAuthenticated = false;
        return { data: Buffer.alloc(0), sw: SW.SECURITY_STATUS };
      }
      this.managementAuthenticated = true;
      return { data: tlv(0x7c, tlv(0x82, this.des(false, challenge))), sw: SW.OK };
    }
    this.witness = null;
    return { data: Buffer.alloc(0), sw: SW.INCORRECT_PARAM };
  }

  private async generalAuthenticate(algorithm: number, slot: number, request: Buffer): Promise<Reply> {
    const key = this.keys.get(slot);
    if (!key) return { data: Buffer.alloc(0), sw: SW.REFERENCE_NOT_FOUND };
    if (ALGORITHM_OF[key.curve] !== algorithm) return { data: Buffer.alloc(0), sw: SW.INCORRECT_PARAM };
    const template = findTlv(request, 0x7c);
    const digest = template ? findTlv(template, 0x81) : null;
    if (!digest) return { data: Buffer.alloc(0), sw: SW.INCORRECT_PARAM };
    const allowed = key.pinPolicy === 1 || (key.pinPolicy === 3 ? this.pinAlwaysGrant : this.pinVerified);
    if (!allowed) return { data: Buffer.alloc(0), sw: SW.SECURITY_STATUS };
    if (key.pinPolicy === 3) this.pinAlwaysGrant = false;
    if (key.touchPolicy === 2 && !(await this.touchSensor.wait())) {
      // A YubiKey whose touch never came answers "security status not satisfied".
      return { data: Buffer.alloc(0), sw: SW.SECURITY_STATUS };
    }
    const signature = rawToDer(signDigest(key.privateKey, key.curve, digest));
    return { data: tlv(0x7c, tlv(0x82, signature)), sw: SW.OK };
  }

  private generate(slot: number, request: Buffer): Reply {
    if (!this.managementAuthenticated) return { data: Buffer.alloc(0), sw: SW.SECURITY_STATUS };
    if (!KEY_SLOTS.includes(slot)) return { data: Buffer.alloc(0), sw: SW.INCORRECT_SLOT };
    const template = findTlv(request, 0xac);
    const algorithm = template ? findTlv(template, 0x80) : null;
    const curve = algorithm?.length === 1 ? ALGORITHMS[algorithm[0] as number] : undefined;
    if (!template || !curve) return { data: Buffer.alloc(0), sw: SW.INCORRECT_PARAM };
    const pinPolicy = findTlv(template, 0xaa)?.[0] ?? DEFAULT_PIN_POLICY(slot);
    const touchPolicy = findTlv(template, 0xab)?.[0] ?? 1;
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: curve });
    this.keys.set(slot, { curve, privateKey, publicKey, origin: 'generated', pinPolicy, touchPolicy });
    const jwk = publicKey.export({ format: 'jwk' });
    const point = Buffer.concat([Buffer.from([4]), Buffer.from(jwk.x ?? '', 'base64url'), Buffer.from(jwk.y ?? '', 'base64url')]);
    return { data: tlv(0x7f49, tlv(0x86, point)), sw: SW.OK };
  }

  private async attest(slot: number): Promise<Reply> {
    const key = this.keys.get(slot);
    if (!key) return { data: Buffer.alloc(0), sw: SW.REFERENCE_NOT_FOUND };
    // Like a YubiKey: only keys generated on the card can be attested.
    if (key.origin !== 'generated') return { data: Buffer.alloc(0), sw: SW.INCORRECT_PARAM };
    const cert = await this.options.attestation.attest(slot, key.publicKey, {
      firmware: this.firmware,
      serial: this.serial,
      pinPolicy: key.pinPolicy,
      touchPolicy: key.touchPolicy,
      formFactor: 0x01,
    });
    return { data: cert, sw: SW.OK };
  }
}

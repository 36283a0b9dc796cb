import { constants, createHash, generateKeyPairSync, sign } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

import { NodeCryptoProvider } from '../../../../electron/core/crypto/node-crypto-provider';
import { isSingleDerElement, certSignatureAlgorithm } from '../../../../electron/core/crypto/der';
import type { KeyMaterial, PublicKeyHandle } from '../../../../shared/tuf/crypto';
import { fixturesDir, haveFixtures, SKIP_REASON } from '../../shared/tuf/support/fixtures';
import { generateNotaryRootKey, generateTufKey, type TestKey } from '../../../support/test-keys';

const crypto = new NodeCryptoProvider();
// RSA key generation is slow on a loaded 2-core CI box: one shared 2048-bit key for the file.
let rsaKey: TestKey | null = null;
const sharedRsa = (): TestKey => (rsaKey ??= generateTufKey('rsa'));
const msg = new TextEncoder().encode('canonical bytes');

function handle(key: KeyMaterial): PublicKeyHandle {
  const r = crypto.importKey(key);
  if (!r.ok) throw new Error(r.message);
  return r.handle;
}

const tuf = (metadata: Record<string, unknown>): KeyMaterial => ({
  keytype: metadata['keytype'] as string,
  scheme: metadata['scheme'] as string,
  public: (metadata['keyval'] as { public: string }).public,
});

describe('NodeCryptoProvider: hashing', () => {
  it('computes sha256 and sha512', () => {
    expect(Buffer.from(crypto.sha256(msg)).toString('hex')).toBe(createHash('sha256').update(msg).digest('hex'));
    expect(Buffer.from(crypto.sha512(msg)).toString('hex')).toBe(createHash('sha512').update(msg).digest('hex'));
  });
});

describe('NodeCryptoProvider: verify', () => {
  it('verifies ed25519, ECDSA P-256/P-384 DER and RSA-PSS TUF keys and refuses a wrong message', () => {
    for (const alg of ['ed25519', 'ecdsa-p256', 'ecdsa-p384', 'rsa'] as const) {
      const key = alg === 'rsa' ? sharedRsa() : generateTufKey(alg);
      const h = handle(tuf(key.metadata));
      const sig = Buffer.from(key.sign(msg), 'hex');
      const method = alg === 'ed25519' ? 'ed25519' : alg === 'rsa' ? 'rsa-pss-sha256-any-salt' : alg === 'ecdsa-p256' ? 'ecdsa-sha256-der' : 'ecdsa-sha384-der';
      expect(crypto.verify(h, method, sig, msg), alg).toBe(true);
      expect(crypto.verify(h, method, sig, new TextEncoder().encode('other')), alg).toBe(false);
      expect(h.info.algorithm).toBe(alg);
    }
  });

  it('keeps ECDSA DER and raw r‖s apart (catalogue #29)', () => {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const pem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
    const h = handle({ keytype: 'ecdsa', scheme: 'ecdsa-sha2-nistp256', public: pem });
    const der = sign('sha256', msg, { key: privateKey, dsaEncoding: 'der' });
    const raw = sign('sha256', msg, { key: privateKey, dsaEncoding: 'ieee-p1363' });
    expect(crypto.verify(h, 'ecdsa-sha256-der', der, msg)).toBe(true);
    expect(crypto.verify(h, 'ecdsa-sha256-raw', raw, msg)).toBe(true);
    expect(crypto.verify(h, 'ecdsa-sha256-der', raw, msg)).toBe(false);
    expect(crypto.verify(h, 'ecdsa-sha256-raw', der, msg)).toBe(false);
    expect(crypto.verify(h, 'ecdsa-sha256-der', Buffer.concat([der, Buffer.from([0])]), msg)).toBe(false);
    expect(crypto.verify(h, 'ecdsa-sha256-raw', Buffer.concat([raw, Buffer.from([0])]), msg)).toBe(false);
  });

  it('returns false, never throws, for wrong methods and junk signatures', () => {
    const ed = handle(tuf(generateTufKey('ed25519').metadata));
    const rsa = handle(tuf(sharedRsa().metadata));
    expect(crypto.verify(ed, 'rsa-pss-sha256', new Uint8Array(64), msg)).toBe(false);
    expect(crypto.verify(ed, 'ed25519', new Uint8Array(3), msg)).toBe(false);
    expect(crypto.verify(rsa, 'rsa-pss-sha256', new Uint8Array(5), msg)).toBe(false);
    expect(crypto.verify(rsa, 'rsa-pkcs1v15-sha256', new Uint8Array(256), msg)).toBe(false);
    expect(crypto.verify({ info: ed.info }, 'ed25519', new Uint8Array(64), msg)).toBe(false);
  });

  it('checks the RSA-PSS salt length like each reference: Notary 32 bytes, TUF any (securesystemslib PSS.AUTO)', () => {
    const key = sharedRsa();
    const h = handle(tuf(key.metadata));
    const salt20 = sign('sha256', msg, { key: key.privateKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 20 });
    expect(crypto.verify(h, 'rsa-pss-sha256-any-salt', salt20, msg)).toBe(true);
    expect(crypto.verify(h, 'rsa-pss-sha256', salt20, msg)).toBe(false);
    const salt32 = Buffer.from(key.sign(msg), 'hex');
    expect(crypto.verify(h, 'rsa-pss-sha256', salt32, msg)).toBe(true);
  });

  it('verifies Notary rsapkcs1v15 (verify-only)', () => {
    const { privateKey, publicKey } = sharedRsa();
    const h = handle({ keytype: 'rsa', scheme: null, public: publicKey.export({ type: 'spki', format: 'der' }).toString('base64') });
    expect(crypto.verify(h, 'rsa-pkcs1v15-sha256', sign('sha256', msg, privateKey), msg)).toBe(true);
  });
});

describe('NodeCryptoProvider: importKey refuses bad keys without crashing (catalogue #28)', () => {
  it('reports RSA below 2048 bits as weak but importable', () => {
    const key = generateTufKey('rsa', { rsaBits: 1024 });
    const h = handle(tuf(key.metadata));
    expect(h.info.bits).toBe(1024);
    expect(h.info.weakReason).toMatch(/1024 bits/);
    expect(handle(tuf(sharedRsa().metadata)).info.weakReason).toBeNull();
  });

  it('refuses an off-curve ECDSA point (hex and DER)', () => {
    const key = generateTufKey('ecdsa-p256');
    const der = key.publicKey.export({ type: 'spki', format: 'der' });
    const bad = Buffer.from(der);
    bad[bad.length - 1] = bad[bad.length - 1]! ^ 1;
    const r1 = crypto.importKey({ keytype: 'ecdsa', scheme: null, public: bad.toString('base64') });
    expect(r1.ok).toBe(false);
    const point = der.subarray(der.length - 65);
    const offCurve = Buffer.from(point);
    offCurve[64] = offCurve[64]! ^ 1;
    const r2 = crypto.importKey({ keytype: 'ecdsa-sha2-nistp256', scheme: 'ecdsa-sha2-nistp256', public: offCurve.toString('hex') });
    expect(r2.ok).toBe(false);
    expect(crypto.importKey({ keytype: 'ecdsa-sha2-nistp256', scheme: 'ecdsa-sha2-nistp256', public: point.toString('hex') }).ok).toBe(true);
  });

  it('refuses trailing bytes after the SPKI DER', () => {
    const der = generateTufKey('ecdsa-p256').publicKey.export({ type: 'spki', format: 'der' });
    const r = crypto.importKey({ keytype: 'ecdsa', scheme: null, public: Buffer.concat([der, Buffer.from([0, 0])]).toString('base64') });
    expect(r).toMatchObject({ ok: false, reason: 'malformed' });
    expect(isSingleDerElement(der)).toBe(true);
  });

  it('refuses small-order ed25519 keys', () => {
    for (const hex of ['01'.padEnd(64, '0'), '0'.repeat(64), 'ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff']) {
      const r = crypto.importKey({ keytype: 'ed25519', scheme: 'ed25519', public: hex });
      expect(r, hex).toMatchObject({ ok: false, reason: 'invalid-point' });
    }
  });

  it.each([
    ['ecdsa', 'ecdsa-sha2-nistp256', '-----BEGIN PUBLIC KEY-----\nnot base64 at all\n-----END PUBLIC KEY-----\n'],
    ['ecdsa', 'ecdsa-sha2-nistp256', '-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE\n-----END PUBLIC KEY-----\n'],
    ['ecdsa', 'ecdsa-sha2-nistp256', 'zz'],
    ['ed25519', 'ed25519', 'abcd'],
    ['ed25519', null, '!!!'],
    ['rsa', null, ''],
    ['ecdsa-x509', null, Buffer.from('-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n').toString('base64')],
    ['ecdsa-x509', null, 'not base64!'],
    ['dsa', 'dsa', 'x'],
  ])('refuses %s/%s %j', (keytype, scheme, pub) => {
    const r = crypto.importKey({ keytype, scheme, public: pub });
    expect(r.ok).toBe(false);
  });

  it('accepts an ed25519 TUF key written as PEM (same identity as hex)', () => {
    const key = generateTufKey('ed25519');
    const pem = key.publicKey.export({ type: 'spki', format: 'pem' }).toString();
    expect(handle({ keytype: 'ed25519', scheme: 'ed25519', public: pem }).info.identity).toBe(handle(tuf(key.metadata)).info.identity);
  });

  it('refuses a keytype that does not match the key', () => {
    const ed = generateTufKey('ed25519');
    const pem = ed.publicKey.export({ type: 'spki', format: 'pem' }).toString();
    expect(crypto.importKey({ keytype: 'ecdsa', scheme: 'ecdsa-sha2-nistp256', public: pem })).toMatchObject({ ok: false, reason: 'algorithm-mismatch' });
  });

  it('gives one identity to the same public key in different encodings (catalogue #5)', () => {
    const key = generateTufKey('ecdsa-p256');
    const pem = handle(tuf(key.metadata));
    const der = key.publicKey.export({ type: 'spki', format: 'der' });
    const hex = handle({ keytype: 'ecdsa-sha2-nistp256', scheme: 'ecdsa-sha2-nistp256', public: der.subarray(der.length - 65).toString('hex') });
    const b64 = handle({ keytype: 'ecdsa', scheme: null, public: der.toString('base64') });
    expect(hex.info.identity).toBe(pem.info.identity);
    expect(b64.info.identity).toBe(pem.info.identity);
  });
});

describe('NodeCryptoProvider: certificates', () => {
  it('reads a generated Notary root certificate', async () => {
    const key = await generateNotaryRootKey('ecdsa-p256', { commonName: 'example.com/app' });
    const h = handle({ keytype: 'ecdsa-x509', scheme: null, public: (key.metadata['keyval'] as { public: string }).public });
    expect(h.info.cert).toMatchObject({ subjectCN: 'example.com/app', issuerCN: 'example.com/app', selfSigned: true, sha1: false, isCA: false });
    expect(h.info.cert!.signatureAlgorithm).toBe('ecdsa-with-SHA256');
    expect(h.info.algorithm).toBe('ecdsa-p256');
  });

  it('detects SHA-1 certificate signatures', async () => {
    const key = await generateNotaryRootKey('rsa', { commonName: 'old', sha1: true });
    const h = handle({ keytype: 'rsa-x509', scheme: null, public: (key.metadata['keyval'] as { public: string }).public });
    expect(h.info.cert!.signatureAlgorithm).toBe('sha1WithRSAEncryption');
    expect(h.info.cert!.sha1).toBe(true);
  });

  it.skipIf(!haveFixtures)(`reads the notary 0.1 trusted certificate ${SKIP_REASON}`, () => {
    const pem = readFileSync(
      path.join(fixturesDir, 'notary-compat/notary0.1/trusted_certificates/docker.com/notary0.1/samplerepo/4ff57dc987163053a12c066f2dd36b1ae6037a92f5416d381fe311a3db1868d8.crt'),
    );
    const h = handle({ keytype: 'ecdsa-x509', scheme: null, public: pem.toString('base64') });
    expect(h.info.cert).toMatchObject({
      subjectCN: 'docker.com/notary0.1/samplerepo',
      notBefore: '2016-02-05T00:58:57.000Z',
      notAfter: '2116-02-05T00:58:57.000Z',
      selfSigned: true,
      serialNumber: '44EDF96699887EA06546FFF20BD18F85',
    });
    const der = Buffer.from(pem.toString().replace(/-----[A-Z ]+-----|\s/g, ''), 'base64');
    expect(certSignatureAlgorithm(der)).toBe('ecdsa-with-SHA256');
  });

  it('refuses text around the PEM certificate', async () => {
    const key = await generateNotaryRootKey('ecdsa-p256', { commonName: 'x' });
    const junk = Buffer.from(`garbage\n${key.certPem!}`).toString('base64');
    expect(crypto.importKey({ keytype: 'ecdsa-x509', scheme: null, public: junk })).toMatchObject({ ok: false, reason: 'bad-certificate' });
  });
});

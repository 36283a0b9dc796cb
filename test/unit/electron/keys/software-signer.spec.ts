import { describe, expect, it } from 'vitest';

import { NodeCryptoProvider } from '../../../../electron/core/crypto/node-crypto-provider';
import { signWithSoftwareKey } from '../../../../electron/core/keys/software-signer';
import { generateSoftwareKey, notaryKeyType, notaryPublicB64, tufKeyObject, type KeyAlgorithm } from '../../../../electron/core/keys/software-keys';
import type { VerifyMethod } from '../../../../shared/tuf/crypto';

const crypto = new NodeCryptoProvider();
const message = new TextEncoder().encode('{"signed":{"_type":"Targets"}}');

const cases: Array<{ algorithm: KeyAlgorithm; notary: [string, VerifyMethod]; tuf: [string, VerifyMethod] }> = [
  { algorithm: 'ecdsa-p256', notary: ['ecdsa', 'ecdsa-sha256-raw'], tuf: ['ecdsa-sha2-nistp256', 'ecdsa-sha256-der'] },
  { algorithm: 'ed25519', notary: ['eddsa', 'ed25519'], tuf: ['ed25519', 'ed25519'] },
  { algorithm: 'rsa', notary: ['rsapss', 'rsa-pss-sha256'], tuf: ['rsassa-pss-sha256', 'rsa-pss-sha256-any-salt'] },
];

describe('software key signatures in both dialects, checked by the metadata engine\'s verifier', () => {
  it.each(cases)('$algorithm', async ({ algorithm, notary, tuf }) => {
    const { privateKey } = await generateSoftwareKey(algorithm);

    const notarySig = signWithSoftwareKey(privateKey, message, 'notary-v1');
    expect(notarySig.method).toBe(notary[0]);
    const notaryKey = crypto.importKey({ keytype: notaryKeyType(algorithm), scheme: null, public: notaryPublicB64(privateKey) });
    if (!notaryKey.ok) throw new Error(notaryKey.message);
    expect(crypto.verify(notaryKey.handle, notary[1], notarySig.signature, message)).toBe(true);
    if (algorithm === 'ecdsa-p256') expect(notarySig.signature).toHaveLength(64); // raw r‖s

    const tufSig = signWithSoftwareKey(privateKey, message, 'tuf-1.0');
    expect(tufSig.method).toBe(tuf[0]);
    const obj = tufKeyObject(privateKey) as { keytype: string; scheme: string; keyval: { public: string } };
    const tufKey = crypto.importKey({ keytype: obj.keytype, scheme: obj.scheme, public: obj.keyval.public });
    if (!tufKey.ok) throw new Error(tufKey.message);
    expect(crypto.verify(tufKey.handle, tuf[1], tufSig.signature, message)).toBe(true);
    expect(crypto.verify(tufKey.handle, tuf[1], tufSig.signature, new TextEncoder().encode('other bytes'))).toBe(false);
  });
});

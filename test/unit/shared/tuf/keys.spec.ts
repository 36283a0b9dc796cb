import { describe, expect, it } from 'vitest';

import { NodeCryptoProvider } from '../../../../electron/core/crypto/node-crypto-provider';
import { computeKeyId, keyIdMatches, notaryCanonicalKeyId } from '../../../../shared/tuf/keys';
import { parseMetadata } from '../../../../shared/tuf/metadata';
import { generateNotaryKey, generateNotaryRootKey, generateTufKey } from '../../../support/test-keys';
import { haveFixtures, jsonFilesUnder, NOTARY_REPOS, notaryMetadataDir, SKIP_REASON, sigstoreRoot } from './support/fixtures';

const crypto = new NodeCryptoProvider();

describe('key IDs', () => {
  it.skipIf(!haveFixtures)(`matches every key in the notary-compat roots and gives the known canonical IDs ${SKIP_REASON}`, () => {
    const expectedCanonical: Record<string, string> = {
      '354e203ba09dbe17807b6a9d191bff887167c06d121e738d849446a9c76c2866': 'f4eaf871a74aa3b3a0ff95cef2455a1e4d461639f5625418e76756fc5c948690',
      '4ff57dc987163053a12c066f2dd36b1ae6037a92f5416d381fe311a3db1868d8': 'd0c623c8e70c70d42a8a8125c44a8598588b3f6e31d5c21a83cbc338dfde8a68',
    };
    let x509 = 0;
    for (const { version, gun } of NOTARY_REPOS) {
      const files = jsonFilesUnder(notaryMetadataDir(version, gun));
      const root = parseMetadata(files.get('root.json')!, { expectedType: 'root' }).signed;
      for (const key of root.keys.values()) {
        expect(keyIdMatches(key, 'notary-v1', crypto), key.keyid).toBe(true);
        const imported = crypto.importKey(key);
        if (!imported.ok) throw new Error(imported.message);
        const canonical = notaryCanonicalKeyId(key, imported.handle, crypto);
        if (key.keytype.endsWith('-x509')) {
          expect(canonical).toBe(expectedCanonical[key.keyid]);
          x509++;
        } else {
          expect(canonical).toBe(key.keyid);
        }
      }
    }
    expect(x509).toBe(2);
  });

  it.skipIf(!haveFixtures)(`finds exactly the sigstore v11 keyid mismatch (root-signing#1431) ${SKIP_REASON}`, () => {
    const mismatches: string[] = [];
    for (let n = 1; n <= 15; n++) {
      const root = parseMetadata(sigstoreRoot(n), { expectedType: 'root' }).signed;
      for (const key of root.keys.values()) {
        if (!keyIdMatches(key, 'tuf-1.0', crypto)) mismatches.push(`${n}:${key.keyid.slice(0, 8)}`);
      }
    }
    expect(mismatches).toEqual(['11:7247f0db']);
  });

  it('hashes the whole TUF key object, extra fields included', () => {
    const plain = generateTufKey('ed25519');
    const withOwner = { ...plain.metadata, 'x-tuf-on-ci-keyowner': '@someone' };
    const a = computeKeyId({ keytype: 'ed25519', public: '', raw: plain.metadata }, 'tuf-1.0', crypto);
    const b = computeKeyId({ keytype: 'ed25519', public: '', raw: withOwner }, 'tuf-1.0', crypto);
    expect(a).toBe(plain.keyid);
    expect(b).not.toBe(a);
  });

  it('computes Notary IDs over {keytype, keyval:{private:null, public}}', () => {
    const key = generateNotaryKey('ecdsa-p256');
    const pub = (key.metadata['keyval'] as { public: string }).public;
    expect(computeKeyId({ keytype: 'ecdsa', public: pub, raw: {} }, 'notary-v1', crypto)).toBe(key.keyid);
  });

  it('derives the canonical ID of a generated x509 root key from its SPKI', async () => {
    const key = await generateNotaryRootKey('ecdsa-p256', { commonName: 'example.com/x' });
    const pub = (key.metadata['keyval'] as { public: string }).public;
    const model = { keyid: key.keyid, keytype: 'ecdsa-x509', scheme: null, public: pub, keyidHashAlgorithms: null, raw: key.metadata };
    const imported = crypto.importKey(model);
    if (!imported.ok) throw new Error(imported.message);
    expect(notaryCanonicalKeyId(model, imported.handle, crypto)).toBe(key.canonicalId);
    expect(key.canonicalId).not.toBe(key.keyid);
  });
});

/**
 * The IDs a token key gets in each dialect, so the UI and ceremonies can match a token key to
 * the keyids in root.json. TUF: sha256 of the canonical key object as securesystemslib writes it
 * (`ecdsa`, `ecdsa-sha2-nistp256|384`, PEM); tools that add fields (tuf-on-ci's
 * `x-tuf-on-ci-keyowner`) get other IDs, which the engine matches by public key instead.
 * Notary: its canonical ID of the plain `ecdsa` key (base64 DER), which also names key files.
 */
import { canonicalize } from '../tuf/canonical-json';
import { toBase64, toHex } from '../tuf/encoding';
import { notaryKeyObject } from '../tuf/keys';
import type { JsonObject } from '../tuf/model';
import type { EcCurve } from './types';

export interface TokenKeyIds {
  tuf: string;
  notary: string;
}

export function tufEcdsaKeyObject(curve: EcCurve, publicKeyPem: string): JsonObject {
  return { keytype: 'ecdsa', scheme: curve === 'P-384' ? 'ecdsa-sha2-nistp384' : 'ecdsa-sha2-nistp256', keyval: { public: publicKeyPem } };
}

export function tokenKeyIds(curve: EcCurve, spkiDer: Uint8Array, publicKeyPem: string, sha256: (bytes: Uint8Array) => Uint8Array): TokenKeyIds {
  return {
    tuf: toHex(sha256(canonicalize(tufEcdsaKeyObject(curve, publicKeyPem)))),
    notary: toHex(sha256(canonicalize(notaryKeyObject('ecdsa', toBase64(spkiDer))))),
  };
}

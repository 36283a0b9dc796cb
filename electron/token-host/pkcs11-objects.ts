/** Object search and attribute reading on an open session (handles are re-found every time). */
import { createHash } from 'node:crypto';

import pkcs11js from 'pkcs11js';
import type { Handle, PKCS11, Template } from 'pkcs11js';

import { curveFromEcParams, ecSpkiFromPoint, spkiToPem, unwrapEcPoint } from '../../shared/token/ec-public-key';
import { tokenKeyIds } from '../../shared/token/key-ids';
import { keyIdentity, type TokenKey } from '../../shared/token/types';
import { toHex } from '../../shared/tuf/encoding';

type Session = Handle;

export function findObjects(p11: PKCS11, session: Session, template: Template): Handle[] {
  p11.C_FindObjectsInit(session, template);
  try {
    const found: Handle[] = [];
    for (;;) {
      const batch = p11.C_FindObjects(session, 32);
      found.push(...batch);
      if (batch.length < 32) return found;
    }
  } finally {
    p11.C_FindObjectsFinal(session);
  }
}

export function ecPublicKeysTemplate(ckaId?: Buffer): Template {
  const template: Template = [
    { type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_PUBLIC_KEY },
    { type: pkcs11js.CKA_KEY_TYPE, value: pkcs11js.CKK_EC },
  ];
  if (ckaId) template.push({ type: pkcs11js.CKA_ID, value: ckaId });
  return template;
}

export function privateKeysTemplate(ckaId: Buffer): Template {
  return [
    { type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_PRIVATE_KEY },
    { type: pkcs11js.CKA_ID, value: ckaId },
  ];
}

function attr(p11: PKCS11, session: Session, handle: Handle, type: number): Buffer | null {
  const [value] = p11.C_GetAttributeValue(session, handle, [{ type }]);
  return Buffer.isBuffer(value?.value) ? value.value : null;
}

/** Reads an EC public-key object into a TokenKey; null for curves Keyrite does not support. */
export function readEcPublicKey(
  p11: PKCS11,
  session: Session,
  handle: Handle,
  tokenSerial: string,
): Omit<TokenKey, 'alwaysAuthenticate'> | null {
  const id = attr(p11, session, handle, pkcs11js.CKA_ID);
  const params = attr(p11, session, handle, pkcs11js.CKA_EC_PARAMS);
  const ecPoint = attr(p11, session, handle, pkcs11js.CKA_EC_POINT);
  const label = attr(p11, session, handle, pkcs11js.CKA_LABEL);
  if (!id || id.length === 0 || !params || !ecPoint) return null;
  const curve = curveFromEcParams(params);
  if (!curve) return null;
  const point = unwrapEcPoint(ecPoint, curve);
  if (!point) return null;
  const spki = ecSpkiFromPoint(point, curve);
  const sha256 = (bytes: Uint8Array): Uint8Array => createHash('sha256').update(bytes).digest();
  const ref = { tokenSerial, ckaId: toHex(id), spkiSha256: toHex(sha256(spki)) };
  const publicKeyPem = spkiToPem(spki);
  return {
    ...ref,
    label: label ? label.toString('utf8').replace(/\0+$/, '') : '',
    keyType: 'ec',
    curve,
    spkiDer: toHex(spki),
    publicKeyPem,
    keyIdentity: keyIdentity(ref),
    keyIds: tokenKeyIds(curve, spki, publicKeyPem, sha256),
  };
}

export function readBoolAttr(p11: PKCS11, session: Session, handle: Handle, type: number): boolean {
  const value = attr(p11, session, handle, type);
  return value !== null && value.length > 0 && value[0] !== 0;
}

/**
 * Attestation certificates as ykcs11 exposes them (hardware.md §1 "Attestation"): for a key, a
 * CKO_CERTIFICATE with the key's CKA_ID labelled "X.509 Certificate for PIV Attestation <slot>"
 * (made with INS F9 when the session opened or the key was generated), next to the slot's own
 * certificate with the same CKA_ID; and the F9 device certificate, CKA_ID 0x19. Both are public
 * objects, readable without a login.
 */
import pkcs11js from 'pkcs11js';
import type { Handle, PKCS11 } from 'pkcs11js';

import { PIV_ATTESTATION_CKA_ID } from '../../shared/token/piv-slots';
import type { AttestationCertificates } from '../../shared/token/types';
import { toHex } from '../../shared/tuf/encoding';
import { findObjects } from './pkcs11-objects';

const ATTESTATION_LABEL = 'X.509 Certificate for PIV Attestation';

function certificates(p11: PKCS11, session: Handle, ckaId: string): { label: string; der: Buffer }[] {
  const handles = findObjects(p11, session, [
    { type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_CERTIFICATE },
    { type: pkcs11js.CKA_ID, value: Buffer.from(ckaId, 'hex') },
  ]);
  return handles.flatMap((handle) => {
    const [label, value] = p11.C_GetAttributeValue(session, handle, [{ type: pkcs11js.CKA_LABEL }, { type: pkcs11js.CKA_VALUE }]);
    const der = value?.value;
    if (!Buffer.isBuffer(der) || der.length === 0) return [];
    return [{ label: Buffer.isBuffer(label?.value) ? label.value.toString('utf8').replace(/\0+$/, '').trim() : '', der }];
  });
}

export function readPivAttestation(p11: PKCS11, session: Handle, ckaId: string): AttestationCertificates {
  const slot = certificates(p11, session, ckaId).find((c) => c.label.startsWith(`${ATTESTATION_LABEL} `));
  const device = certificates(p11, session, PIV_ATTESTATION_CKA_ID).find((c) => c.label === ATTESTATION_LABEL);
  return { slotCertificate: slot ? toHex(slot.der) : null, deviceCertificate: device ? toHex(device.der) : null };
}

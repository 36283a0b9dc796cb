/**
 * attestationChecks (bundle verify): only `<keyid>-slot` entries are checked, each against the
 * key the proposal AND the signed metadata give that keyid; other attestation names are listed
 * by inspect but not judged.
 */
import { X509Certificate } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

import { attestationChecks, readBundle, summarize, writeBundle } from '../../../electron/core/bundles';
import { signedContent } from './support/sample-bundle';

const repoRoot = path.resolve(__dirname, '../../..');
const fixtures = path.resolve(repoRoot, '../shared/fixtures/yubikey-attestation/sigstore-2021-06-18/13078778');
const HAVE_FIXTURES = existsSync(fixtures);
if (!HAVE_FIXTURES) console.warn(`bundle-attestation.spec: skipped, ${fixtures} is absent`);

describe.skipIf(!HAVE_FIXTURES)('bundle attestation checks', () => {
  const der = (file: string): Uint8Array => new Uint8Array(new X509Certificate(readFileSync(path.join(fixtures, file))).raw);

  it('fails an attestation for a keyid neither the proposal nor the metadata use; ignores other names', async () => {
    const content = await signedContent();
    const stranger = 'ab'.repeat(32);
    const bytes = await writeBundle('signed', { ...content, attestations: { ...content.attestations, [`${stranger}-slot`]: der('13078778_key_cert.pem'), [`${stranger}-device`]: der('13078778_device_cert.pem') } });
    const bundle = await readBundle(bytes);
    const checks = attestationChecks(bundle.content);
    expect(checks).toEqual([{ code: 'ATTESTATION', passed: false, message: `${stranger}: an attestation for a key the proposal does not use`, entry: `attestation/${stranger}-slot.der` }]);
    const listed = summarize(bundle).attestations.find((a) => a.name === `${stranger}-slot`);
    expect(listed).toMatchObject({ keyid: stranger, part: 'slot', subject: 'CN=YubiKey PIV Attestation 9c', yubikeySerial: 13078778 });
    expect(summarize(bundle).attestations.find((a) => a.name === 'yubikey-12345678-9c')).toMatchObject({ keyid: null, part: null, subject: null });
  });
});

// Dataset C: a Notary v1 repository written as a notary client cache (`<trustdir>/tuf/<gun>/metadata`),
// readable offline by `notary -d DIR list GUN` and by `keyrite inspect DIR --gun GUN`.
// Notary dialect: `_type` "Root", base64 hashes, `ecdsa-x509` root key (self-signed cert, CN = GUN),
// ECDSA P-256 raw r||s signatures with `method: "ecdsa"`, `targets/releases` plus signer delegations.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { canonical } from './canonical.mjs';
import { notaryKey, p256Key } from './keys.mjs';
import { ByteStream } from './prng.mjs';
import { writeSigned } from './write-signed.mjs';

export const NOTARY_GUN = 'bench.example.com/keyrite/app';
const EXPIRES = '2036-01-01T00:00:00Z';

export class CertificateGenerationError extends Error {
  name = 'CertificateGenerationError';
}

/** A self-signed leaf (CN = GUN, CA:FALSE, EKU codeSigning) as notary's rootCertKey makes, via openssl. */
function selfSignedCert(privateKey, gun) {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'keyrite-bench-cert-'));
  try {
    const keyFile = path.join(tmp, 'key.pem');
    const configFile = path.join(tmp, 'req.cnf');
    writeFileSync(keyFile, privateKey.export({ format: 'pem', type: 'pkcs8' }), { mode: 0o600 });
    writeFileSync(
      configFile,
      ['[req]', 'distinguished_name=dn', 'x509_extensions=ext', 'prompt=no', '[dn]', `CN=${gun}`, '[ext]',
        'basicConstraints=critical,CA:FALSE', 'keyUsage=critical,digitalSignature,keyEncipherment', 'extendedKeyUsage=codeSigning', ''].join('\n'),
    );
    return execFileSync('openssl', ['req', '-new', '-x509', '-config', configFile, '-key', keyFile, '-sha256', '-days', '3650'], { encoding: 'utf8' });
  } catch (error) {
    throw new CertificateGenerationError(`openssl could not create the root certificate: ${error.message}`, { cause: error });
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

const b64 = (bytes, algo) => createHash(algo).update(bytes).digest('base64');
const fileMeta = (bytes) => ({ hashes: { sha256: b64(bytes, 'sha256'), sha512: b64(bytes, 'sha512') }, length: bytes.length });

function signer(seed, label, keytype = 'ecdsa', gun = null) {
  const key = p256Key(seed, label);
  const material = keytype === 'ecdsa-x509' ? Buffer.from(selfSignedCert(key.privateKey, gun)) : key.spki;
  const { json, keyid } = notaryKey(keytype, material);
  return { json, keyid, sign: key.sign };
}

/**
 * `tags` tags, all in `targets/releases`, plus `signers` delegations `targets/signer-NN` each holding a
 * disjoint slice of them (docker trust signs a tag into every signer role you hold a key for).
 */
export function generateNotary(trustDir, seed, tags, signers = 50, gun = NOTARY_GUN) {
  const dir = path.join(trustDir, 'tuf', ...gun.split('/'), 'metadata');
  mkdirSync(path.join(dir, 'targets'), { recursive: true });
  const root = signer(seed, 'notary-root', 'ecdsa-x509', gun);
  const top = { targets: signer(seed, 'notary-targets'), snapshot: signer(seed, 'notary-snapshot'), timestamp: signer(seed, 'notary-timestamp') };
  const delegates = [{ name: 'targets/releases', key: signer(seed, 'notary-releases') }];
  for (let s = 0; s < signers; s++) delegates.push({ name: `targets/signer-${String(s).padStart(2, '0')}`, key: signer(seed, `notary-signer-${s}`) });

  const rnd = new ByteStream(seed, 'notary-tags').bytes(tags * 36);
  const tagEntry = (t) => [`tag-${String(t).padStart(6, '0')}`, { hashes: { sha256: rnd.toString('base64', t * 36, t * 36 + 32) }, length: 500 + (rnd.readUInt32LE(t * 36 + 32) % 100_000) }];
  const targetsDoc = (targets, delegations) => canonical({ _type: 'Targets', delegations, expires: EXPIRES, targets, version: 1 });
  const leaf = { keys: {}, roles: [] };
  const meta = {};

  const all = Array.from({ length: tags }, (_, t) => tagEntry(t));
  const perSigner = Math.ceil(tags / Math.max(1, signers));
  delegates.forEach((d, i) => {
    const slice = i === 0 ? all : all.slice((i - 1) * perSigner, i * perSigner);
    const bytes = writeSigned(path.join(dir, `${d.name}.json`), Buffer.from(targetsDoc(Object.fromEntries(slice), leaf)), [d.key], 'ecdsa');
    meta[d.name] = fileMeta(bytes);
  });

  const delegations = {
    keys: Object.fromEntries(delegates.map((d) => [d.key.keyid, d.key.json])),
    roles: delegates.map((d) => ({ keyids: [d.key.keyid], name: d.name, paths: [''], threshold: 1 })),
  };
  meta.targets = fileMeta(writeSigned(path.join(dir, 'targets.json'), Buffer.from(targetsDoc({}, delegations)), [top.targets], 'ecdsa'));
  const rootDoc = {
    _type: 'Root',
    consistent_snapshot: false,
    expires: EXPIRES,
    keys: Object.fromEntries([root, top.targets, top.snapshot, top.timestamp].map((k) => [k.keyid, k.json])),
    roles: Object.fromEntries(['root', 'snapshot', 'targets', 'timestamp'].map((r) => [r, { keyids: [(r === 'root' ? root : top[r]).keyid], threshold: 1 }])),
    version: 1,
  };
  meta.root = fileMeta(writeSigned(path.join(dir, 'root.json'), Buffer.from(canonical(rootDoc)), [root], 'ecdsa'));
  const snapshot = writeSigned(path.join(dir, 'snapshot.json'), Buffer.from(canonical({ _type: 'Snapshot', expires: EXPIRES, meta, version: 1 })), [top.snapshot], 'ecdsa');
  writeSigned(path.join(dir, 'timestamp.json'), Buffer.from(canonical({ _type: 'Timestamp', expires: EXPIRES, meta: { snapshot: fileMeta(snapshot) }, version: 1 })), [top.timestamp], 'ecdsa');
  return { targets: tags + tags, roles: 4 + delegates.length, gun, metadataDir: dir, bytesOfRoot: readFileSync(path.join(dir, 'root.json')).length };
}

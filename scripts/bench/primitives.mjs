// The primitives perf.md §2/§4 lists, measured on this machine in this run, so the figures of the
// bench can be read against the reference machine's (ed25519 verify 138 µs, SHA-512 ~570 MB/s,
// SHA-256 ~390 MB/s, JSON.parse ~100-113 MB/s).
import { createHash, generateKeyPairSync, randomBytes, sign, verify } from 'node:crypto';

export const REFERENCE = { ed25519VerifyUs: 138, sha512MBps: 570, sha256MBps: 390, jsonParseMBps: 113 };

function perSecond(fn, minMs = 150) {
  let n = 0;
  const start = performance.now();
  let elapsed = 0;
  do {
    fn();
    n++;
    elapsed = performance.now() - start;
  } while (elapsed < minMs);
  return { n, ms: elapsed };
}

export function measurePrimitives() {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const message = randomBytes(256);
  const signature = sign(null, message, privateKey);
  for (let i = 0; i < 200; i++) verify(null, message, publicKey, signature); // warm-up
  const v = perSecond(() => verify(null, message, publicKey, signature));
  const block = randomBytes(8 * 1024 * 1024);
  const mbps = (alg) => {
    const r = perSecond(() => createHash(alg).update(block).digest(), 300);
    return (r.n * block.length) / 1024 / 1024 / (r.ms / 1000);
  };
  const json = JSON.stringify(Array.from({ length: 20_000 }, (_, i) => ({ path: `packages/${i.toString(16).padStart(8, '0')}/pkg-${i}.whl`, hashes: { sha256: 'ab'.repeat(32), sha512: 'cd'.repeat(64) }, length: i })));
  const p = perSecond(() => JSON.parse(json), 300);
  return {
    ed25519VerifyUs: (v.ms * 1000) / v.n,
    sha512MBps: mbps('sha512'),
    sha256MBps: mbps('sha256'),
    jsonParseMBps: (p.n * json.length) / 1024 / 1024 / (p.ms / 1000),
  };
}

export function formatPrimitives(p) {
  const r = REFERENCE;
  return `Machine primitives now (perf.md's machine in brackets): ed25519 verify ${p.ed25519VerifyUs.toFixed(0)} µs [${r.ed25519VerifyUs}], SHA-512 ${p.sha512MBps.toFixed(0)} MB/s [${r.sha512MBps}], SHA-256 ${p.sha256MBps.toFixed(0)} MB/s [${r.sha256MBps}], JSON.parse ${p.jsonParseMBps.toFixed(0)} MB/s [${r.jsonParseMBps}]`;
}

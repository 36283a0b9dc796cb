// The issue's "naive approach" on the same files, as a yardstick for this machine's speed:
// read, JSON.parse, canonicalise `signed` again (a straightforward encoder), node:crypto verify
// with one cached KeyObject per key, threshold per role; delegated roles sharded over worker
// threads (`--threads N`, default 2 when there are many, as perf.md measured: 24 s on 1 thread,
// 14.2 s on 2 workers for B; 1.22 s for A). perf.md's figures were taken on another machine, so
// the bench runs this here, next to Keyrite, and prints the ratio. Prints one JSON line.
import { createPublicKey, verify } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';

import { peakRssKiB } from './rss.mjs';

/** OLPC canonical JSON, the straightforward way (recursive, sort, join). */
function canonical(value) {
  if (value === null || typeof value === 'boolean' || typeof value === 'number') return JSON.stringify(value);
  if (typeof value === 'string') return `"${value.replace(/[\\"]/g, '\\$&')}"`;
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  return `{${Object.keys(value)
    .sort()
    .map((k) => `${canonical(k)}:${canonical(value[k])}`)
    .join(',')}}`;
}

const keyObjects = new Map();
function keyObject(keyid, key) {
  let k = keyObjects.get(keyid);
  if (k === undefined) {
    if (key.keytype !== 'ed25519') throw new Error(`naive verifier: only ed25519 keys (got ${key.keytype})`);
    k = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: Buffer.from(key.keyval.public, 'hex').toString('base64url') }, format: 'jwk' });
    keyObjects.set(keyid, k);
  }
  return k;
}

/** Parses a file and checks `threshold` signatures of `keyids` over its re-canonicalised `signed`. */
function verifyFile(file, keys, keyids, threshold) {
  const bytes = readFileSync(file);
  const doc = JSON.parse(bytes.toString('utf8'));
  const message = Buffer.from(canonical(doc.signed));
  let valid = 0;
  const counted = new Set();
  for (const sig of doc.signatures) {
    if (!keyids.includes(sig.keyid) || counted.has(sig.keyid)) continue;
    if (verify(null, message, keyObject(sig.keyid, keys[sig.keyid]), Buffer.from(sig.sig, 'hex'))) {
      valid++;
      counted.add(sig.keyid);
    }
  }
  if (valid < threshold) throw new Error(`${path.basename(file)}: ${valid} of ${threshold} signatures`);
  return { doc, bytes: bytes.length, sigs: counted.size };
}

function verifyRoles(dir, roles, keys) {
  let bytes = 0;
  let sigs = 0;
  for (const r of roles) {
    const v = verifyFile(path.join(dir, `${r.name}.json`), keys, r.keyids, r.threshold);
    if (v.doc.signed._type !== 'targets') throw new Error(`${r.name}: not a targets role`);
    bytes += v.bytes;
    sigs += v.sigs;
  }
  return { bytes, sigs };
}

if (!isMainThread) {
  const { dir, roles, keys } = workerData;
  parentPort.postMessage(verifyRoles(dir, roles, keys));
} else {
  const dir = process.argv[2];
  const i = process.argv.indexOf('--threads');
  const threadsArg = i < 0 ? null : Number(process.argv[i + 1]);
  const started = performance.now();
  const cpuAtStart = process.cpuUsage();
  const rootDoc = JSON.parse(readFileSync(path.join(dir, 'root.json'), 'utf8'));
  const top = (name) => verifyFile(path.join(dir, `${name}.json`), rootDoc.signed.keys, rootDoc.signed.roles[name].keyids, rootDoc.signed.roles[name].threshold);
  const parts = ['root', 'timestamp', 'snapshot', 'targets'].map(top);
  let bytes = parts.reduce((n, p) => n + p.bytes, 0);
  let sigs = parts.reduce((n, p) => n + p.sigs, 0);
  const targets = parts[3].doc.signed;
  const roles = (targets.delegations?.roles ?? []).map((r) => ({ name: r.name, keyids: r.keyids, threshold: r.threshold }));
  const keys = targets.delegations?.keys ?? {};
  const threads = threadsArg ?? (roles.length >= 256 ? 2 : 1);
  if (threads <= 1) {
    const v = verifyRoles(dir, roles, keys);
    bytes += v.bytes;
    sigs += v.sigs;
  } else {
    const shares = Array.from({ length: threads }, (_, t) => roles.filter((_, k) => k % threads === t));
    const results = await Promise.all(
      shares.map(
        (share) =>
          new Promise((resolve, reject) => {
            const w = new Worker(new URL(import.meta.url), { workerData: { dir, roles: share, keys } });
            w.once('message', resolve);
            w.once('error', reject);
          }),
      ),
    );
    for (const v of results) {
      bytes += v.bytes;
      sigs += v.sigs;
    }
  }
  const wallMs = performance.now() - started;
  const cpu = process.cpuUsage(cpuAtStart);
  process.stdout.write(`${JSON.stringify({ ok: true, wallMs, cpuMs: (cpu.user + cpu.system) / 1000, bytes, roles: 4 + roles.length, signaturesVerified: sigs, threads, peakRssKiB: peakRssKiB() })}\n`);
}

// TUF 1.0 datasets: A (one flat targets role) and B (PEP 458 hash bins), ed25519, written as
// canonical bytes directly (perf.md §3 recipe) so millions of targets take seconds, not hours.
import { copyFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { createHash } from 'node:crypto';

import { canonical } from './canonical.mjs';
import { ed25519Key, sha256hex } from './keys.mjs';
import { ByteStream } from './prng.mjs';
import { writeSigned } from './write-signed.mjs';

export const EXPIRES = '2036-01-01T00:00:00Z';
const SPEC_VERSION = '1.0.31';

/** PyPI-style path for target i: `packages/ab/cd/<60 hex>/pkg_<i>-1.0-py3-none-any.whl`. */
function pathOf(pathBytes, i) {
  const h = pathBytes.toString('hex', i * 32, i * 32 + 32);
  return `packages/${h.slice(0, 2)}/${h.slice(2, 4)}/${h.slice(4)}/pkg_${i}-1.0-py3-none-any.whl`;
}

/** `"path":{"hashes":{"sha256":..,"sha512":..},"length":n}` entries, sorted by path (canonical order). */
function targetsEntries(paths, hashStream) {
  paths.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const rnd = hashStream.bytes(paths.length * 100);
  const parts = new Array(paths.length);
  for (let j = 0; j < paths.length; j++) {
    const o = j * 100;
    const length = 1000 + (rnd.readUInt32LE(o + 96) % 50_000_000);
    parts[j] = `"${paths[j]}":{"hashes":{"sha256":"${rnd.toString('hex', o, o + 32)}","sha512":"${rnd.toString('hex', o + 32, o + 96)}"},"length":${length}}`;
  }
  return parts.join(',');
}

function targetsSigned(entries, delegations, version = 1) {
  const deleg = delegations === null ? '' : `"delegations":${delegations},`;
  return Buffer.from(`{"_type":"targets",${deleg}"expires":"${EXPIRES}","spec_version":"${SPEC_VERSION}","targets":{${entries}},"version":${version}}`);
}

function writeTop(dir, keys, targetsBytes, extraMeta) {
  const root = {
    _type: 'root',
    consistent_snapshot: false,
    expires: EXPIRES,
    keys: Object.fromEntries([keys.root, keys.targets, keys.snapshot, keys.timestamp].map((k) => [k.keyid, k.json])),
    roles: {
      root: { keyids: [keys.root.keyid], threshold: 1 },
      snapshot: { keyids: [keys.snapshot.keyid], threshold: 1 },
      targets: { keyids: [keys.targets.keyid], threshold: 1 },
      timestamp: { keyids: [keys.timestamp.keyid], threshold: 1 },
    },
    spec_version: SPEC_VERSION,
    version: 1,
  };
  writeSigned(path.join(dir, '1.root.json'), Buffer.from(canonical(root)), [keys.root]);
  copyFileSync(path.join(dir, '1.root.json'), path.join(dir, 'root.json'));
  const targetsFile = writeSigned(path.join(dir, 'targets.json'), targetsBytes, [keys.targets]);
  // Snapshot as PEP 458 writes it: versions only (its estimate of 98 KB for 16,384 bins).
  const meta = { 'targets.json': { version: 1 }, ...extraMeta };
  const snapshot = canonical({ _type: 'snapshot', expires: EXPIRES, meta, spec_version: SPEC_VERSION, version: 1 });
  const snapshotFile = writeSigned(path.join(dir, 'snapshot.json'), Buffer.from(snapshot), [keys.snapshot]);
  const timestamp = canonical({
    _type: 'timestamp',
    expires: EXPIRES,
    meta: { 'snapshot.json': { hashes: { sha256: sha256hex(snapshotFile) }, length: snapshotFile.length, version: 1 } },
    spec_version: SPEC_VERSION,
    version: 1,
  });
  writeSigned(path.join(dir, 'timestamp.json'), Buffer.from(timestamp), [keys.timestamp]);
  return targetsFile.length;
}

/** Dataset A: one targets role holding `count` targets. */
export function generateFlat(dir, seed, count) {
  mkdirSync(dir, { recursive: true });
  const keys = { root: ed25519Key(seed, 'root'), targets: ed25519Key(seed, 'targets'), snapshot: ed25519Key(seed, 'snapshot'), timestamp: ed25519Key(seed, 'timestamp') };
  const pathBytes = new ByteStream(seed, 'paths').bytes(count * 32);
  const paths = Array.from({ length: count }, (_, i) => pathOf(pathBytes, i));
  writeTop(dir, keys, targetsSigned(targetsEntries(paths, new ByteStream(seed, 'hashes')), '{"keys":{},"roles":[]}'), {});
  return { targets: count, roles: 4 };
}

/** python-tuf's hashed-bin layout: prefix length, prefixes per bin, role names. */
export function binLayout(nBins) {
  if (!Number.isInteger(Math.log2(nBins)) || nBins < 2 || nBins > 65_536) throw new RangeError(`bins must be a power of two in 2..65536, got ${nBins}`);
  const prefixLen = Math.ceil(Math.log2(nBins) / 4);
  const perBin = 16 ** prefixLen / nBins;
  const hex = (n) => n.toString(16).padStart(prefixLen, '0');
  const width = Math.max(prefixLen, 1);
  return {
    prefixLen,
    perBin,
    name: (k) => `bin-${k.toString(16).padStart(width, '0')}`,
    prefixes: (k) => Array.from({ length: perBin }, (_, j) => hex(k * perBin + j)),
  };
}

/** Dataset B: PEP 458 — targets.json delegates to nBins hash bins signed by one online key. */
export function generateBins(dir, seed, nBins, perBinAvg) {
  mkdirSync(dir, { recursive: true });
  const layout = binLayout(nBins);
  const online = ed25519Key(seed, 'online');
  const keys = { root: ed25519Key(seed, 'root'), targets: ed25519Key(seed, 'targets'), snapshot: online, timestamp: online };
  const count = nBins * perBinAvg;
  const pathBytes = new ByteStream(seed, 'paths').bytes(count * 32);

  // Bin every target by the SHA-256 of its path (as a client would look it up), then counting-sort.
  const binOf = new Uint16Array(count);
  const counts = new Uint32Array(nBins + 1);
  for (let i = 0; i < count; i++) {
    const digest = createHash('sha256').update(pathOf(pathBytes, i)).digest();
    const prefix = parseInt(digest.toString('hex', 0, 2).slice(0, layout.prefixLen), 16);
    const bin = Math.floor(prefix / layout.perBin);
    binOf[i] = bin;
    counts[bin + 1]++;
  }
  for (let k = 0; k < nBins; k++) counts[k + 1] += counts[k];
  const order = new Uint32Array(count);
  const fill = counts.slice(0, nBins);
  for (let i = 0; i < count; i++) order[fill[binOf[i]]++] = i;

  const hashStream = new ByteStream(seed, 'hashes');
  const meta = {};
  for (let k = 0; k < nBins; k++) {
    const paths = [];
    for (let j = counts[k]; j < counts[k + 1]; j++) paths.push(pathOf(pathBytes, order[j]));
    const name = layout.name(k);
    writeSigned(path.join(dir, `${name}.json`), targetsSigned(targetsEntries(paths, hashStream), null), [online]);
    meta[`${name}.json`] = { version: 1 };
  }
  const roles = Array.from({ length: nBins }, (_, k) => ({
    keyids: [online.keyid],
    name: layout.name(k),
    path_hash_prefixes: layout.prefixes(k),
    terminating: false,
    threshold: 1,
  }));
  const delegations = canonical({ keys: { [online.keyid]: online.json }, roles });
  writeTop(dir, keys, targetsSigned('', delegations), meta);
  return { targets: count, roles: 4 + nBins };
}

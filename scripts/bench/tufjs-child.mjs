// Stock tuf-js (@tufjs/models 4.1) verification of a TUF directory, as perf.md §3 measured it:
// read + JSON.parse + Metadata.fromJSON + verifyDelegate for every role. Prints one JSON line.
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';

import { Metadata } from '@tufjs/models';

import { peakRssKiB } from './rss.mjs';

const dir = process.argv[2];
let bytes = 0;
const load = (type, name) => {
  const buf = readFileSync(path.join(dir, `${name}.json`));
  bytes += buf.length;
  return Metadata.fromJSON(type, JSON.parse(buf.toString('utf8')));
};

const started = performance.now();
const cpuAtStart = process.cpuUsage();
const root = load('root', 'root');
root.verifyDelegate('root', root);
const timestamp = load('timestamp', 'timestamp');
root.verifyDelegate('timestamp', timestamp);
const snapshot = load('snapshot', 'snapshot');
root.verifyDelegate('snapshot', snapshot);
const targets = load('targets', 'targets');
root.verifyDelegate('targets', targets);
let roles = 4;
for (const role of targets.signed.delegations?.roles ? Object.values(targets.signed.delegations.roles) : []) {
  const delegated = load('targets', role.name);
  targets.verifyDelegate(role.name, delegated);
  roles++;
}
const wallMs = performance.now() - started;
const cpu = process.cpuUsage(cpuAtStart);
statSync(dir); // the directory still exists (guards against a cache wiped mid-run)
process.stdout.write(`${JSON.stringify({ ok: true, wallMs, cpuMs: (cpu.user + cpu.system) / 1000, bytes, roles, peakRssKiB: peakRssKiB() })}\n`);

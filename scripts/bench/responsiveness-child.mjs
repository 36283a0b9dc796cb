// Main-process responsiveness while a large repository is added: the Electron main's setup
// (createCoreServices with the inspect worker, which spreads bins over nested bin workers), the
// app's path (verify, then save the report and trusted state into a workspace), and, on this
// thread, another service call (`inspection.list()`, the handler behind the `repositories:list`
// IPC channel) issued every 50 ms plus the event loop's delay histogram. Then the app's restart:
// fresh services on the same workspace list the repository and page its first targets.
// Electron itself is not available here; its IPC handlers run on this same kind of event loop.
// Prints one JSON line.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';

import { createCoreServices } from '../../electron/core/index';
import { peakRssKiB } from './rss.mjs';

const [dir, workerPath] = process.argv.slice(2);
const workspaceDir = mkdtempSync(path.join(os.tmpdir(), 'keyrite-bench-resp-'));
const makeServices = () =>
  createCoreServices({ workspaceDir, networkMode: 'offline', inspectWorkerPath: workerPath, clock: () => new Date('2030-01-01T00:00:00Z') });
let services = makeServices();
let histogram = monitorEventLoopDelay({ resolution: 10 });
let roundTrips = [];
let running = true;

async function pinger() {
  while (running) {
    const t = performance.now();
    await services.inspection.list();
    roundTrips.push(performance.now() - t);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const pct = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? null : Math.round(s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] * 10) / 10;
};

async function main() {
  histogram.enable();
  const pings = pinger();
  const started = performance.now();
  const results = await services.inspection.inspectSource({ kind: 'directory', path: dir }, { jobId: randomUUID() });
  const wallMs = performance.now() - started;
  running = false;
  await pings;
  histogram.disable();
  const report = results[0].report;
  const during = {
    calls: roundTrips.length,
    roundTripMs: { p50: pct(roundTrips, 50), p99: pct(roundTrips, 99), max: pct(roundTrips, 100) },
    eventLoopDelayMs: { p50: histogram.percentile(50) / 1e6, p99: histogram.percentile(99) / 1e6, max: histogram.max / 1e6 },
  };
  const restart = await restarted(results[0].id);
  return { ok: true, wallMs, targets: report.targetsTotal ?? report.targets.length, health: report.health, ...during, restart };
}

/** The app started again on the saved workspace: the repository list, then its first targets page. */
async function restarted(id) {
  await services.close();
  services = makeServices();
  histogram = monitorEventLoopDelay({ resolution: 10 });
  histogram.enable();
  let t = performance.now();
  const listed = await services.inspection.list();
  const listMs = performance.now() - t;
  t = performance.now();
  const page = await services.inspection.getTargets(id, 0, 200);
  const firstPageMs = performance.now() - t;
  histogram.disable();
  if (listed.length !== 1 || page.rows.length !== 200) throw new Error(`restart: listed ${listed.length}, page of ${page.rows.length}`);
  return { listMs, firstPageMs, eventLoopDelayMaxMs: histogram.max / 1e6 };
}

main()
  .then(
    (r) => process.stdout.write(`${JSON.stringify({ ...r, peakRssKiB: peakRssKiB() })}\n`),
    (error) => {
      process.stdout.write(`${JSON.stringify({ ok: false, error: `${error.name}: ${error.message}` })}\n`);
      process.exitCode = 1;
    },
  )
  .finally(async () => {
    await services.close();
    rmSync(workspaceDir, { recursive: true, force: true });
  });

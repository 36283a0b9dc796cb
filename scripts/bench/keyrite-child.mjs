// One Keyrite measurement in a fresh process (bundled by run-bench.mjs with the same esbuild
// settings as dist/cli). Default: the exact `keyrite inspect <dir> --no-save` path in-process —
// createCoreServices -> InspectionService.inspectSource -> DefaultSourceLoader -> in-process engine.
// `--direct`: diagnostic only, reads the files itself and calls the engine, bypassing the loader's caps.
// Prints one JSON line on stdout.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { createCoreServices } from '../../electron/core/index';
import { createInspectEngine } from '../../electron/core/inspection/engine';
import { peakRssKiB } from './rss.mjs';

const [dir, ...rest] = process.argv.slice(2);
const flag = (name) => {
  const i = rest.indexOf(name);
  return i < 0 ? undefined : rest[i + 1];
};
const direct = rest.includes('--direct');
// `--reinspect`: inspect once (saved into a temporary workspace), then measure a second inspection
// of the unchanged repository (bins unchanged since a healthy inspection are not verified again).
const reinspect = rest.includes('--reinspect');
const gun = flag('--gun');
const at = new Date(flag('--at') ?? '2030-01-01T00:00:00Z');

let cpuAtStart = process.cpuUsage();
const cpuMs = () => {
  const u = process.cpuUsage(cpuAtStart);
  return (u.user + u.system) / 1000;
};

function summarize(report, wallMs, loadMs) {
  const codes = {};
  for (const f of report.findings) codes[`${f.severity}:${f.code}`] = (codes[`${f.severity}:${f.code}`] ?? 0) + 1;
  return {
    ok: true,
    wallMs,
    cpuMs: cpuMs(),
    loadMs,
    verifyMs: loadMs === null ? null : wallMs - loadMs,
    bytes: report.stats.bytes,
    files: report.stats.files,
    signaturesVerified: report.stats.signaturesVerified,
    skippedUnchanged: report.stats.skippedUnchanged ?? 0,
    engineMs: report.stats.durationMs,
    // Trusted targets in total; the report keeps the first maxTargetRows rows (`rows`).
    targets: report.targetsTotal ?? report.targets.length,
    rows: report.targets.length,
    health: report.health,
    findings: codes,
    dialect: report.dialect,
  };
}

async function viaInspectCommandPath() {
  const workspaceDir = mkdtempSync(path.join(os.tmpdir(), 'keyrite-bench-ws-'));
  let loadedAt = null;
  if (reinspect) {
    const warm = createCoreServices({ workspaceDir, networkMode: 'offline', clock: () => at });
    try {
      await warm.inspection.inspectSource({ kind: 'directory', path: dir, ...(gun ? { gun } : {}) }, { jobId: randomUUID(), save: true });
    } finally {
      await warm.close();
    }
  }
  cpuAtStart = process.cpuUsage(); // CPU of the measured inspection only (peak RSS covers both)
  const started = performance.now();
  const services = createCoreServices({
    workspaceDir,
    networkMode: 'offline',
    clock: () => at,
    onProgress: (p) => {
      if (p.phase === 'parsing' && loadedAt === null) loadedAt = performance.now();
    },
  });
  try {
    const spec = { kind: 'directory', path: dir, ...(gun ? { gun } : {}) };
    const results = await services.inspection.inspectSource(spec, { jobId: randomUUID(), save: false });
    const wallMs = performance.now() - started;
    if (results.length !== 1) throw new Error(`expected one repository in ${dir}, got ${results.length}`);
    return summarize(results[0].report, wallMs, loadedAt === null ? null : loadedAt - started);
  } finally {
    await services.close();
    rmSync(workspaceDir, { recursive: true, force: true });
  }
}

function viaDirectEngine() {
  const started = performance.now();
  const files = new Map();
  const rootHistory = new Map();
  for (const entry of readdirSync(dir)) {
    const m = /^([1-9][0-9]*)\.root\.json$/.exec(entry);
    if (m) rootHistory.set(Number(m[1]), readFileSync(path.join(dir, entry)));
    else if (entry.endsWith('.json')) files.set(entry.slice(0, -5), readFileSync(path.join(dir, entry)));
  }
  const input = { source: { kind: 'tuf-dir', location: dir }, dialect: null, name: path.basename(dir), files, rootHistory, unavailable: [] };
  const loadMs = performance.now() - started;
  const report = createInspectEngine()(input, { at, warnDays: 30, trusted: null });
  return summarize(report, performance.now() - started, loadMs);
}

// No top-level await: the child is bundled to CommonJS like dist/cli.
(direct ? Promise.resolve().then(viaDirectEngine) : viaInspectCommandPath()).then(
  (result) => process.stdout.write(`${JSON.stringify({ ...result, peakRssKiB: peakRssKiB() })}\n`),
  (error) => {
    process.stdout.write(`${JSON.stringify({ ok: false, error: `${error.name}: ${error.message}`, peakRssKiB: peakRssKiB() })}\n`);
    process.exitCode = 1;
  },
);

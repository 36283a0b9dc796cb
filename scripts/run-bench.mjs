#!/usr/bin/env node
// `npm run bench [-- --quick] [--profile] [--seed N] [--tufjs-timeout S] [--runs N] [--only flat,A,B,C,cli,main]`
// Generates (or reuses) seeded datasets under bench-out/data, then measures on the same files, each
// run in a fresh process: Keyrite's full verification (the `keyrite inspect` code path, in-process),
// stock tuf-js (@tufjs/models), `notary list` offline from its cache, and one end-to-end CLI run per
// dataset. Prints a table plus the issue's targets and writes bench-out/results.json.
// Timing targets are reported, never enforced: CI only checks that `--quick` completes.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { bundleForBench } from './bench/bundle.mjs';
import { binsDataset, flatDataset, notaryDataset } from './bench/datasets.mjs';
import { combineRuns, runExternal, runJsonChild } from './bench/measure.mjs';
import { formatPrimitives, measurePrimitives } from './bench/primitives.mjs';
import { summarizeProfile } from './bench/profile.mjs';
import { checkTargets, fmtS, formatTable, formatTargets, ratioText } from './bench/report.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outRoot = path.join(root, 'bench-out');
const NOTARY_BIN = '/usr/bin/notary';

const ONLY_PARTS = ['flat', 'A', 'B', 'C', 'cli', 'main'];

class BenchUsageError extends Error {
  name = 'BenchUsageError';
}

function parseArgs(argv) {
  const opts = { quick: false, profile: false, seed: 1, runs: null, tufjsTimeoutS: null, only: null };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const num = () => {
      const v = Number(argv[++i]);
      if (!Number.isFinite(v) || v <= 0) throw new BenchUsageError(`${a} needs a positive number`);
      return v;
    };
    if (a === '--quick') opts.quick = true;
    else if (a === '--profile') opts.profile = true;
    else if (a === '--seed') opts.seed = num();
    else if (a === '--runs') opts.runs = num();
    else if (a === '--tufjs-timeout') opts.tufjsTimeoutS = num();
    else if (a === '--only') {
      // Parts: flat (flat sizes + tuf-js), A, B, C (with notary list), cli (CLI process runs), main
      // (main-thread responsiveness during B in the worker runner).
      const parts = (argv[++i] ?? '').split(',').filter(Boolean);
      const bad = parts.filter((p) => !ONLY_PARTS.includes(p));
      if (parts.length === 0 || bad.length > 0) throw new BenchUsageError(`--only takes a comma list of ${ONLY_PARTS.join(', ')}`);
      opts.only = new Set(parts);
    } else throw new BenchUsageError(`unknown option ${a} (use --quick, --profile, --seed N, --runs N, --tufjs-timeout S, --only ${ONLY_PARTS.join(',')})`);
  }
  const mode = opts.quick
    ? { flatSizes: [1000, 2000], aTargets: 10_000, bins: 256, perBin: 139, cTags: 1000, runs: 1, tufjsTimeoutS: 60, tufjsBinsTimeoutS: 60, keyriteTimeoutS: 120 }
    : { flatSizes: [1000, 2000, 5000, 20_000], aTargets: 100_000, bins: 16_384, perBin: 139, cTags: 10_000, runs: 3, tufjsTimeoutS: 600, tufjsBinsTimeoutS: 120, keyriteTimeoutS: 300 };
  return { ...opts, ...mode, runs: opts.runs ?? mode.runs, tufjsTimeoutS: opts.tufjsTimeoutS ?? mode.tufjsTimeoutS };
}

const log = (msg) => process.stderr.write(`[bench] ${msg}\n`);

async function main() {
  const cfg = parseArgs(process.argv.slice(2));
  const want = (part) => cfg.only === null || cfg.only.has(part);
  const started = performance.now();
  // Other work on the machine skews every figure: the load average is printed beside the results.
  const loadAtStart = os.loadavg().map((x) => x.toFixed(2)).join(' ');
  const dataRoot = path.join(outRoot, 'data');
  const tmp = path.join(outRoot, 'tmp');
  mkdirSync(dataRoot, { recursive: true });
  mkdirSync(tmp, { recursive: true });
  log(`mode ${cfg.quick ? 'quick' : 'full'}, seed ${cfg.seed}, ${cfg.runs} run(s) per Keyrite/notary measurement, ${os.cpus().length} CPU(s)`);

  const bundles = await bundleForBench(root, path.join(outRoot, 'build'));
  const flats = want('flat') ? Object.fromEntries(cfg.flatSizes.map((n) => [n, flatDataset(dataRoot, cfg.seed, n, log)])) : {};
  const A = flatDataset(dataRoot, cfg.seed, cfg.aTargets, log);
  const B = binsDataset(dataRoot, cfg.seed, cfg.bins, cfg.perBin, log);
  const C = notaryDataset(dataRoot, cfg.seed, cfg.cTags, log);
  const labels = {
    A: `A flat ${cfg.aTargets.toLocaleString('en')}`,
    B: `B ${cfg.bins.toLocaleString('en')} bins`,
    C: `C notary ${cfg.cTags.toLocaleString('en')} tags`,
  };

  // The machine is shared: every figure carries the 1-minute load average around its measurement.
  const load1 = () => os.loadavg()[0].toFixed(1);
  const withLoad = async (measure) => {
    const before = load1();
    const r = await measure();
    return { ...r, load: `${before}–${load1()}` };
  };
  const keyrite = (ds, extra = [], runs = cfg.runs, timeoutS = cfg.keyriteTimeoutS) => withLoad(() => keyriteRuns(ds, extra, runs, timeoutS));
  const keyriteRuns = async (ds, extra, runs, timeoutS) => {
    const results = [];
    for (let i = 0; i < runs; i++) {
      const r = await runJsonChild(process.execPath, [bundles.child, ds.dir, ...extra], { timeoutMs: timeoutS * 1000, cwd: root });
      results.push(r);
      // Repeats only reduce noise on short runs; a slow run is not worth two more.
      if (!r.ok || r.wallMs > 20_000) break;
    }
    return combineRuns(results);
  };
  // The issue's naive approach on the same files: the yardstick of this machine's speed.
  const naive = (ds, runs) =>
    withLoad(async () => {
      const results = [];
      for (let i = 0; i < runs; i++) {
        const r = await runJsonChild(process.execPath, [path.join(root, 'scripts/bench/naive-child.mjs'), ds.dir], { timeoutMs: cfg.keyriteTimeoutS * 1000, cwd: root });
        results.push(r);
        if (!r.ok || r.wallMs > 20_000) break;
      }
      return combineRuns(results);
    });
  const NAIVE_TOOL = 'naive reference (JSON.parse, re-canonicalise, node:crypto)';
  const naiveNote = (r) => (r.ok ? `${r.signaturesVerified} sigs, ${r.threads} thread(s); perf.md measured this approach on its machine` : undefined);
  const tufjs = (ds, timeoutS) => withLoad(() => tufjsRun(ds, timeoutS));
  const tufjsRun = async (ds, timeoutS) => {
    const r = await runJsonChild(process.execPath, [path.join(root, 'scripts/bench/tufjs-child.mjs'), ds.dir], { timeoutMs: timeoutS * 1000, cwd: root });
    return { ...r, boundS: timeoutS };
  };

  const m = { keyrite: {}, keyriteFlat: {}, tufjsFlat: {}, naive: {}, cli: {}, notary: null, main: null, expectedTargets: { A: A.targets, B: B.targets } };
  log('machine primitives (ed25519 verify, SHA-512, SHA-256, JSON.parse)');
  m.primitives = measurePrimitives();
  const rows = [];
  const row = (dataset, tool, r, extra = {}) => rows.push({ dataset, tool, ...r, bytes: r.bytes ?? extra.bytes, ...extra });

  // Flat sizes: Keyrite vs stock tuf-js (quadratic; sizes predicted past the bound are not run).
  let previous = null;
  const flatRuns = [...(want('flat') ? cfg.flatSizes : []), ...(want('A') ? [cfg.aTargets] : [])];
  for (const n of flatRuns) {
    const ds = n === cfg.aTargets ? A : flats[n];
    const name = n === cfg.aTargets ? labels.A : `flat ${n.toLocaleString('en')}`;
    log(`keyrite: ${name}`);
    const k = await keyrite(ds);
    m.keyriteFlat[n] = k;
    if (n === cfg.aTargets) m.keyrite.A = k;
    row(name, 'keyrite (inspect path, in-process)', k, { note: k.ok ? `${k.health}, ${k.targets} targets, ${k.signaturesVerified} sigs` : undefined });
    if (n === cfg.aTargets) {
      log(`naive reference: ${name}`);
      m.naive.A = await naive(ds, cfg.runs);
      row(name, NAIVE_TOOL, m.naive.A, { ratio: ratioText(k, m.naive.A), note: naiveNote(m.naive.A) });
    }
    let t;
    const predicted = previous?.ok ? previous.wallMs * (n / previous.n) ** 2 : null;
    if (cfg.quick && n === cfg.aTargets) t = { ok: false, skipped: true, error: 'not run in --quick (stock tuf-js needs minutes here)' };
    else if (!want('flat')) t = { ok: false, skipped: true, error: 'not run (--only without flat)' };
    else if (previous && !previous.ok) t = { ok: false, error: `not run: a smaller size did not finish in ${cfg.tufjsTimeoutS} s` };
    else if (predicted !== null && predicted > 1.5 * cfg.tufjsTimeoutS * 1000) {
      // Margin: tuf-js grows a little slower than n^2 at these sizes (perf.md: 5k 21.9 s, 20k 321 s).
      t = { ok: false, skipped: true, boundS: cfg.tufjsTimeoutS, error: `not run: ~${Math.round(predicted / 1000)} s predicted (quadratic from ${previous.n}) > ${cfg.tufjsTimeoutS} s bound` };
    } else {
      log(`tuf-js: ${name} (bound ${cfg.tufjsTimeoutS} s)`);
      t = await tufjs(ds, cfg.tufjsTimeoutS);
      previous = { ...t, n };
    }
    m.tufjsFlat[n] = t;
    row(name, 'tuf-js @tufjs/models 4.1 (stock)', t, { ratio: ratioText(k, t), bytes: k.bytes });
  }

  if (want('B')) {
  log(`keyrite: ${labels.B}`);
  m.keyrite.B = await keyrite(B, [], m.keyrite.A?.ok ? cfg.runs : 1);
  row(labels.B, 'keyrite (inspect path, in-process)', m.keyrite.B, { note: m.keyrite.B.ok ? `${m.keyrite.B.health}, ${m.keyrite.B.targets} targets` : undefined });
  // Re-inspection of the unchanged repository: bins verified cleanly before are not verified again.
  log(`keyrite: ${labels.B}, re-inspected unchanged (after a saved healthy inspection)`);
  m.keyrite.Breinspect = await keyrite(B, ['--reinspect'], 1);
  const re = m.keyrite.Breinspect;
  row(labels.B, 'keyrite re-inspect, unchanged (in-process)', re, { note: re.ok ? `${re.health}, ${re.skippedUnchanged} files skipped, ${re.signaturesVerified} sigs checked; RSS covers both runs` : undefined });
  if (!m.keyrite.B.ok || m.keyrite.B.health !== 'healthy') {
    // Diagnostic for the engine owners: the engine alone on the same bytes, past the loader's caps.
    log(`keyrite --direct (engine only, loader bypassed): ${labels.B}`);
    const d = await keyrite(B, ['--direct'], 1, cfg.quick ? 120 : 240);
    m.keyrite.Bdirect = d;
    row(labels.B, 'keyrite engine only (diagnostic: loader bypassed)', d, { note: d.ok ? `${d.health}, ${d.targets} targets, findings ${JSON.stringify(d.findings)}` : undefined });
  }
  log(`naive reference: ${labels.B}`);
  m.naive.B = await naive(B, 1);
  row(labels.B, NAIVE_TOOL, m.naive.B, { ratio: ratioText(m.keyrite.B, m.naive.B), note: naiveNote(m.naive.B) });
  log(`tuf-js: ${labels.B} (bound ${cfg.tufjsBinsTimeoutS} s)`);
  const tB = await tufjs(B, cfg.tufjsBinsTimeoutS);
  row(labels.B, 'tuf-js @tufjs/models 4.1 (stock)', tB, { ratio: ratioText(m.keyrite.B, tB), bytes: m.keyrite.B.bytes ?? m.keyrite.Bdirect?.bytes });
  }

  if (want('C')) {
  log(`keyrite: ${labels.C}`);
  m.keyrite.C = await keyrite(C, ['--gun', C.gun]);
  row(labels.C, 'keyrite (inspect path, in-process)', m.keyrite.C, { note: m.keyrite.C.ok ? `${m.keyrite.C.health}, ${m.keyrite.C.targets} targets, ${m.keyrite.C.signaturesVerified} sigs` : undefined });
  // The CLI process and `notary list` take turns (notary, CLI, notary, CLI…): this machine's speed
  // drifts by tens of percent within a minute, and the comparison should see the same drift.
  const cliC = [];
  const cliTurn = want('cli') && bundles.cli !== null ? async () => cliC.push(await cliRun(bundles.cli, C.dir, ['--gun', C.gun], tmp, cfg.quick ? 300 : 600)) : null;
  m.notary = await withLoad(() => notaryList(C, cfg.runs, tmp, cliTurn));
  row(labels.C, 'notary list (offline, from cache)', m.notary, { ratio: ratioText(m.keyrite.C, m.notary), bytes: m.keyrite.C.bytes });
  if (cliC.length > 0) m.cli.C = { ...combineRuns(cliC), load: m.notary.load };
  }

  // One end-to-end run of the real CLI per dataset (process wall: Node start-up, load, verify, JSON out).
  for (const [key, ds, extra] of [['A', A, []], ['B', B, []], ['C', C, ['--gun', C.gun]]]) {
    if (!want('cli') || !want(key)) continue;
    if (key === 'C' && m.cli.C !== undefined) {
      row(labels.C, 'keyrite CLI `inspect --json` (process)', m.cli.C, { bytes: m.keyrite.C?.bytes, note: m.cli.C.note, ...(m.notary.ok ? { ratio: ratioText(m.cli.C, m.notary) } : {}) });
      continue;
    }
    log(`keyrite CLI: ${labels[key]}`);
    m.cli[key] = bundles.cli === null ? { ok: false, error: `CLI bundle did not build: ${bundles.cliError}` } : await withLoad(() => cliRun(bundles.cli, ds.dir, extra, tmp, cfg.quick ? 300 : 600));
    const peer = key === 'C' && m.notary.ok ? { ratio: ratioText(m.cli[key], m.notary) } : {};
    row(labels[key], 'keyrite CLI `inspect --json` (process)', m.cli[key], { bytes: m.keyrite[key]?.bytes, note: m.cli[key].note, ...peer });
  }

  if (want('main')) {
    // The Electron main's setup: inspect worker (+ nested bin workers); another call every 50 ms.
    log(`main-thread responsiveness while adding ${labels.B} (worker verification, then the report saved) and after a restart`);
    m.main = await withLoad(() => runJsonChild(process.execPath, [bundles.responsiveness, B.dir, bundles.inspectWorker], { timeoutMs: cfg.keyriteTimeoutS * 1000, cwd: root }));
    const r = m.main;
    row(labels.B, 'main thread: add (verify in worker + save), restart', r, {
      note: r.ok
        ? `verify + save: ${r.calls} list() calls, round trip p50 ${r.roundTripMs.p50} / p99 ${r.roundTripMs.p99} / max ${r.roundTripMs.max} ms; event-loop delay p99 ${r.eventLoopDelayMs.p99.toFixed(1)} / max ${r.eventLoopDelayMs.max.toFixed(1)} ms; ` +
          `restart: list ${r.restart.listMs.toFixed(0)} ms, first targets page ${r.restart.firstPageMs.toFixed(0)} ms, event-loop delay max ${r.restart.eventLoopDelayMaxMs.toFixed(1)} ms`
        : undefined,
    });
  }

  let profile = null;
  if (cfg.profile) profile = await profileKeyrite(bundles.child, A, tmp);

  const targets = checkTargets(m, cfg.quick);
  const totalS = (performance.now() - started) / 1000;
  const load = os.loadavg().map((x) => x.toFixed(2)).join(' ');
  const header = `Keyrite bench (${cfg.quick ? 'quick' : 'full'}), node ${process.version}, ${os.cpus().length} x ${os.cpus()[0]?.model ?? 'cpu'}, seed ${cfg.seed}, load average at start ${loadAtStart}, at end ${load}`;
  const text = [
    header,
    formatPrimitives(m.primitives),
    `tuf-js bound: ${cfg.tufjsTimeoutS} s per flat run (sizes predicted past 1.5x it by n^2 are not run), ${cfg.tufjsBinsTimeoutS} s for B; wall = median of ${cfg.runs} fresh-process run(s)`,
    '',
    formatTable(rows),
    '',
    'Sanity (the generated repositories are valid, so every tool should accept them):',
    sanity(rows),
    '',
    'Targets (reported, not enforced):',
    formatTargets(targets),
    '',
    `Total bench time ${totalS.toFixed(0)} s (dataset generation included; cached datasets in bench-out/data).`,
  ].join('\n');
  process.stdout.write(`${text}\n`);
  if (profile) process.stdout.write(`\n${formatProfile(profile)}\n`);
  const datasets = Object.fromEntries(Object.entries({ A, B, C, ...Object.fromEntries(Object.entries(flats).map(([n, d]) => [`flat-${n}`, d])) }).map(([k, d]) => [k, { ...d, bytes: dirBytes(d.dir) }]));
  const results = { mode: cfg.quick ? 'quick' : 'full', finishedAt: new Date().toISOString(), node: process.version, cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model, loadAverage: { start: loadAtStart, end: load }, config: cfg, datasets, rows, targets, profile, totalSeconds: Math.round(totalS) };
  // results.json is the latest run; results-<mode>.json keeps a full run when a quick one follows.
  for (const name of ['results.json', `results-${results.mode}.json`]) writeFileSync(path.join(outRoot, name), `${JSON.stringify(results, null, 2)}\n`);
  writeFileSync(path.join(outRoot, `results-${results.mode}.txt`), `${text}\n${profile ? `\n${formatProfile(profile)}\n` : ''}`);
  log(`wrote bench-out/results.json, bench-out/results-${results.mode}.{json,txt}`);
}

/** Rows where a tool failed outright (not a timeout) or Keyrite did not call valid data healthy. */
function sanity(rows) {
  const problems = [];
  for (const r of rows) {
    if (!r.ok && !r.timedOut && !r.skipped) problems.push(`  ${r.dataset} / ${r.tool}: ${r.error}`);
    else if (r.ok && r.health && r.health !== 'healthy') problems.push(`  ${r.dataset} / ${r.tool}: ${r.health}, findings ${JSON.stringify(r.findings)}`);
  }
  return problems.length === 0 ? '  all tools accepted every dataset they ran on' : problems.join('\n');
}

/** `notary list` runs; `between` (the Keyrite CLI run) follows each one so both see the same machine. */
async function notaryList(C, runs, tmp, between = null) {
  if (!exists(NOTARY_BIN)) return { ok: false, error: `${NOTARY_BIN} not installed` };
  const out = path.join(tmp, 'notary-list.txt');
  const results = [];
  for (let i = 0; i < runs; i++) {
    log(`notary list (run ${i + 1}/${runs})`);
    // Port 1 refuses connections: notary logs "using cached timestamp" and verifies the cache offline.
    const r = await runExternal(NOTARY_BIN, ['-d', C.dir, '-s', 'http://127.0.0.1:1', 'list', C.gun], { timeoutMs: 300_000, cwd: tmp, stdoutFile: out });
    if (r.ok) {
      const listed = readFileSync(out, 'utf8').trim().split('\n').length - 2;
      const offline = /using cached/.test(r.stderrTail) || /connection refused/.test(r.stderrTail);
      if (r.exitCode !== 0 || listed !== C.targets / 2) Object.assign(r, { ok: false, error: `notary exit ${r.exitCode}, listed ${listed} of ${C.targets / 2} tags: ${r.stderrTail}` });
      else r.note = `listed ${listed} tags${offline ? ', offline from cache' : ''}`;
    }
    results.push(r);
    if (between !== null) await between();
    if (!r.ok) break;
  }
  return combineRuns(results);
}

async function cliRun(cliBundle, dir, extra, tmp, timeoutS) {
  const workspace = mkdtempSync(path.join(os.tmpdir(), 'keyrite-bench-cli-'));
  const out = path.join(tmp, 'cli-report.json');
  try {
    const r = await runExternal(process.execPath, [cliBundle, 'inspect', dir, ...extra, '--json', '--no-save', '--workspace', workspace, '--at', '2030-01-01T00:00:00Z'], { timeoutMs: timeoutS * 1000, cwd: tmp, stdoutFile: out });
    if (!r.ok) return r;
    const size = statSync(out).size;
    if (r.exitCode === 2 || size === 0) return { ...r, ok: false, error: `exit ${r.exitCode}: ${r.stderrTail}` };
    // Parse the report when it is reasonably small, to show that the run produced a real result.
    const report = size < 300 * 1024 * 1024 ? JSON.parse(readFileSync(out, 'utf8')) : null;
    return { ...r, note: `exit ${r.exitCode}, ${(size / 1024 / 1024).toFixed(1)} MiB of JSON${report ? `, ${report.health}, ${report.targets.length} targets` : ''}` };
  } finally {
    rmSync(workspace, { recursive: true, force: true });
    rmSync(out, { force: true });
  }
}

async function profileKeyrite(childBundle, A, tmp) {
  const dir = path.join(tmp, 'profile');
  rmSync(dir, { recursive: true, force: true });
  log('profiling keyrite on A (--cpu-prof)');
  const r = await runJsonChild(process.execPath, ['--cpu-prof', '--cpu-prof-dir', dir, childBundle, A.dir], { timeoutMs: 600_000, cwd: root });
  const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
  if (!file) return { error: r.error ?? 'no profile written' };
  return { run: r, file: path.relative(root, path.join(dir, file)), ...summarizeProfile(path.join(dir, file), childBundle) };
}

function formatProfile(p) {
  if (p.error) return `Profile: ${p.error}`;
  const lines = (xs) => xs.map((x) => `  ${String(x.ms).padStart(6)} ms ${String(x.pct).padStart(5)} %  ${x.name}`).join('\n');
  return [`CPU profile of keyrite on A (${fmtS(p.run.wallMs)} wall, ${p.totalMs} ms sampled; ${p.file}):`, 'Self time by source file:', lines(p.files), 'Self time by function:', lines(p.functions)].join('\n');
}

function dirBytes(dir) {
  let total = 0;
  for (const e of readdirSync(dir, { withFileTypes: true, recursive: true })) if (e.isFile()) total += statSync(path.join(e.parentPath ?? e.path, e.name)).size;
  return total;
}

function exists(file) {
  try {
    statSync(file);
    return true;
  } catch {
    return false;
  }
}

main().catch((error) => {
  process.stderr.write(`[bench] ${error instanceof BenchUsageError ? '' : 'failed: '}${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(error instanceof BenchUsageError ? 2 : 1);
});

import { promises as fsp } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { InspectionReport } from '../../../../shared/inspection/report';
import { formatReport } from '../../../../electron/cli/format-report';
import { createInspectEngine } from '../../../../electron/core/inspection/engine';
import { InProcessInspectRunner } from '../../../../electron/core/inspection/inspect-runner';
import { InspectionService } from '../../../../electron/core/inspection/inspection-service';
import { Preverifier } from '../../../../electron/core/inspection/preverifier';
import { PolicyHttpGetter } from '../../../../electron/core/net/http-fetch';
import { createNetworkPolicy } from '../../../../electron/core/net/network-policy';
import { DefaultSourceLoader } from '../../../../electron/core/sources/source-loader';
import { Workspace } from '../../../../electron/core/workspace/workspace';

/**
 * Skipping unchanged files by hash against the trusted state (issue 5): after a healthy inspection
 * of B-quick (PEP 458 layout, 256 bins x 139 targets, the bench's own generator), a second
 * inspection verifies no bin signature again yet reports the same; a re-signed bin is verified
 * again, a tampered one is caught, and expiry is still evaluated against the inspection time.
 */

const BINS = 256;
const SEED = 1;

interface BenchKey {
  keyid: string;
  sign: (bytes: Buffer) => string;
}

let tmp: string;
let dir: string;
let online: BenchKey;
let generate: (dir: string, seed: number, bins: number, perBin: number) => unknown;

beforeAll(async () => {
  tmp = await fsp.mkdtemp(path.join(os.tmpdir(), 'keyrite-skip-'));
  dir = path.join(tmp, 'b-quick');
  // Computed URLs: the bench scripts are plain .mjs without type declarations.
  const bench = (file: string) => pathToFileURL(path.resolve(import.meta.dirname, '../../../../scripts/bench', file)).href;
  const { generateBins } = (await import(bench('gen-tuf.mjs'))) as { generateBins: (dir: string, seed: number, bins: number, perBin: number) => unknown };
  const { ed25519Key } = (await import(bench('keys.mjs'))) as { ed25519Key: (seed: number, label: string) => BenchKey };
  generate = generateBins;
  generateBins(dir, SEED, BINS, 139);
  online = ed25519Key(SEED, 'online');
}, 120_000);

afterAll(async () => {
  await fsp.rm(tmp, { recursive: true, force: true });
});

function service(workspaceDir: string, worker: { path: string } | null = null): InspectionService {
  return new InspectionService({
    workspace: new Workspace(workspaceDir),
    loader: new DefaultSourceLoader(new PolicyHttpGetter(createNetworkPolicy('offline'))),
    // Inline by default (the same LeafBatchVerifier the bin workers run); one test bundles the worker.
    runner: new InProcessInspectRunner(createInspectEngine(), new Preverifier({ worker, threads: 2, batchSize: 16 })),
    clock: () => new Date('2026-11-22T00:00:00Z'),
    deferDelegationsFrom: 1,
  });
}

async function inspect(s: InspectionService, extra: { save?: boolean; at?: string; dir?: string } = {}): Promise<InspectionReport> {
  const [result] = await s.inspectSource({ kind: 'directory', path: extra.dir ?? dir }, { jobId: `j-${Math.random()}`, save: extra.save ?? true, at: extra.at ?? '2026-11-22T00:00:00Z' });
  if (result === undefined) throw new Error('no repository inspected');
  return result.report;
}

/** A bin's `signed` bytes (the bench writes `{"signatures":[…],"signed":<canonical>}`). */
async function signedOf(name: string): Promise<string> {
  const text = await fsp.readFile(path.join(dir, `${name}.json`), 'latin1');
  return text.slice(text.indexOf(',"signed":') + ',"signed":'.length, -1);
}

async function writeBin(name: string, signed: string, signature: string): Promise<void> {
  await fsp.writeFile(path.join(dir, `${name}.json`), `{"signatures":[{"keyid":"${online.keyid}","sig":"${signature}"}],"signed":${signed}}`, 'latin1');
}

/** The report without what skipping legitimately changes (time, signatures checked, the count). */
function comparable(r: InspectionReport) {
  return { ...r, stats: { files: r.stats.files, bytes: r.stats.bytes } };
}

describe('skip unchanged files against the trusted state', () => {
  it('skips every unchanged bin, re-verifies a changed one, catches a tampered one, still checks expiry', async () => {
    const ws = service(path.join(tmp, 'ws'));
    const first = await inspect(ws);
    expect(first.health).toBe('healthy');
    expect(first.stats.skippedUnchanged).toBeUndefined();
    expect(first.stats.signaturesVerified).toBeGreaterThanOrEqual(BINS);

    const second = await inspect(ws);
    expect(second.stats.skippedUnchanged).toBe(BINS);
    // Only the top-level roles' signatures were checked this time.
    expect(second.stats.signaturesVerified).toBe(first.stats.signaturesVerified - BINS);
    expect(comparable(second)).toEqual(comparable(first));
    // `keyrite inspect` says so in its text output.
    expect(formatReport(second)).toContain(`Unchanged    ${BINS} file(s) identical to the last healthy inspection`);
    expect(formatReport(first)).not.toContain('Unchanged ');
    // The same as a fresh, full verification (no trusted state at all).
    expect(comparable(second)).toEqual(comparable(await inspect(service(path.join(tmp, 'ws-fresh')), { save: false })));

    // Expiry is evaluated against the inspection time even for skipped files.
    const later = await inspect(ws, { save: false, at: '2036-06-01T00:00:00Z' });
    expect(later.stats.skippedUnchanged).toBe(BINS);
    expect(later.findings.filter((f) => f.code === 'EXPIRED' && f.role?.startsWith('bin-')).length).toBe(BINS);

    // A changed, validly re-signed bin (same version: snapshot still matches) is verified again.
    const changed = (await signedOf('bin-07')).replace('"expires":"2036-01-01T00:00:00Z"', '"expires":"2035-01-01T00:00:00Z"');
    await writeBin('bin-07', changed, online.sign(Buffer.from(changed, 'latin1')));
    const third = await inspect(ws);
    expect(third.health).toBe('healthy');
    expect(third.stats.skippedUnchanged).toBe(BINS - 1);
    expect(third.stats.signaturesVerified).toBe(first.stats.signaturesVerified - BINS + 1);
    expect(third.roles.find((r) => r.name === 'bin-07')?.expires).toBe('2035-01-01T00:00:00Z');

    // A tampered bin (a target's length changed after signing) is caught, not skipped.
    const original = await signedOf('bin-2a');
    const text = await fsp.readFile(path.join(dir, 'bin-2a.json'), 'latin1');
    const sig = /"sig":"([0-9a-f]+)"/.exec(text)?.[1] ?? '';
    const tampered = original.replace(/"length":(\d)/, (_m, d: string) => `"length":${(Number(d) + 1) % 10}`);
    expect(tampered).not.toBe(original);
    await writeBin('bin-2a', tampered, sig);
    const fourth = await inspect(ws);
    expect(fourth.stats.skippedUnchanged).toBe(BINS - 1);
    expect(fourth.roles.find((r) => r.name === 'bin-2a')?.status).toBe('invalid');
    expect(fourth.findings.some((f) => f.role === 'bin-2a' && f.severity === 'error')).toBe(true);
    expect(fourth.health).toBe('error');
  }, 240_000);

  it('skips on real bin-worker threads too (the records travel with the batches)', async () => {
    // A worker thread cannot load the .ts sources under vitest: bundle it as the build does.
    const { bundle } = (await import(pathToFileURL(path.resolve(import.meta.dirname, '../../../../scripts/build.mjs')).href)) as {
      bundle: (spec: { name: string; entry: string; out: string; external: string[] }, options: { outDir: string }) => Promise<unknown>;
    };
    const outDir = path.join(tmp, 'build');
    await bundle({ name: 'bin-worker', entry: 'electron/core/inspection/bin-worker.ts', out: 'bin-worker.cjs', external: [] }, { outDir });
    // A pristine copy of B-quick (the test above edits its bins).
    const pristine = path.join(tmp, 'b-quick-2');
    generate(pristine, SEED, BINS, 139);
    const ws = service(path.join(tmp, 'ws-threads'), { path: path.join(outDir, 'bin-worker.cjs') });
    const first = await inspect(ws, { dir: pristine });
    expect(first.health).toBe('healthy');
    const second = await inspect(ws, { dir: pristine });
    expect(second.stats.skippedUnchanged).toBe(BINS);
    expect(comparable(second)).toEqual(comparable(first));
  }, 240_000);
});

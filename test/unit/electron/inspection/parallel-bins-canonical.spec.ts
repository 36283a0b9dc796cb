import { promises as fsp } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { InspectionReport } from '../../../../shared/inspection/report';
import { scanCanonicalTargets } from '../../../../shared/tuf/targets-scan';
import { createInspectEngine } from '../../../../electron/core/inspection/engine';
import { InProcessInspectRunner } from '../../../../electron/core/inspection/inspect-runner';
import { Preverifier } from '../../../../electron/core/inspection/preverifier';
import { loadMetadataDirectory } from '../../../../electron/core/sources/metadata-dir';
import { BIN_WORKER, buildHashBinRepo } from '../../../support/hash-bin-repo';

/**
 * parallel-bins.spec.ts with canonical (go-tuf style) files: here the bins go through the byte
 * scanner (shared/tuf/targets-scan.ts) instead of the strict parser, and the report must still be
 * the sequential engine's, findings included.
 */

const AT = new Date();
let tmp: string;
let dir: string;

beforeAll(async () => {
  tmp = await fsp.mkdtemp(path.join(os.tmpdir(), 'keyrite-cbins-'));
  const repo = await buildHashBinRepo(AT, 'canonical');
  dir = path.join(tmp, 'repo');
  await repo.writeTo(dir);
  // The point of this file: these bins take the scanner's path.
  expect(scanCanonicalTargets(repo.bytes('bin-0'))).not.toBeNull();
  expect(scanCanonicalTargets(repo.bytes('bin-7'))).not.toBeNull();
});

afterAll(async () => {
  await fsp.rm(tmp, { recursive: true, force: true });
});

const options = { at: AT, warnDays: 30, trusted: { rootVersion: 1, rootBytes: null, versions: { 'bin-d': 5 } } };
const comparable = (r: InspectionReport) => ({ ...r, stats: { ...r.stats, durationMs: 0 } });

describe('parallel verification of canonical hash bins (byte scanner)', () => {
  it('gives the sequential report, inline and on worker threads', async () => {
    const seqInput = await loadMetadataDirectory(dir);
    const expected = await new InProcessInspectRunner(createInspectEngine(), new Preverifier({ worker: null })).run(seqInput, options);
    const codes = new Set(expected.findings.map((f) => `${f.code}:${f.role ?? ''}`));
    for (const c of ['INVALID_SIGNATURE:bin-7', 'EXPIRED:bin-c', 'EXPIRING_SOON:bin-a', 'ROLLBACK:bin-d', 'DELEGATION_PATH_OUTSIDE_PARENT:bin-3']) {
      expect(codes, c).toContain(c);
    }
    expect(expected.findings.some((f) => f.code === 'TARGET_PATH_UNSAFE')).toBe(true);
    for (const pre of [new Preverifier({ worker: null, batchSize: 5 }), new Preverifier({ worker: BIN_WORKER, threads: 2, batchSize: 3 })]) {
      const input = await loadMetadataDirectory(dir, { deferDelegationsFrom: 1 });
      expect(input.deferred?.roles).toHaveLength(16);
      const report = await new InProcessInspectRunner(createInspectEngine(), pre).run(input, options);
      expect(comparable(report)).toEqual(comparable(expected));
    }
  });
});

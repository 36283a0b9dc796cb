import { promises as fsp } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createInspectEngine } from '../../../../electron/core/inspection/engine';
import { loadMetadataDirectory } from '../../../../electron/core/sources/metadata-dir';
import { buildTufRepo, type TestRepo } from '../../../support/repo-builder';

let tmp: string;
let repo: TestRepo;

beforeAll(async () => {
  tmp = await fsp.mkdtemp(path.join(os.tmpdir(), 'keyrite-walk-'));
  // More delegations than the loader reads at once, nested two levels, so batches and the queue interleave.
  const top = Array.from({ length: 40 }, (_, i) => ({ name: `team-${i}`, targets: { [`t${i}.txt`]: `${i}` } }));
  const nested = Array.from({ length: 5 }, (_, i) => ({ name: `sub-${i}`, parent: `team-${i * 7}`, targets: { [`s${i}.txt`]: `s${i}` } }));
  repo = await buildTufRepo({ delegations: [...top, ...nested] });
  await repo.writeTo(path.join(tmp, 'repo'));
});

afterAll(async () => {
  await fsp.rm(tmp, { recursive: true, force: true });
});

describe('repository walk with many delegations', () => {
  it('fetches every delegated role, nested ones included, and the engine trusts all their targets', async () => {
    const input = await loadMetadataDirectory(path.join(tmp, 'repo'));
    const want = repo.toRepositoryInput().files;
    expect([...input.files.keys()].sort()).toEqual([...want.keys()].sort());
    expect(input.unavailable).toEqual([]);
    const report = createInspectEngine()(input, { at: new Date(), warnDays: 30, trusted: null });
    expect(report.health).toBe('healthy');
    expect(report.targets).toHaveLength(45);
    expect(report.roles.filter((r) => r.kind === 'delegation')).toHaveLength(45);
  });
});

import { promises as fsp } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { RepositoryDetail, RepositorySummary, type Progress } from '../../../../shared/ipc/contract';
import { createInspectEngine } from '../../../../electron/core/inspection/engine';
import { InProcessInspectRunner } from '../../../../electron/core/inspection/inspect-runner';
import { InspectionService } from '../../../../electron/core/inspection/inspection-service';
import { CancelledError, PolicyHttpGetter } from '../../../../electron/core/net/http-fetch';
import { createNetworkPolicy } from '../../../../electron/core/net/network-policy';
import { DefaultSourceLoader, type SourceLoader } from '../../../../electron/core/sources/source-loader';
import { Workspace } from '../../../../electron/core/workspace/workspace';
import { buildNotaryRepo, type TestRepo } from '../../../support/repo-builder';

const GUN = 'example.com/acme/app';
let tmp: string;
let repo: TestRepo;
let oldDir: string;
let newDir: string;
let trustDir: string;

beforeAll(async () => {
  tmp = await fsp.mkdtemp(path.join(os.tmpdir(), 'keyrite-svc-'));
  const targets: Record<string, string> = {};
  for (let i = 0; i < 25; i++) targets[`app-${String(i).padStart(2, '0')}`] = `content ${i}`;
  repo = await buildNotaryRepo({ gun: GUN, targets, delegations: [{ name: 'targets/alice', targets: { 'alice-tool': 'a' } }] });
  oldDir = path.join(tmp, 'old');
  await repo.writeTo(oldDir);
  repo.resign('targets', (s) => s, { bumpVersion: true });
  newDir = path.join(tmp, 'new');
  await repo.writeTo(newDir);
  trustDir = path.join(tmp, 'trust');
  await repo.writeTo(path.join(trustDir, 'tuf', ...GUN.split('/'), 'metadata'));
  const other = await buildNotaryRepo({ gun: 'example.com/other', targets: { x: 'x' } });
  await other.writeTo(path.join(trustDir, 'tuf', 'example.com', 'other', 'metadata'));
});

afterAll(async () => {
  await fsp.rm(tmp, { recursive: true, force: true });
});

function makeService(name: string, loader?: SourceLoader) {
  const progress: Progress[] = [];
  const changed: RepositorySummary[][] = [];
  const service = new InspectionService({
    workspace: new Workspace(path.join(tmp, `ws-${name}`)),
    loader: loader ?? new DefaultSourceLoader(new PolicyHttpGetter(createNetworkPolicy('offline'))),
    runner: new InProcessInspectRunner(createInspectEngine()),
    clock: () => new Date(),
    onProgress: (p) => progress.push(p),
    onChanged: (s) => changed.push(s),
  });
  return { service, progress, changed };
}

describe('InspectionService', () => {
  it('adds every GUN of a trust dir and serves list/get with the IPC contract shapes', async () => {
    const { service, progress, changed } = makeService('add');
    const added = await service.add({ kind: 'directory', path: trustDir }, { jobId: 'job-add-0001' });
    expect(added.map((s) => s.name)).toEqual(['example.com/acme/app', 'example.com/other']);
    for (const summary of added) expect(RepositorySummary.parse(summary)).toEqual(summary);
    expect(added[0]).toMatchObject({ health: 'healthy', rootVersion: 1, errors: 0, targetCount: 26, dialect: 'notary-v1' });
    expect(await service.list()).toEqual(added);
    const detail = await service.get(added[0]?.id ?? '');
    expect(RepositoryDetail.parse(detail)).toEqual(detail);
    expect('targets' in detail.report).toBe(false);
    const phases = progress.map((p) => p.phase);
    expect(phases[0]).toBe('fetching');
    expect(phases).toContain('verifying');
    expect(phases).toContain('saving');
    expect(phases.at(-1)).toBe('done');
    expect(changed.at(-1)).toEqual(added);
  });

  it('pages targets and filters by name, digest and signer, case-insensitively', async () => {
    const { service } = makeService('targets');
    const [summary] = await service.add({ kind: 'directory', path: newDir, gun: GUN }, { jobId: 'job-targets-1' });
    const id = summary?.id ?? '';
    const page = await service.getTargets(id, 10, 5);
    expect(page.total).toBe(26);
    expect(page.offset).toBe(10);
    expect(page.rows).toHaveLength(5);
    expect((await service.getTargets(id, 0, 100, 'APP-1')).rows.map((t) => t.name)).toEqual(
      Array.from({ length: 10 }, (_, i) => `app-1${i}`),
    );
    const alice = await service.getTargets(id, 0, 100, 'ALICE');
    expect(alice.rows.map((t) => t.name)).toEqual(['alice-tool']);
    const digest = alice.rows[0]?.hashes['sha256']?.slice(5, 20).toUpperCase() ?? 'none';
    expect((await service.getTargets(id, 0, 100, digest)).rows.map((t) => t.name)).toEqual(['alice-tool']);
    expect((await service.getTargets(id, 0, 100, 'no-such-thing')).total).toBe(0);
  });

  it('after a restart serves the list from the stored heads and reads the rows once, when a page is asked for', async () => {
    const { service } = makeService('restart');
    const [summary] = await service.add({ kind: 'directory', path: newDir, gun: GUN }, { jobId: 'job-restart-1' });
    const id = summary?.id ?? '';
    const before = await service.getTargets(id, 0, 100);
    const workspace = new Workspace(path.join(tmp, 'ws-restart'));
    let rowReads = 0;
    const readRows = workspace.readReportRows.bind(workspace);
    workspace.readReportRows = (...args) => {
      rowReads += 1;
      return readRows(...args);
    };
    const restarted = new InspectionService({
      workspace,
      loader: new DefaultSourceLoader(new PolicyHttpGetter(createNetworkPolicy('offline'))),
      runner: new InProcessInspectRunner(createInspectEngine()),
      clock: () => new Date(),
    });
    expect(await restarted.list()).toEqual([summary]);
    expect((await restarted.get(id)).summary.targetCount).toBe(26);
    expect(rowReads).toBe(0);
    const [page, filtered] = await Promise.all([restarted.getTargets(id, 0, 100), restarted.getTargets(id, 0, 100, 'alice')]);
    expect(page).toEqual(before);
    expect(filtered.rows.map((t) => t.name)).toEqual(['alice-tool']);
    expect(rowReads).toBe(1);
  });

  it('keeps the trusted state: re-inspecting older metadata of the same GUN is a ROLLBACK', async () => {
    const { service } = makeService('rollback');
    const [first] = await service.inspectSource({ kind: 'directory', path: newDir, gun: GUN }, { jobId: 'job-roll-1' });
    expect(first?.trustUpdated).toBe(true);
    const [second] = await service.inspectSource({ kind: 'directory', path: oldDir, gun: GUN }, { jobId: 'job-roll-2' });
    expect(second?.id).toBe(first?.id);
    expect(second?.report.findings.filter((f) => f.code === 'ROLLBACK').map((f) => f.role)).toContain('targets');
    expect(second?.report.health).toBe('error');
  });

  it('a later inspect after a root rotation reports ROOT_CHANGED and moves the trusted root forward', async () => {
    const { service } = makeService('rotation');
    const gun = 'example.com/rotating';
    const before = await buildNotaryRepo({ gun, targets: { a: 'a' } });
    const v1Dir = path.join(tmp, 'rot-v1');
    await before.writeTo(v1Dir);
    const [first] = await service.inspectSource({ kind: 'directory', path: v1Dir, gun }, { jobId: 'job-rot-0001' });
    expect(first?.trustUpdated).toBe(true);
    // The same repository after a root rotation: v1 -> v2, signed by old and new root keys.
    const rotated = await buildNotaryRepo({ gun, targets: { a: 'a' }, rootKeys: before.rootHistory.get(1)?.keys ?? 1, rootRotations: [{ rootKeys: 1 }] });
    const v2Dir = path.join(tmp, 'rot-v2');
    await rotated.writeTo(v2Dir);
    const [second] = await service.inspectSource({ kind: 'directory', path: v2Dir, gun }, { jobId: 'job-rot-0002' });
    expect(second?.id).toBe(first?.id);
    expect(second?.report.findings.map((f) => f.code)).toContain('ROOT_CHANGED');
    expect(second?.report.rootHistory.map((s) => s.version)).toEqual([1, 2]);
    expect(second?.trustUpdated).toBe(true);
    expect(second?.summary.rootVersion).toBe(2);
  });

  it('--no-save (save: false) writes nothing', async () => {
    const { service } = makeService('nosave');
    const [result] = await service.inspectSource({ kind: 'directory', path: newDir, gun: GUN }, { jobId: 'job-nosave-1', save: false });
    expect(result?.trustUpdated).toBe(false);
    expect(await service.list()).toEqual([]);
  });

  it('re-inspects from the recorded source and removes', async () => {
    const { service } = makeService('reinspect');
    const [summary] = await service.add({ kind: 'directory', path: trustDir, gun: GUN }, { jobId: 'job-re-00001' });
    const again = await service.reinspect(summary?.id ?? '', { jobId: 'job-re-00002', at: '2030-01-01T00:00:00Z' });
    expect(again.id).toBe(summary?.id);
    expect((await service.get(again.id)).report.evaluatedAt).toBe('2030-01-01T00:00:00.000Z');
    expect(await service.remove(again.id)).toEqual({ removed: true });
    expect(await service.list()).toEqual([]);
    await expect(service.get(again.id)).rejects.toThrow(/no repository with id/);
  });

  it('cancels a running job and reports the cancelled phase', async () => {
    let started!: () => void;
    const running = new Promise<void>((resolve) => (started = resolve));
    const hanging: SourceLoader = {
      load: (_spec, options) =>
        new Promise((_resolve, reject) => {
          started();
          options?.signal?.addEventListener('abort', () => reject(new CancelledError('loading')));
        }),
    };
    const { service, progress } = makeService('cancel', hanging);
    const job = service.add({ kind: 'tuf-url', url: 'http://127.0.0.1:9/' }, { jobId: 'job-cancel-1' });
    await running;
    expect(service.cancel('job-cancel-1')).toEqual({ cancelled: true });
    await expect(job).rejects.toBeInstanceOf(CancelledError);
    expect(progress.at(-1)?.phase).toBe('cancelled');
    expect(service.cancel('job-cancel-1')).toEqual({ cancelled: false });
  });

  it('reports a failed job with its message', async () => {
    const { service, progress } = makeService('fail');
    await expect(service.add({ kind: 'directory', path: path.join(tmp, 'missing') }, { jobId: 'job-fail-01' })).rejects.toThrow(/does not exist/);
    expect(progress.at(-1)).toMatchObject({ phase: 'failed', jobId: 'job-fail-01' });
  });
});

import { promises as fsp } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { InspectionReport } from '../../shared/inspection/report';
import { InspectionReport as ReportSchema } from '../../shared/inspection/report';
import { createCoreServices, type CoreServices } from '../../electron/core';
import { runCli } from '../../electron/cli/cli';
import type { CliIo } from '../../electron/cli/cli-io';
import { buildAcceptanceRepo, notaryAvailable, startNotaryServer, type AcceptanceRepo, type NotaryServer } from '../support/notary';

const AVAILABLE = notaryAvailable();

function captureIo(env: Record<string, string> = {}): CliIo & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, stdout: (t) => out.push(t), stderr: (t) => err.push(t), env, cwd: process.cwd(), homedir: os.tmpdir() };
}

// Skip reason: the Debian notary tools (/usr/bin/notary, /usr/bin/notary-server) are not installed.
if (!AVAILABLE) console.warn('notary-inspect.spec: skipped, /usr/bin/notary or /usr/bin/notary-server is missing');

/**
 * Real notary keeps the pre-rotation root key listed in root (its RemoveBaseKeys never drops root
 * keys) and that key co-signs the new root: the engine explains it as one info finding, so the
 * rotated repository has neither errors nor warnings about root keys.
 */
function expectHealthyButForUnusedRootKeys(report: InspectionReport): void {
  expect(report.findings.filter((f) => f.severity === 'error')).toEqual([]);
  expect(report.findings.filter((f) => f.role === 'root' && f.severity === 'warning')).toEqual([]);
  const retained = report.findings.filter((f) => f.code === 'UNUSED_KEY' && f.role === 'root');
  expect(retained.length).toBeGreaterThan(0);
  for (const finding of retained) {
    expect(finding.severity).toBe('info');
    expect(finding.message).toMatch(/of an earlier root, which co-signed this root/);
  }
}

describe.skipIf(!AVAILABLE)('inspecting a real notary-server repository', () => {
  let server: NotaryServer;
  let repo: AcceptanceRepo;
  let workspaceDir: string;
  let services: CoreServices;

  beforeAll(async () => {
    server = await startNotaryServer();
    repo = await buildAcceptanceRepo(server);
    workspaceDir = await fsp.mkdtemp(path.join(os.tmpdir(), 'keyrite-ws-'));
    services = createCoreServices({ workspaceDir, networkMode: 'online' });
  });

  afterAll(async () => {
    await services?.close();
    await server?.stop();
    if (repo) await fsp.rm(repo.workDir, { recursive: true, force: true });
    if (workspaceDir) await fsp.rm(workspaceDir, { recursive: true, force: true });
  });

  async function inspectServer(): Promise<InspectionReport> {
    const [result] = await services.inspection.inspectSource(
      { kind: 'notary-server', url: server.url, gun: repo.gun },
      // The server's timestamp lives 14 days; a 7-day window keeps EXPIRING_SOON out of the comparison.
      { jobId: 'server-job-1', save: false, warnDays: 7 },
    );
    return ReportSchema.parse(result?.report);
  }

  async function expectAgreesWithNotary(report: InspectionReport): Promise<void> {
    const listed = await repo.client.list(repo.gun);
    const ours = report.targets.map((t) => ({ name: t.name, digest: t.hashes['sha256'], size: t.length, role: t.role }));
    expect(ours.sort((a, b) => a.name.localeCompare(b.name))).toEqual(
      listed.map((t) => ({ name: t.name, digest: t.digest, size: t.size, role: t.role })).sort((a, b) => a.name.localeCompare(b.name)),
    );
    const delegations = await repo.client.delegations(repo.gun);
    for (const [role, keyids] of delegations) {
      const view = report.roles.find((r) => r.name === role);
      expect(view?.keyids.slice().sort(), role).toEqual(keyids.slice().sort());
      expect(view?.status).toBe('valid');
    }
    expect([...delegations.keys()].sort()).toEqual(['targets/alice', 'targets/releases']);
    // Signers per tag: the delegation leaf for delegated targets, `Repo Admin` for the targets key.
    expect(report.targets.find((t) => t.name === 'alice-build')?.signers).toContain('alice');
    for (const target of report.targets.filter((t) => t.role === 'targets')) expect(target.signers).toEqual(['Repo Admin']);
    // Every delegation key notary lists is a key of the report, with the role that uses it.
    for (const [role, keyids] of delegations) {
      for (const keyid of keyids) expect(report.keys.find((k) => k.id === keyid)?.roles).toContain(role);
    }
  }

  it('reads every role from the server, with the root history 1..3, and agrees with notary list / delegation list', async () => {
    const report = await inspectServer();
    expect(report.source.kind).toBe('notary-server');
    expect(report.dialect).toBe('notary-v1');
    expectHealthyButForUnusedRootKeys(report);
    expect(report.roles.map((r) => r.name).sort()).toEqual(['root', 'snapshot', 'targets', 'targets/alice', 'targets/releases', 'timestamp']);
    await expectAgreesWithNotary(report);
    // init = v1, targets rotation = v2, root rotation = v3: every step verified, the last one swaps the root key.
    expect(report.rootHistory.map((s) => s.version)).toEqual([1, 2, 3]);
    expect(report.rootHistory.every((s) => s.ok)).toBe(true);
    const rootRotation = report.rootHistory[2];
    expect(rootRotation?.added.length).toBeGreaterThan(0);
    expect(rootRotation?.removed.length).toBeGreaterThan(0);
    expect(rootRotation?.signedByPrevious).toEqual({ valid: 1, required: 1 });
  });

  it('reads the same repository from the client trust dir and lists its private keys without decrypting them', async () => {
    const [result] = await services.inspection.inspectSource({ kind: 'directory', path: repo.trustDir }, { jobId: 'trust-dir-job', save: false, warnDays: 7 });
    const report = ReportSchema.parse(result?.report);
    expect(report.source.kind).toBe('trust-dir');
    expect(report.name).toBe(repo.gun);
    expectHealthyButForUnusedRootKeys(report);
    await expectAgreesWithNotary(report);
    const notaryKeys = await repo.client.keys();
    expect(report.privateKeys.map((k) => k.id).sort()).toEqual(notaryKeys.map((k) => k.id).sort());
    expect(report.privateKeys.every((k) => k.encrypted)).toBe(true);
    const aliceKey = notaryKeys.find((k) => k.role === 'targets/alice');
    expect(report.privateKeys.find((k) => k.id === aliceKey?.id)?.role).toBe('targets/alice');
    // Where each key lives: the delegation key is a file in this trust dir, timestamp/snapshot on the server.
    expect(report.keys.find((k) => k.id === aliceKey?.id)?.location.kind).toBe('file');
    expect(report.keys.find((k) => k.roles.includes('timestamp'))?.location).toEqual({ kind: 'server', detail: 'notary-server' });
  });

  it('names an unknown GUN precisely', async () => {
    await expect(
      services.inspection.inspectSource({ kind: 'notary-server', url: server.url, gun: 'example.com/nope' }, { jobId: 'unknown-gun-job' }),
    ).rejects.toThrow(/GUN not found on server/);
  });

  it('refuses the server in air-gapped mode before any request', async () => {
    const offline = createCoreServices({ workspaceDir, networkMode: 'offline' });
    try {
      await expect(
        offline.inspection.inspectSource({ kind: 'notary-server', url: server.url, gun: repo.gun }, { jobId: 'offline-job-1' }),
      ).rejects.toThrow(/air-gapped mode/);
    } finally {
      await offline.close();
    }
  });

  it('keyrite inspect --server shows the rotation; a later inspect of older metadata is a ROLLBACK (exit 1)', async () => {
    const cliWorkspace = await fsp.mkdtemp(path.join(os.tmpdir(), 'keyrite-cli-ws-'));
    try {
      const first = captureIo();
      expect(await runCli(['inspect', '--server', server.url, '--gun', repo.gun, '--workspace', cliWorkspace], first)).toBe(0);
      const text = first.out.join('');
      expect(text).toContain('ROOT HISTORY');
      expect(text).toMatch(/v3 {2}OK/);
      expect(text).toContain('Trusted state: updated');

      const second = captureIo();
      const code = await runCli(['inspect', repo.earlyMetadataDir, '--gun', repo.gun, '--workspace', cliWorkspace, '--json'], second);
      const report = ReportSchema.parse(JSON.parse(second.out.join('')));
      expect(report.findings.map((f) => f.code)).toContain('ROLLBACK');
      expect(code).toBe(1);
    } finally {
      await fsp.rm(cliWorkspace, { recursive: true, force: true });
    }
  });

  it('exits 2 with a precise message for an unknown GUN on the server', async () => {
    const io = captureIo();
    expect(await runCli(['inspect', '--server', server.url, '--gun', 'example.com/missing', '--no-save'], io)).toBe(2);
    expect(io.err.join('')).toMatch(/GUN not found on server/);
  });
});

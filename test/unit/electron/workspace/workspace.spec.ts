import { promises as fsp } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import type { InspectionReport } from '../../../../shared/inspection/report';
import { repositoryId, repositoryIdentity } from '../../../../electron/core/workspace/repo-record';
import { nextTrustedState } from '../../../../electron/core/workspace/trust-update';
import { RepositoryNotFoundError, Workspace, WorkspaceCorruptError } from '../../../../electron/core/workspace/workspace';

let dir: string;
let workspace: Workspace;
const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
const NOW = new Date('2026-01-01T00:00:00Z');

beforeEach(async () => {
  dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'keyrite-ws-'));
  workspace = new Workspace(dir);
});
afterEach(async () => {
  await fsp.rm(dir, { recursive: true, force: true });
});

describe('repository ids', () => {
  it('are a slug plus a short hash, valid for the IPC contract', () => {
    const id = repositoryId('docker.io/Acme/App', repositoryIdentity('notary-v1', 'docker.io/Acme/App', '/x'));
    expect(id).toMatch(/^docker-io-acme-app-[0-9a-f]{10}$/);
    expect(repositoryId('../..', 'x')).toMatch(/^repo-[0-9a-f]{10}$/);
    expect(repositoryId('a'.repeat(200), 'x').length).toBeLessThanOrEqual(64);
    // A Notary GUN keeps one id whatever the source; TUF repositories are told apart by location.
    expect(repositoryIdentity('notary-v1', 'g', '/a')).toBe(repositoryIdentity('notary-v1', 'g', '/b'));
    expect(repositoryIdentity('tuf-1.0', 'g', '/a')).not.toBe(repositoryIdentity('tuf-1.0', 'g', '/b'));
  });
});

describe('Workspace', () => {
  it('round-trips the trusted state with the exact root bytes and keeps the root history', async () => {
    const history = new Map([
      [1, enc('{"root":1}')],
      [2, enc('{"root":2}')],
    ]);
    await workspace.writeTrusted('repo-1', { rootVersion: 2, rootBytes: enc('{"root":2}'), versions: { targets: 4 } }, history, NOW);
    const trusted = await workspace.readTrusted('repo-1');
    expect(trusted?.rootVersion).toBe(2);
    expect(new TextDecoder().decode(trusted?.rootBytes ?? new Uint8Array())).toBe('{"root":2}');
    expect(trusted?.versions).toEqual({ targets: 4 });
    expect(await workspace.rootHistoryVersions('repo-1')).toEqual([1, 2]);
  });

  it('detects a trusted root that no longer matches its record', async () => {
    await workspace.writeTrusted('repo-1', { rootVersion: 1, rootBytes: enc('{"a":1}'), versions: {} }, new Map(), NOW);
    await fsp.writeFile(path.join(dir, 'repos', 'repo-1', 'trusted-root.json'), '{"a":2}');
    await expect(workspace.readTrusted('repo-1')).rejects.toBeInstanceOf(WorkspaceCorruptError);
  });

  it('returns null for unknown repositories and refuses ids that are not ids', async () => {
    expect(await workspace.readTrusted('nothing-here')).toBeNull();
    expect(await workspace.listRecords()).toEqual([]);
    await expect(workspace.readRecord('../etc')).rejects.toBeInstanceOf(RepositoryNotFoundError);
  });

  it('removes a repository completely', async () => {
    await workspace.writeTrusted('repo-1', { rootVersion: 1, rootBytes: enc('{}'), versions: {} }, new Map(), NOW);
    expect(await workspace.remove('repo-1')).toBe(true);
    expect(await workspace.remove('repo-1')).toBe(false);
    expect(await fsp.readdir(path.join(dir, 'repos'))).toEqual([]);
  });
});

function report(overrides: Partial<InspectionReport> = {}, rootStatus: 'valid' | 'invalid' = 'valid'): InspectionReport {
  const role = (name: string, version: number, status: 'valid' | 'invalid' | 'expired' = 'valid') => ({
    name,
    kind: (name === 'root' || name === 'targets' || name === 'snapshot' || name === 'timestamp' ? name : 'delegation') as 'root',
    parent: null,
    version,
    expires: null,
    threshold: 1,
    keyids: [],
    validSignatures: 1,
    requiredSignatures: 1,
    signers: [],
    status,
    paths: null,
    pathHashPrefixes: null,
    terminating: null,
    targetCount: 0,
    length: null,
    sha256: null,
  });
  return {
    schemaVersion: 1,
    source: { kind: 'metadata-dir', location: '/x' },
    dialect: 'notary-v1',
    name: 'g',
    evaluatedAt: NOW.toISOString(),
    health: 'healthy',
    roles: [role('root', 3, rootStatus), role('targets', 5), role('snapshot', 2, 'invalid'), role('timestamp', 7, 'expired')],
    keys: [],
    targets: [],
    rootHistory: [],
    findings: [],
    privateKeys: [],
    stats: { files: 4, bytes: 1, signaturesVerified: 4, durationMs: 1 },
    ...overrides,
  };
}

describe('nextTrustedState (persist only after verification)', () => {
  const input = {
    source: { kind: 'metadata-dir' as const, location: '/x' },
    dialect: null,
    name: 'g',
    files: new Map([['root', enc('{"v":3}')]]),
    rootHistory: new Map(),
  };

  it('trusts a cleanly verified root; versions of verified roles only go up', () => {
    const update = nextTrustedState(report(), input, { rootVersion: 2, rootBytes: enc('{}'), versions: { targets: 9, snapshot: 1 } });
    expect(update?.state.rootVersion).toBe(3);
    expect(update?.state.versions).toEqual({ root: 3, targets: 9, snapshot: 1, timestamp: 7 });
    expect([...(update?.history.keys() ?? [])]).toEqual([3]);
  });

  it('persists nothing when root has an error-level finding or did not verify', () => {
    const bad = report({ findings: [{ code: 'CERT_EXPIRED', severity: 'error', role: 'root', message: 'expired' }] });
    expect(nextTrustedState(bad, input, null)).toBeNull();
    const chain = report({ findings: [{ code: 'ROOT_CHAIN_BROKEN', severity: 'error', message: 'broken' }] });
    expect(nextTrustedState(chain, input, null)).toBeNull();
    expect(nextTrustedState(report({}, 'invalid'), input, null)).toBeNull();
  });

  it('never replaces trust with an older root', () => {
    expect(nextTrustedState(report(), input, { rootVersion: 4, rootBytes: enc('{}'), versions: {} })).toBeNull();
  });
});

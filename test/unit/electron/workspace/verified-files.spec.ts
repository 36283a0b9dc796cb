import { promises as fsp } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import type { VerifiedFile } from '../../../../shared/inspection/input';
import { VerifiedFilesRecord } from '../../../../electron/core/workspace/repo-record';
import { Workspace, WorkspaceCorruptError } from '../../../../electron/core/workspace/workspace';
import { countTurns } from '../../../support/event-loop-turns';

let dir: string;
let workspace: Workspace;
const NOW = new Date('2026-01-01T00:00:00Z');
const ROOT = new TextEncoder().encode('{"root":1}');

beforeEach(async () => {
  dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'keyrite-verified-'));
  workspace = new Workspace(dir);
});
afterEach(async () => {
  await fsp.rm(dir, { recursive: true, force: true });
});

const entry = (i: number): VerifiedFile => ({
  sha256: i.toString(16).padStart(64, '0'),
  length: 100 + i,
  version: 1,
  expires: '2030-01-01T00:00:00Z',
  parentSha256: 'f'.repeat(64),
  signers: ['k1'],
  targetCount: i % 139,
});

function files(count: number): Record<string, VerifiedFile> {
  const out = Object.fromEntries(Array.from({ length: count }, (_, i) => [`bins/${i.toString(16)}`, entry(i)]));
  // A role name that is also a prototype key must stay a record.
  Object.defineProperty(out, '__proto__', { value: entry(7), enumerable: true, configurable: true, writable: true });
  return out;
}

describe('verified-files.json', () => {
  it('round-trips 5,000 records (in batches) in the VerifiedFilesRecord shape', async () => {
    const written = files(5000);
    const turns = countTurns();
    await workspace.writeTrusted('repo-1', { rootVersion: 1, rootBytes: ROOT, versions: {}, files: written }, new Map(), NOW);
    const read = await workspace.readTrusted('repo-1');
    const counted = turns.stop();
    expect(read?.files).toEqual(written);
    expect(Object.getPrototypeOf(read?.files)).toBe(Object.prototype);
    expect(Object.keys(read?.files ?? {})).toHaveLength(5001);
    const onDisk = JSON.parse(await fsp.readFile(path.join(dir, 'repos', 'repo-1', 'verified-files.json'), 'utf8')) as unknown;
    expect(VerifiedFilesRecord.parse(onDisk).files['bins/a']).toEqual(entry(10));
    // 5,001 records are checked 1,024 at a time when written and again when read.
    expect(counted).toBeGreaterThanOrEqual(8);
  });

  it('never writes a malformed record, and names the file when one is read', async () => {
    const bad = { ...files(3000), 'bins/bad': { ...entry(1), sha256: 'NOT-HEX' } };
    await expect(workspace.writeTrusted('repo-1', { rootVersion: 1, rootBytes: ROOT, versions: {}, files: bad }, new Map(), NOW)).rejects.toThrow();
    await expect(fsp.access(path.join(dir, 'repos', 'repo-1', 'verified-files.json'))).rejects.toThrow();

    await workspace.writeTrusted('repo-1', { rootVersion: 1, rootBytes: ROOT, versions: {}, files: files(3000) }, new Map(), NOW);
    const file = path.join(dir, 'repos', 'repo-1', 'verified-files.json');
    const stored = JSON.parse(await fsp.readFile(file, 'utf8')) as { files: Record<string, Record<string, unknown>> };
    for (const damage of [{ length: -1 }, { extra: true }, { parentSha256: 'x' }]) {
      const copy = structuredClone(stored);
      Object.assign(copy.files['bins/a'] ?? {}, damage);
      await fsp.writeFile(file, JSON.stringify(copy));
      const error = await workspace.readTrusted('repo-1').then(
        () => null,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(WorkspaceCorruptError);
      expect((error as WorkspaceCorruptError).file).toBe(file);
    }
  });
});

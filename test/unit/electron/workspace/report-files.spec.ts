import { promises as fsp } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import type { InspectionReport, TargetView } from '../../../../shared/inspection/report';
import { Workspace, WorkspaceCorruptError } from '../../../../electron/core/workspace/workspace';
import { countTurns } from '../../../support/event-loop-turns';

const ID = 'repo-1';
let dir: string;
let workspace: Workspace;
let repoDir: string;

beforeEach(async () => {
  dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'keyrite-report-'));
  workspace = new Workspace(dir);
  repoDir = path.join(dir, 'repos', ID);
});
afterEach(async () => {
  await fsp.rm(dir, { recursive: true, force: true });
});

function rows(count: number, tag = 'v1'): TargetView[] {
  return Array.from({ length: count }, (_, i) => ({
    name: `pkg/${tag}/${i}.whl`,
    length: i,
    hashes: { sha256: i.toString(16).padStart(64, '0') },
    role: `bin-${i % 7}`,
    signers: ['bin-n'],
    // Text that JSON escapes: a stored line must never be split inside a row.
    ...(i % 1000 === 0 ? { custom: { note: 'line\nbreak\u2028sep "quoted"' } } : {}),
  }));
}

function report(targets: TargetView[]): InspectionReport {
  return {
    schemaVersion: 1,
    source: { kind: 'tuf-dir', location: '/repo' },
    dialect: 'tuf-1.0',
    name: 'repo',
    evaluatedAt: '2026-01-01T00:00:00.000Z',
    health: 'healthy',
    roles: [],
    keys: [],
    targets,
    rootHistory: [],
    findings: [],
    privateKeys: [],
    stats: { files: 4, bytes: 1, signaturesVerified: 4, durationMs: 1 },
  };
}

const rowsFiles = async (): Promise<string[]> => (await fsp.readdir(repoDir)).filter((f) => f.startsWith('targets-')).sort();

describe('stored reports', () => {
  it('keep the rows beside a small head, and read them back exactly (20,000 rows: three lines)', async () => {
    const original = report(rows(20_000));
    const stored = await workspace.writeReport(ID, original);
    expect(stored.rowCount).toBe(20_000);
    expect(await rowsFiles()).toEqual([stored.rowsFile]);
    const headText = await fsp.readFile(path.join(repoDir, 'report.json'), 'utf8');
    expect(JSON.parse(headText)).toMatchObject({ targets: [], rowsFile: stored.rowsFile, rowCount: 20_000 });
    expect(headText.length).toBeLessThan(1000);
    expect((await fsp.readFile(path.join(repoDir, stored.rowsFile ?? ''), 'utf8')).split('\n')).toHaveLength(4);

    const reread = await new Workspace(dir).readReportHead(ID);
    expect(reread).toEqual(stored);
    expect(reread?.report.targets).toEqual([]);
    expect(await workspace.readReportRows(ID, reread ?? stored)).toEqual(original.targets);
    // No temp file is left behind.
    expect((await fsp.readdir(repoDir)).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('give the event loop a turn between lines, writing and reading', async () => {
    const original = report(rows(40_000));
    const turns = countTurns();
    const stored = await workspace.writeReport(ID, original);
    const written = turns.count;
    const read = await workspace.readReportRows(ID, stored);
    const counted = turns.stop();
    expect(read).toHaveLength(40_000);
    // Five lines each way: the writer yields between lines, the reader after each line.
    expect(written).toBeGreaterThanOrEqual(4);
    expect(counted - written).toBeGreaterThanOrEqual(5);
  });

  it('replace the previous rows on every write and clean up rows an interrupted write left', async () => {
    const first = await workspace.writeReport(ID, report(rows(10, 'v1')));
    await fsp.writeFile(path.join(repoDir, 'targets-00000000000000aa.jsonl'), '[]\n');
    await fsp.writeFile(path.join(repoDir, 'targets-notes.txt'), 'not ours');
    const second = await workspace.writeReport(ID, report(rows(12, 'v2')));
    expect(second.rowsFile).not.toBe(first.rowsFile);
    expect(await rowsFiles()).toEqual([second.rowsFile, 'targets-notes.txt'].sort());
    const head = await workspace.readReportHead(ID);
    expect((await workspace.readReportRows(ID, head ?? second)).map((r) => r.name)).toEqual(rows(12, 'v2').map((r) => r.name));
    // A report without rows has no rows file.
    const empty = await workspace.writeReport(ID, report([]));
    expect(empty).toMatchObject({ rowsFile: null, rowCount: 0 });
    expect(await rowsFiles()).toEqual(['targets-notes.txt']);
  });

  it('still read a report stored with its rows inside report.json (before the split)', async () => {
    const original = report(rows(30));
    await fsp.mkdir(repoDir, { recursive: true });
    await fsp.writeFile(path.join(repoDir, 'report.json'), JSON.stringify(original));
    const head = await workspace.readReportHead(ID);
    expect(head).toMatchObject({ rowsFile: null, rowCount: 30 });
    expect(await workspace.readReportRows(ID, head ?? { report: original, rowCount: 0, rowsFile: null })).toEqual(original.targets);
  });

  it('name the file when rows are missing, torn, miscounted or not rows', async () => {
    const stored = await workspace.writeReport(ID, report(rows(9000)));
    const rowsPath = path.join(repoDir, stored.rowsFile ?? '');
    const text = await fsp.readFile(rowsPath, 'utf8');
    const cases: Array<[string, string | null]> = [
      ['torn: no final newline', text.slice(0, -1)],
      ['torn inside a line', text.slice(0, text.length / 2)],
      ['one line missing', `${text.split('\n')[0]}\n`],
      ['not rows', '[{"name":1}]\n'],
      ['not JSON', '{\n'],
      ['missing', null],
    ];
    for (const [label, content] of cases) {
      if (content === null) await fsp.rm(rowsPath);
      else await fsp.writeFile(rowsPath, content);
      const error = await workspace.readReportRows(ID, stored).then(
        () => null,
        (e: unknown) => e,
      );
      expect(error, label).toBeInstanceOf(WorkspaceCorruptError);
      expect((error as WorkspaceCorruptError).file, label).toBe(rowsPath);
    }
  });

  it('refuse a head that is null, whose rows file is not one of ours, or that also holds rows', async () => {
    const stored = await workspace.writeReport(ID, report(rows(5)));
    const headPath = path.join(repoDir, 'report.json');
    const head = JSON.parse(await fsp.readFile(headPath, 'utf8')) as Record<string, unknown>;
    const bad: unknown[] = [
      null,
      { ...head, rowsFile: '../../trusted.json' },
      { ...head, rowsFile: stored.rowsFile, rowCount: undefined },
      { ...head, targets: rows(1) },
    ];
    for (const value of bad) {
      await fsp.writeFile(headPath, JSON.stringify(value));
      await expect(workspace.readReportHead(ID)).rejects.toBeInstanceOf(WorkspaceCorruptError);
    }
  });
});

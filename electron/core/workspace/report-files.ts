import { randomBytes } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { setImmediate as nextTurn } from 'node:timers/promises';

import { z } from 'zod';

import { InspectionReport, RoleView, TargetView } from '../../../shared/inspection/report';
import { readFileCapped, writeFileAtomic, writeFileAtomicChunks } from '../fs/atomic-write';

/**
 * A repository's last report on disk, in two files so that neither writing nor reading a PEP 458
 * report (262,144 rows, ~110 MB of JSON) holds the Electron main thread for seconds:
 * - `report.json`: the report with `targets: []`, plus `rowsFile` and `rowCount` (the head: what the
 *   repository list and detail need; read and checked at start-up);
 * - `targets-<random>.jsonl`: the rows, one JSON array of up to ROWS_PER_LINE rows per line, written
 *   and read one line per event-loop turn, and read only when a targets page is first asked for.
 * The rows file gets a new name on every write and is complete (fsynced, renamed) before the head
 * that names it is written, so at every instant report.json names a complete rows file; the rows
 * file it no longer names is removed afterwards. Reports written before this layout (rows inside
 * report.json, no `rowsFile`) are still read.
 */

export const REPORT_FILE = 'report.json';
/** Same cap as one report held before the split: the head of a 16,389-role report is ~8 MB. */
export const MAX_REPORT_BYTES = 512 * 1024 * 1024;
const MAX_ROWS_BYTES = 512 * 1024 * 1024;
/** A line is ~3.5 MB: parsing and checking it takes a few tens of ms, one event-loop turn. */
const ROWS_PER_LINE = 8192;
const ROWS_FILE = /^targets-[0-9a-f]{16}\.jsonl$/;

/** Role views checked a batch per turn (a PEP 458 head holds 16,389 of them, ~150 ms in one zod call). */
const ROLES_PER_TURN = 1024;

const StoredHead = InspectionReport.extend({
  // Passed through here, checked below in batches.
  roles: z.custom<unknown[]>((value) => Array.isArray(value), 'roles must be an array'),
  rowsFile: z.string().regex(ROWS_FILE).optional(),
  rowCount: z.number().int().min(0).optional(),
});
const RowLine = z.array(TargetView);

/** A report's head as stored: `report.targets` is empty when the rows live in `rowsFile`. */
export interface StoredReport {
  report: InspectionReport;
  /** Rows the report holds (the length of `targets` once read). */
  rowCount: number;
  /** null: the rows are inside `report.targets` (the layout before the split). */
  rowsFile: string | null;
}

/** The stored rows disagree with their head, or a line is not rows (WorkspaceCorruptError's cause). */
export class ReportRowsError extends Error {
  override readonly name = 'ReportRowsError';
}

/** Writes the rows file, then the head naming it, then removes rows files no head names. */
export async function writeReportFiles(dir: string, report: InspectionReport): Promise<StoredReport> {
  const { targets, ...rest } = report;
  const rowsFile = targets.length === 0 ? null : `targets-${randomBytes(8).toString('hex')}.jsonl`;
  if (rowsFile !== null) await writeFileAtomicChunks(path.join(dir, rowsFile), rowLines(targets));
  const head = { ...rest, targets: [], ...(rowsFile === null ? {} : { rowsFile, rowCount: targets.length }) };
  await writeFileAtomic(path.join(dir, REPORT_FILE), JSON.stringify(head));
  await removeUnnamedRows(dir, rowsFile);
  return { report: { ...rest, targets: [] }, rowCount: targets.length, rowsFile };
}

/** The head from its parsed JSON (old layout: the whole report). */
export async function acceptHead(value: unknown): Promise<StoredReport> {
  const { rowsFile, rowCount, roles: unchecked, ...rest } = StoredHead.parse(value);
  const roles: RoleView[] = [];
  for (let i = 0; i < unchecked.length; i += ROLES_PER_TURN) {
    if (i > 0) await nextTurn();
    for (const role of unchecked.slice(i, i + ROLES_PER_TURN)) roles.push(RoleView.parse(role));
  }
  const report: InspectionReport = { ...rest, roles };
  if (rowsFile === undefined) return { report, rowCount: report.targets.length, rowsFile: null };
  if (rowCount === undefined || report.targets.length > 0) throw new ReportRowsError('a report that names a rows file must hold no rows itself and give their count');
  return { report, rowCount, rowsFile };
}

/** The rows of a stored report, checked line by line with a turn of the event loop between lines. */
export async function readReportRows(dir: string, stored: StoredReport): Promise<TargetView[]> {
  if (stored.rowsFile === null) return stored.report.targets;
  const file = path.join(dir, stored.rowsFile);
  const bytes = await readFileCapped(file, MAX_ROWS_BYTES);
  if (bytes === null) throw new ReportRowsError(`${stored.rowsFile} named by ${REPORT_FILE} is missing`);
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const rows: TargetView[] = [];
  for (let start = 0; start < text.length; ) {
    const newline = text.indexOf(0x0a, start);
    if (newline === -1) throw new ReportRowsError(`${stored.rowsFile} ends inside a line`);
    for (const row of RowLine.parse(JSON.parse(text.toString('utf8', start, newline)))) rows.push(row);
    start = newline + 1;
    await nextTurn();
  }
  if (rows.length !== stored.rowCount) throw new ReportRowsError(`${stored.rowsFile} holds ${rows.length} rows, ${REPORT_FILE} says ${stored.rowCount}`);
  return rows;
}

/** One line per ROWS_PER_LINE rows; JSON.stringify never emits a raw newline, so lines split cleanly. */
async function* rowLines(rows: readonly TargetView[]): AsyncGenerator<string> {
  for (let i = 0; i < rows.length; i += ROWS_PER_LINE) {
    if (i > 0) await nextTurn();
    yield `${JSON.stringify(rows.slice(i, i + ROWS_PER_LINE))}\n`;
  }
}

/**
 * Rows files the head no longer names: left by the previous write, or by a write that stopped
 * before its head. Removal is best-effort: the new report is already durable, and a file left
 * here is removed by the next write.
 */
async function removeUnnamedRows(dir: string, keep: string | null): Promise<void> {
  let entries: string[];
  try {
    entries = await fsp.readdir(dir);
  } catch {
    return;
  }
  for (const entry of entries) {
    if (entry === keep || !ROWS_FILE.test(entry)) continue;
    await fsp.rm(path.join(dir, entry), { force: true }).catch(() => undefined);
  }
}

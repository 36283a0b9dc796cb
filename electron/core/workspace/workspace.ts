import { createHash } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import path from 'node:path';

import type { TrustedState } from '../../../shared/inspection/input';
import type { InspectionReport, TargetView } from '../../../shared/inspection/report';
import { ensureDir, fsyncDir, readFileCapped, writeFileAtomic } from '../fs/atomic-write';
import { acceptHead, MAX_REPORT_BYTES, readReportRows, REPORT_FILE, writeReportFiles, type StoredReport } from './report-files';
import { RepoRecord, TrustedRecord } from './repo-record';
import { acceptVerifiedFiles, verifiedFilesRecord } from './verified-files';

export class WorkspaceCorruptError extends Error {
  override readonly name = 'WorkspaceCorruptError';
  constructor(
    readonly file: string,
    options: { cause: unknown },
  ) {
    super(`workspace file ${file} is unreadable or corrupt; remove the repository and add it again`, options);
  }
}

export class RepositoryNotFoundError extends Error {
  override readonly name = 'RepositoryNotFoundError';
  constructor(readonly id: string) {
    super(`no repository with id ${id} in the workspace`);
  }
}

const ID = /^[a-z0-9][a-z0-9-]{0,63}$/;
const MAX_RECORD_BYTES = 1024 * 1024;
const MAX_ROOT_BYTES = 1024 * 1024;
/** PEP 458: 16,384 records of ~300 bytes. */
const MAX_VERIFIED_FILES_BYTES = 64 * 1024 * 1024;

/**
 * The workspace on disk (ARCHITECTURE.md "Data on disk"):
 * `repos/<id>/{repo.json, trusted.json, trusted-root.json, root-history/N.root.json, report.json}`
 * (+ the report's rows in `targets-<random>.jsonl`: report-files.ts).
 * Every write is atomic and durable. Ids are validated before they become path components.
 */
export class Workspace {
  readonly reposDir: string;

  constructor(readonly rootDir: string) {
    this.reposDir = path.join(rootDir, 'repos');
  }

  async listRecords(): Promise<RepoRecord[]> {
    let entries: string[];
    try {
      entries = await fsp.readdir(this.reposDir);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    const records: RepoRecord[] = [];
    for (const entry of entries.filter((e) => ID.test(e)).sort()) {
      const record = await this.readRecord(entry);
      if (record) records.push(record);
    }
    return records;
  }

  async readRecord(id: string): Promise<RepoRecord | null> {
    return this.readJson(this.file(id, 'repo.json'), MAX_RECORD_BYTES, (value) => RepoRecord.parse(value));
  }

  async writeRecord(record: RepoRecord): Promise<void> {
    const dir = this.repoDir(record.id);
    await ensureDir(dir);
    await writeFileAtomic(path.join(dir, 'repo.json'), `${JSON.stringify(RepoRecord.parse(record), null, 2)}\n`);
  }

  async readTrusted(id: string): Promise<TrustedState | null> {
    const record = await this.readJson(this.file(id, 'trusted.json'), MAX_RECORD_BYTES, (value) => TrustedRecord.parse(value));
    if (!record) return null;
    const rootFile = this.file(id, 'trusted-root.json');
    const rootBytes = await readFileCapped(rootFile, MAX_ROOT_BYTES);
    // The root bytes are what the chain is verified from: a mismatch means tampering or a torn copy.
    if (!rootBytes || sha256(rootBytes) !== record.rootSha256) {
      throw new WorkspaceCorruptError(rootFile, { cause: new Error('trusted root bytes do not match trusted.json') });
    }
    const files = await this.readVerifiedFiles(id);
    return { rootVersion: record.rootVersion, rootBytes, versions: record.versions, ...(files === null ? {} : { files }) };
  }

  /**
   * TrustedState.files. Each record is self-checking (file and delegating-file hashes), so an
   * absent file simply means nothing is skipped; a corrupt one is an error like any workspace file.
   */
  private async readVerifiedFiles(id: string): Promise<NonNullable<TrustedState['files']> | null> {
    return this.readJson(this.file(id, 'verified-files.json'), MAX_VERIFIED_FILES_BYTES, acceptVerifiedFiles);
  }

  /**
   * Persists a new trusted state. Root bytes and history go first, the small record that points
   * at them last, so a crash in between leaves the previous trusted.json consistent with its root.
   */
  async writeTrusted(id: string, state: TrustedState, history: ReadonlyMap<number, Uint8Array>, now: Date): Promise<void> {
    if (!state.rootBytes) throw new Error('a trusted state must carry the root bytes');
    const dir = this.repoDir(id);
    const historyDir = path.join(dir, 'root-history');
    await ensureDir(historyDir);
    for (const [version, bytes] of history) {
      if (!Number.isSafeInteger(version) || version < 1) continue;
      await writeFileAtomic(path.join(historyDir, `${version}.root.json`), bytes);
    }
    await writeFileAtomic(path.join(dir, 'trusted-root.json'), state.rootBytes);
    const verified = path.join(dir, 'verified-files.json');
    if (state.files !== undefined) {
      await writeFileAtomic(verified, await verifiedFilesRecord(state.files));
    } else {
      await fsp.rm(verified, { force: true });
    }
    const record: TrustedRecord = {
      schemaVersion: 1,
      rootVersion: state.rootVersion,
      rootSha256: sha256(state.rootBytes),
      versions: { ...state.versions },
      updatedAt: now.toISOString(),
    };
    await writeFileAtomic(path.join(dir, 'trusted.json'), `${JSON.stringify(record, null, 2)}\n`);
  }

  /** Versions of the root history kept for this repository. */
  async rootHistoryVersions(id: string): Promise<number[]> {
    try {
      const entries = await fsp.readdir(path.join(this.repoDir(id), 'root-history'));
      return entries
        .map((e) => /^([1-9][0-9]*)\.root\.json$/.exec(e)?.[1])
        .filter((v): v is string => v !== undefined)
        .map(Number)
        .sort((a, b) => a - b);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
  }

  /** The stored report's head (no rows when they live in their own file): see report-files.ts. */
  async readReportHead(id: string): Promise<StoredReport | null> {
    return this.readJson(this.file(id, REPORT_FILE), MAX_REPORT_BYTES, acceptHead);
  }

  /** The rows of a head read by readReportHead; parsed a line per event-loop turn. */
  async readReportRows(id: string, stored: StoredReport): Promise<TargetView[]> {
    try {
      return await readReportRows(this.repoDir(id), stored);
    } catch (error) {
      throw new WorkspaceCorruptError(stored.rowsFile === null ? this.file(id, REPORT_FILE) : this.file(id, stored.rowsFile), { cause: error });
    }
  }

  async writeReport(id: string, report: InspectionReport): Promise<StoredReport> {
    const dir = this.repoDir(id);
    await ensureDir(dir);
    return writeReportFiles(dir, report);
  }

  /** Removes a repository: renamed aside first (atomic disappearance), then deleted. */
  async remove(id: string): Promise<boolean> {
    const dir = this.repoDir(id);
    const aside = path.join(this.reposDir, `.removed-${id}-${Date.now()}`);
    try {
      await fsp.rename(dir, aside);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
      throw error;
    }
    await fsyncDir(this.reposDir);
    await fsp.rm(aside, { recursive: true, force: true });
    return true;
  }

  repoDir(id: string): string {
    if (!ID.test(id)) throw new RepositoryNotFoundError(id);
    return path.join(this.reposDir, id);
  }

  private file(id: string, name: string): string {
    return path.join(this.repoDir(id), name);
  }

  /** null only when the file is absent; `parse` may take event-loop turns (large records). */
  private async readJson<T>(file: string, maxBytes: number, parse: (value: unknown) => T | Promise<T>): Promise<T | null> {
    const bytes = await readFileCapped(file, maxBytes);
    if (!bytes) return null;
    try {
      return await parse(JSON.parse(Buffer.from(bytes).toString('utf8')));
    } catch (error) {
      throw new WorkspaceCorruptError(file, { cause: error });
    }
  }

}

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

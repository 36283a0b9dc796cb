import { constants as fsConstants, promises as fsp } from 'node:fs';
import path from 'node:path';

import type { JournalEntry, JournalEntryType } from '../../../shared/ceremony/types';
import type { JsonObject } from '../../../shared/tuf/model';
import { canonicalize } from '../../../shared/tuf/canonical-json';
import { fsyncDir } from '../fs/atomic-write';
import { GENESIS_PREV, JOURNAL_ENTRY_TYPES, encodeEntryLine, entryHash, verifyJournal, type JournalVerification, type TornTail } from './chain';
import { journalLockPath } from './ceremony-lock';
import { JournalEntryError } from './errors';
import { tryWithFileLock } from './file-lock';
import { hexToPgpWords } from './pgp-words';
import { SignIntentIndex } from './sign-intents';

/** The journal can no longer be appended to in this process (a failed write, or the file changed under us). */
export class JournalClosedError extends Error {
  override readonly name = 'JournalClosedError';
}

export interface JournalOptions {
  /** Time source for `at` (tests inject a fixed clock). */
  clock?: () => Date;
  /** Refuse journals larger than this before reading them (default 64 MiB). */
  maxBytes?: number;
}

const DEFAULT_MAX_BYTES = 64 * 1024 * 1024;

/**
 * The ceremony's write-ahead journal (reference/security.md §5): append-only, hash-chained, one
 * fsync'd canonical JSON line per entry. An append returns only once the line is on stable
 * storage, so "log intent, fsync, act" holds. Appends are serialized within the process.
 */
export class Journal {
  private readonly entryList: JournalEntry[];
  private readonly intents = new SignIntentIndex();
  private verifiedLength: number;
  private queue: Promise<unknown> = Promise.resolve();
  private broken: string | null = null;

  private constructor(
    readonly filePath: string,
    entries: JournalEntry[],
    byteLength: number,
    /** The torn last line that open() truncated after a crash, if any. */
    readonly recovery: TornTail | null,
    private readonly clock: () => Date,
    /** Set when the journal was opened without the right to append (see open()). */
    readOnly: string | null = null,
  ) {
    this.broken = readOnly;
    this.entryList = entries;
    this.verifiedLength = byteLength;
    for (const entry of entries) this.intents.record(entry);
  }

  /**
   * Opens (creating if absent) and verifies the whole chain. One unterminated last line is a torn
   * write from a crash: it is truncated (fsync'd) and reported in `recovery`, but only when the
   * journal's lock is free (or ours); while another process holds it the file is left alone and this
   * Journal refuses appends. Anything else that does not verify throws JournalCorruptError naming
   * the line; the file is then left untouched.
   */
  static async open(filePath: string, options: JournalOptions = {}): Promise<Journal> {
    const dir = path.dirname(filePath);
    await makeDirsDurably(dir);
    try {
      const handle = await fsp.open(filePath, fsConstants.O_RDWR | fsConstants.O_CREAT | fsConstants.O_EXCL, 0o600);
      try {
        await handle.sync();
      } finally {
        await handle.close();
      }
      // The new directory entry must survive a power cut too, or the next open finds no journal.
      await fsyncDir(dir);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
    let loaded = await readVerified(filePath, maxBytes, false);
    let readOnly: string | null = null;
    let recovery: TornTail | null = null;
    if (loaded.tornTail !== null) {
      // Cutting the tail is a write: only under the journal's lock, so a line another process is
      // writing right now (it holds the lock) is never mistaken for a crash's torn write.
      const repaired = await tryWithFileLock(journalLockPath(filePath), { purpose: `the journal ${filePath}` }, () => readVerified(filePath, maxBytes, true));
      if (repaired.acquired) {
        loaded = repaired.value;
        recovery = loaded.tornTail;
      } else readOnly = 'another process holds its lock and is appending; reopen it once that process is done';
    }
    return new Journal(filePath, loaded.entries, loaded.validLength, recovery, options.clock ?? (() => new Date()), readOnly);
  }

  get entries(): readonly JournalEntry[] {
    return this.entryList;
  }

  /** Length of the file as verified and appended by this object (another process's appends make the file longer). */
  get byteLength(): number {
    return this.verifiedLength;
  }

  get head(): string {
    return this.entryList.at(-1)?.hash ?? GENESIS_PREV;
  }

  /** The head as 32 PGP words, for reading aloud and comparing across workstations. */
  get headWords(): string[] {
    return hexToPgpWords(this.head);
  }

  /** Time of the last entry (the clock check of catalogue #19 compares the system clock to it). */
  get lastAt(): string | null {
    return this.entryList.at(-1)?.at ?? null;
  }

  /** The payload committed for a role+version by an earlier sign-intent or signature, if any. */
  signIntent(role: string, version: number): { payloadSha256: string; seq: number } | undefined {
    return this.intents.get(role, version);
  }

  /**
   * Appends one entry and returns it once it is durable. A sign-intent (or a signature naming
   * role/version/payloadSha256) that commits a role+version to different bytes than an earlier
   * entry throws EquivocationError and appends nothing.
   */
  append(type: JournalEntryType, data: JsonObject): Promise<JournalEntry> {
    const run = this.queue.then(() => this.appendNow(type, data));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async appendNow(type: JournalEntryType, data: JsonObject): Promise<JournalEntry> {
    if (this.broken !== null) throw new JournalClosedError(`journal ${this.filePath} is closed for appends: ${this.broken}; reopen it`);
    if (!JOURNAL_ENTRY_TYPES.includes(type)) throw new JournalEntryError(`unknown journal entry type ${JSON.stringify(type)}`);
    try {
      canonicalize(data);
    } catch (error) {
      throw new JournalEntryError(`journal data must be canonical JSON: ${error instanceof Error ? error.message : String(error)}`);
    }
    this.intents.check({ type, data });
    const unsigned = { seq: this.entryList.length + 1, at: this.clock().toISOString(), type, data, prev: this.head };
    const entry: JournalEntry = { ...unsigned, hash: entryHash(unsigned) };
    await this.writeLine(encodeEntryLine(entry));
    this.entryList.push(entry);
    this.intents.record(entry);
    return entry;
  }

  private async writeLine(line: Buffer): Promise<void> {
    const handle = await fsp.open(this.filePath, fsConstants.O_WRONLY | fsConstants.O_APPEND);
    try {
      const { size } = await handle.stat();
      if (size !== this.verifiedLength) {
        this.broken = `the file is ${size} bytes on disk but ${this.verifiedLength} were verified (another process wrote to it?)`;
        throw new JournalClosedError(`journal ${this.filePath} changed on disk: ${this.broken}`);
      }
      try {
        let written = 0;
        while (written < line.length) {
          const { bytesWritten } = await handle.write(line, written, line.length - written);
          written += bytesWritten;
        }
        await handle.sync();
      } catch (error) {
        // A half-written line would become mid-file corruption at the next append: cut it off.
        this.broken = `an append failed (${error instanceof Error ? error.message : String(error)})`;
        await handle.truncate(this.verifiedLength).then(() => handle.sync());
        throw error;
      }
      this.verifiedLength += line.length;
    } finally {
      await handle.close();
    }
  }
}

/**
 * Reads and verifies the whole file; with `repair`, a torn last line is truncated (fsync'd). Without
 * it the file is left as is and the torn line is simply not part of the entries.
 */
async function readVerified(filePath: string, maxBytes: number, repair: boolean): Promise<JournalVerification> {
  const handle = await fsp.open(filePath, repair ? fsConstants.O_RDWR : fsConstants.O_RDONLY);
  try {
    const stat = await handle.stat();
    if (!stat.isFile()) throw new JournalEntryError(`${filePath} is not a regular file`);
    if (stat.size > maxBytes) throw new JournalEntryError(`${filePath} is ${stat.size} bytes, above the ${maxBytes}-byte journal cap`);
    const bytes = await handle.readFile();
    const verified = verifyJournal(bytes, { allowTornTail: true, source: filePath });
    if (repair && verified.tornTail !== null) {
      await handle.truncate(verified.tornTail.offset);
      await handle.sync();
    }
    return verified;
  } finally {
    await handle.close();
  }
}

/**
 * mkdir -p where every new directory entry is fsync'd in its parent (a fresh workspace gets
 * `ceremonies/` and `ceremonies/<id>/` at once: both entries must survive a power cut).
 */
async function makeDirsDurably(dir: string): Promise<void> {
  const first = await fsp.mkdir(dir, { recursive: true, mode: 0o700 });
  if (first === undefined) return;
  for (let d = dir; ; d = path.dirname(d)) {
    await fsyncDir(path.dirname(d));
    if (d === first || path.dirname(d) === d) break;
  }
}

/** What the ceremony service needs from the journal and token parts, as narrow interfaces (tests and the GUI inject their own). */
import type { JournalEntry, JournalEntryType } from '../../../shared/ceremony/types';
import type { JsonObject } from '../../../shared/tuf/model';
import type { TokenClient } from '../tokens/token-client';

/** The hash-chained journal (electron/core/journal `Journal` satisfies it). */
export interface CeremonyJournal {
  readonly head: string;
  readonly headWords: string[];
  readonly entries: readonly JournalEntry[];
  /** Bytes of the file this journal verified (and appended); lets the service notice another process's appends. */
  readonly byteLength?: number;
  /** Appends one entry durably (written and fsync'd before it resolves). */
  append(type: JournalEntryType, data: JsonObject): Promise<JournalEntry>;
}

/** Opens (creating if needed) the journal at a path and verifies its chain. */
export type JournalFactory = (filePath: string) => Promise<CeremonyJournal>;

/** One token client for the service's lifetime (the CLI launches a token host; the app reuses its own). */
export type TokenClientFactory = () => TokenClient;

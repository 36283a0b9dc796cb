/** The ceremony journal: append-only, hash-chained, fsync'd (reference/security.md §3, §5). */
export { Journal, JournalClosedError, type JournalOptions } from './journal';
export {
  GENESIS_PREV,
  JOURNAL_ENTRY_TYPES,
  encodeEntryLine,
  entryHash,
  verifyJournal,
  type JournalVerification,
  type TornTail,
  type VerifyJournalOptions,
} from './chain';
export { EquivocationError, JournalCorruptError, JournalEntryError } from './errors';
export { canonicalJsonLine } from './json-line';
export { SignIntentIndex, intentOf, type SignIntent } from './sign-intents';
export { bytesToPgpWords, hexToPgpWords, pgpWordsToHex, PgpWordsError } from './pgp-words';
export { PGP_EVEN_WORDS, PGP_ODD_WORDS } from './pgp-word-list';
export { ceremonyPaths, listCeremonies, readCeremonyState, writeCeremonyState, type CeremonyPaths } from './ceremony-dir';
export { ceremonyLockPath, journalLockPath, signedLedgerLockPath } from './ceremony-lock';
export {
  describeHolder,
  holdsFileLock,
  lockedInProcess,
  LockHeldError,
  lockStatus,
  tryWithFileLock,
  unlockFileLock,
  withFileLock,
  type FileLockOptions,
  type LockState,
  type UnlockResult,
} from './file-lock';
export { describeProgram, holderLiveness, type HolderLiveness, type LockHolder } from './lock-holder';
export { lockReport, type LockReport } from './lock-report';

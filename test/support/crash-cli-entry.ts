/**
 * A test-only `keyrite` CLI entry for the crash acceptance tests (test/integration/ceremony/crash-*):
 * the product CLI plus a journal hook that SIGKILLs the process. Bundled by
 * bundleCli(..., { entry }) into its own temp dir; dist/cli never contains this hook or its
 * environment variables.
 * - KEYRITE_TEST_KILL_AFTER_JOURNAL_SEQ=N: killed right after journal entry N is durable.
 * - KEYRITE_TEST_KILL_BEFORE_KEY_DONE=1: killed after a token key was generated but before its
 *   `key-generated done` entry reached the disk: the hook fires once that entry is written, so it
 *   cuts the entry off the journal again (exactly the state a crash a moment earlier leaves).
 */
import { readFileSync, openSync, fsyncSync, closeSync, ftruncateSync } from 'node:fs';
import path from 'node:path';

import type { JournalEntry } from '../../shared/ceremony/types';
import { runCli } from '../../electron/cli/cli';
import type { CliIo } from '../../electron/cli/cli-io';
import { processIo } from '../../electron/cli/cli-io';
import type { CeremonyIo } from '../../electron/cli/ceremony-context';

const killAt = Number(process.env['KEYRITE_TEST_KILL_AFTER_JOURNAL_SEQ'] ?? 'NaN');
const loseKeyDone = process.env['KEYRITE_TEST_KILL_BEFORE_KEY_DONE'] === '1';
let ceremonyId: string | null = null;

function dropLastLine(file: string): void {
  const text = readFileSync(file, 'utf8');
  const keep = text.slice(0, text.lastIndexOf('\n', text.length - 2) + 1);
  const fd = openSync(file, 'r+');
  try {
    ftruncateSync(fd, Buffer.byteLength(keep));
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

function onJournalAppend(entry: JournalEntry): void {
  if (entry.type === 'plan' && typeof entry.data['ceremonyId'] === 'string') ceremonyId = entry.data['ceremonyId'];
  if (entry.seq === killAt) process.kill(process.pid, 'SIGKILL');
  if (loseKeyDone && entry.type === 'key-generated' && entry.data['phase'] === 'done') {
    const home = process.env['KEYRITE_HOME'];
    if (!home || ceremonyId === null) throw new Error('crash-cli-entry: KEYRITE_HOME and a plan entry are needed to find the journal');
    dropLastLine(path.join(home, 'ceremonies', ceremonyId, 'journal.jsonl'));
    process.kill(process.pid, 'SIGKILL');
  }
}

const io: CliIo & Pick<CeremonyIo, 'onJournalAppend'> = { ...processIo(), onJournalAppend };

// The io object flows unchanged from runCli to the ceremony commands (CeremonyIo extends CliIo).
void runCli(process.argv.slice(2), io).then((code) => {
  process.exitCode = code;
});

/**
 * A test-only `keyrite` CLI entry for the ceremony lock tests: the product CLI plus a journal hook
 * that, after each journal entry of the command is durable, says "lock-test: holding" on stderr and
 * blocks the whole process for KEYRITE_TEST_HOLD_MS milliseconds — while it holds the ceremony's
 * lock, so another process can race it. Bundled by bundleCli(..., { entry }); dist/cli never has it.
 */
import { writeSync } from 'node:fs';

import { runCli } from '../../../../electron/cli/cli';
import { processIo, type CliIo } from '../../../../electron/cli/cli-io';
import type { CeremonyIo } from '../../../../electron/cli/ceremony-context';

const holdMs = Number(process.env['KEYRITE_TEST_HOLD_MS'] ?? '0');
const sleeper = new Int32Array(new SharedArrayBuffer(4));

function onJournalAppend(): void {
  if (!(holdMs > 0)) return;
  writeSync(2, `lock-test: holding ${process.pid}\n`);
  // Synchronous on purpose: the process stays inside the locked step, exactly like a slow token.
  Atomics.wait(sleeper, 0, 0, holdMs);
}

const io: CliIo & Pick<CeremonyIo, 'onJournalAppend'> = { ...processIo(), onJournalAppend };

void runCli(process.argv.slice(2), io).then((code) => {
  process.exitCode = code;
});

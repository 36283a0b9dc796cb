/**
 * A test-only `keyrite` CLI entry for the publish lock tests: the product CLI plus a publish-stage
 * hook that, at the stage KEYRITE_TEST_HOLD_STAGE ('checked' by default: every check passed,
 * nothing written), says "lock-test: holding" on stderr and blocks the whole process for
 * KEYRITE_TEST_HOLD_MS milliseconds — while it holds the directory's publish lock, so another
 * process can race it. Bundled by bundleCli(..., { entry }); dist/cli never has it.
 */
import { writeSync } from 'node:fs';

import { runCli } from '../../../../electron/cli/cli';
import { processIo } from '../../../../electron/cli/cli-io';
import type { PublishIo } from '../../../../electron/cli/publish-commands';
import type { TufPublishStage } from '../../../../electron/core/publish';

const holdMs = Number(process.env['KEYRITE_TEST_HOLD_MS'] ?? '0');
const holdStage = process.env['KEYRITE_TEST_HOLD_STAGE'] ?? 'checked';
const sleeper = new Int32Array(new SharedArrayBuffer(4));

function onPublishStage(stage: TufPublishStage): void {
  if (!(holdMs > 0) || stage !== holdStage) return;
  writeSync(2, `lock-test: holding ${stage} ${process.pid}\n`);
  // Synchronous on purpose: the process stays inside the locked publish, like a slow disk.
  Atomics.wait(sleeper, 0, 0, holdMs);
}

const io: PublishIo = { ...processIo(), onPublishStage };

void runCli(process.argv.slice(2), io).then((code) => {
  process.exitCode = code;
});

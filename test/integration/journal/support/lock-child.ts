/**
 * Child process for the lock tests: takes the lock at argv[2] (or, with argv[3] = "journal",
 * appends a torn half line to the journal at argv[2] while holding that journal's lock), prints
 * "held <pid>" once it holds it, and keeps it until its stdin closes (then releases and exits 0),
 * or until the test SIGKILLs it.
 */
import { appendFileSync } from 'node:fs';

import { journalLockPath, withFileLock } from '../../../../electron/core/journal';

const target = process.argv[2];
const mode = process.argv[3] ?? 'lock';
if (target === undefined) throw new Error('usage: lock-child <lock-path> [lock|journal]');
const lockPath = mode === 'journal' ? journalLockPath(target) : target;

await withFileLock(lockPath, { purpose: 'the test lock', program: 'lock-child' }, async () => {
  // A line being written right now, as seen by another process: no trailing newline yet.
  if (mode === 'journal') appendFileSync(target, '{"seq":');
  process.stdout.write(`held ${process.pid}\n`);
  await new Promise<void>((resolve) => {
    process.stdin.on('end', resolve);
    process.stdin.resume();
  });
});
process.stdout.write('released\n');

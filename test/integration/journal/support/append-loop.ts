/**
 * Child process for the SIGKILL test: appends journal entries as fast as it can and prints the
 * seq of each one only after append() returned (i.e. after fsync), so the parent knows which
 * entries were promised durable when it kills this process with SIGKILL.
 */
import { Journal } from '../../../../electron/core/journal';

const file = process.argv[2];
if (file === undefined) throw new Error('usage: append-loop <journal.jsonl>');
const journal = await Journal.open(file);
for (let i = 0; ; i++) {
  const payload = 'x'.repeat(i % 200);
  const entry = await journal.append(i % 7 === 3 ? 'sign-intent' : 'note', i % 7 === 3 ? { role: 'targets', version: 1000 + i, payloadSha256: 'ab'.repeat(32) } : { i, payload });
  process.stdout.write(`${entry.seq}\n`);
}

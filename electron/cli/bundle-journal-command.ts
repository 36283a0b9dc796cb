import path from 'node:path';

import type { Command } from 'commander';

import { BundleRejectedError, readBundle } from '../core/bundles';
import { EquivocationError, JournalCorruptError, verifyJournal, type JournalVerification } from '../core/journal';
import { EXIT, type CliIo } from './cli-io';
import { looksLikeZip, readInputFile, wordRows } from './bundle-read';

export interface VerifyJournalFlags {
  json?: boolean;
}

/**
 * Adds `verify-journal <journal.jsonl|bundle>` under the `ceremony` command (ceremony-engine owns
 * the rest of `keyrite ceremony`; it calls this on its Command).
 */
export function addVerifyJournalCommand(ceremony: Command, io: CliIo, setExit: (code: number) => void): void {
  if (ceremony.commands.some((c) => c.name() === 'verify-journal')) return;
  ceremony
    .command('verify-journal')
    .description("Check a ceremony journal's hash chain (a journal.jsonl, or the journal inside a bundle) and print its head as hex and words")
    .argument('<file>', 'ceremonies/<id>/journal.jsonl or a bundle file')
    .option('--json', 'print JSON')
    .addHelpText('after', '\nExit codes: 0 the chain verifies, 1 it does not (the first bad line is named), 2 unreadable file or usage.\n')
    .action(async (file: string, flags: VerifyJournalFlags) => setExit(await runVerifyJournal(file, flags, io)));
}

export async function runVerifyJournal(file: string, flags: VerifyJournalFlags, io: CliIo): Promise<number> {
  const bytes = await readInputFile(path.resolve(io.cwd, file));
  const source = looksLikeZip(bytes) ? 'bundle' : 'journal';
  let verified: JournalVerification;
  let manifestHead: string | null = null;
  try {
    if (source === 'bundle') {
      const bundle = await readBundle(bytes);
      if (bundle.content.journal === undefined) return fail(`${file} is a ${bundle.manifest.kind} bundle without a journal`, null);
      manifestHead = bundle.manifest.journalHead;
      verified = verifyJournal(bundle.content.journal, { source: 'journal.jsonl' });
    } else {
      verified = verifyJournal(bytes, { source: path.basename(file), allowTornTail: true });
    }
  } catch (error) {
    if (error instanceof JournalCorruptError) return fail(error.message, error.line);
    if (error instanceof EquivocationError || error instanceof BundleRejectedError) return fail(error.message, null);
    throw error;
  }
  const torn = verified.tornTail;
  const ok = torn === null;
  const counts = new Map<string, number>();
  for (const e of verified.entries) counts.set(e.type, (counts.get(e.type) ?? 0) + 1);
  if (flags.json === true) {
    io.stdout(`${JSON.stringify({ ok, file, source, entries: verified.entries.length, types: Object.fromEntries(counts), head: verified.head, headWords: verified.headWords, manifestHead, tornTail: torn, first: verified.entries[0]?.at ?? null, last: verified.entries.at(-1)?.at ?? null }, null, 2)}\n`);
    return ok ? EXIT.ok : EXIT.findings;
  }
  const out = [
    `${file}: ${verified.entries.length} journal entries, hash chain intact${source === 'bundle' ? ', matches the bundle manifest' : ''}`,
    `  entries  ${[...counts].map(([t, n]) => `${t} ${n}`).join(', ') || '(none)'}`,
    `  span     ${verified.entries[0]?.at ?? '-'} … ${verified.entries.at(-1)?.at ?? '-'}`,
    `  head     ${verified.head}`,
    wordRows(verified.headWords, '  '),
  ];
  if (torn !== null) {
    out.push(`NOT CLEAN: line ${torn.line} is an unterminated ${torn.length}-byte fragment (a write cut off by a crash); the chain above ends before it. Resuming the ceremony truncates it.`);
  }
  (ok ? io.stdout : io.stderr)(`${out.join('\n')}\n`);
  return ok ? EXIT.ok : EXIT.findings;

  function fail(message: string, line: number | null): number {
    if (flags.json === true) io.stdout(`${JSON.stringify({ ok: false, file, source, error: { message, line } }, null, 2)}\n`);
    else io.stderr(`keyrite: ${file}: journal does not verify: ${message}\n`);
    return EXIT.findings;
  }
}

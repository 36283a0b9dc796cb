/**
 * `keyrite ceremony record <id> --bag-in S | --bag-out S | --backup DESC [--backup-verified]`:
 * journals the physical controls of security.md §3 (tamper-evident bag serials in and out, backups
 * made and verified) as `record` entries, hash-chained with the rest of the transcript.
 */
import { Option, type Command } from 'commander';

import type { ControlInput } from '../core/ceremonies';
import { CliUsageError, EXIT, type CliIo } from './cli-io';
import type { CeremonyAccessFlags } from './ceremony-context';
import { formatControls } from './ceremony-print';
import { withContext } from './ceremony-run';

interface RecordFlags extends CeremonyAccessFlags {
  bagIn?: string[];
  bagOut?: string[];
  backup?: string[];
  backupVerified?: boolean;
  operator?: string;
  json?: boolean;
}

export function addRecordCommand(cmd: Command, io: CliIo, setExit: (code: number) => void): void {
  const many = (flag: string, text: string): Option => new Option(flag, text).argParser((v: string, prev: string[] | undefined) => [...(prev ?? []), v]);
  cmd
    .description('Journal a ceremony control: tamper-evident bag serial in/out, a backup made (and verified)')
    .argument('<id>', 'ceremony id')
    .addOption(many('--bag-in <serial>', 'serial of a tamper-evident bag opened (device taken out; repeatable)'))
    .addOption(many('--bag-out <serial>', 'serial of a tamper-evident bag sealed (device put away; repeatable)'))
    .addOption(many('--backup <description>', 'a backup made (what and where; repeatable)'))
    .option('--backup-verified', 'the backup(s) named with --backup were restored/read back and checked')
    .option('--operator <name>', 'who records it')
    .option('--json', 'print the ceremony as JSON')
    .action(async (id: string, flags: RecordFlags) => setExit(await runRecord(id, flags, io)));
}

export function recordsFromFlags(flags: RecordFlags): ControlInput[] {
  const records: ControlInput[] = [
    ...(flags.bagIn ?? []).map((serial) => ({ kind: 'bag-in' as const, serial: nonEmpty(serial, '--bag-in') })),
    ...(flags.bagOut ?? []).map((serial) => ({ kind: 'bag-out' as const, serial: nonEmpty(serial, '--bag-out') })),
    ...(flags.backup ?? []).map((d) => ({ kind: 'backup' as const, description: nonEmpty(d, '--backup'), verified: flags.backupVerified === true })),
  ];
  if (flags.backupVerified && !flags.backup?.length) throw new CliUsageError('--backup-verified goes with --backup "DESCRIPTION" (the backup that was verified)');
  if (records.length === 0) throw new CliUsageError('nothing to record: give --bag-in SERIAL, --bag-out SERIAL or --backup "DESCRIPTION" [--backup-verified]');
  return records;
}

async function runRecord(id: string, flags: RecordFlags, io: CliIo): Promise<number> {
  const records = recordsFromFlags(flags);
  return withContext(flags, io, async (ctx) => {
    let view = await ctx.service.open(id);
    for (const record of records) view = await ctx.service.record(id, record, flags.operator?.trim() || null);
    io.stdout(flags.json ? `${JSON.stringify(view, null, 2)}\n` : `${formatControls(view).join('\n')}\nJournal head: ${view.journalHead}\n  ${view.journalWords.join(' ')}\n`);
    return EXIT.ok;
  });
}

function nonEmpty(value: string, flag: string): string {
  const trimmed = value.trim();
  if (trimmed === '') throw new CliUsageError(`${flag} needs a value`);
  return trimmed;
}

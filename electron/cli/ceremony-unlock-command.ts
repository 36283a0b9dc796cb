/**
 * `keyrite ceremony unlock <id> | --ledger [--force]`: removes a ceremony lock (or the workspace
 * signed ledger's) by hand. A lock whose process is provably dead on this host goes without
 * --force (any mutating command would recover it anyway); a lock taken on another host, or an
 * unreadable one, only with --force and a warning; a live holder on this host never.
 */
import type { Command } from 'commander';

import { ceremonyLockPath, describeHolder, signedLedgerLockPath, unlockFileLock, type UnlockResult } from '../core/journal';
import { CliUsageError, EXIT, resolveWorkspaceDir, type CliIo } from './cli-io';
import { printable } from './table';

interface UnlockFlags {
  ledger?: boolean;
  force?: boolean;
  workspace?: string;
}

export function addUnlockCommand(ceremony: Command, io: CliIo, setExit: (code: number) => void): void {
  if (ceremony.commands.some((c) => c.name() === 'unlock')) return;
  ceremony
    .command('unlock')
    .description('Remove a ceremony lock left behind (a crashed process, another workstation); a running holder is never unlocked')
    .argument('[id]', 'ceremony id')
    .option('--ledger', "the workspace signed ledger's lock instead of a ceremony's")
    .option('--force', 'also remove a lock taken on another host (or an unreadable one): only if that Keyrite has certainly stopped')
    .option('--workspace <dir>', 'workspace directory (default $KEYRITE_HOME or ~/.keyrite)')
    .action(async (id: string | undefined, flags: UnlockFlags) => setExit(await runUnlock(id, flags, io)));
}

export async function runUnlock(id: string | undefined, flags: UnlockFlags, io: CliIo): Promise<number> {
  if ((id === undefined) === (flags.ledger !== true)) throw new CliUsageError('name a ceremony id, or give --ledger (not both)');
  const workspaceDir = resolveWorkspaceDir(flags.workspace, io);
  const what = id === undefined ? 'the workspace signed ledger' : `ceremony ${id}`;
  const lockPath = id === undefined ? signedLedgerLockPath(workspaceDir) : ceremonyLockPath(workspaceDir, id);
  return reportUnlock(what, await unlockFileLock(lockPath, { force: flags.force === true }), io);
}

/** Prints what an unlock did (`what`: "ceremony X", "the TUF repository DIR"); returns the exit code. */
export function reportUnlock(what: string, result: UnlockResult, io: CliIo): number {
  // printable: the holder record is read from a file anyone with write access could have put there.
  const holder = printable(describeHolder(result.holder, result.state));
  if (result.removed) {
    if (result.warning !== null) io.stderr(`keyrite: WARNING: ${printable(result.warning)}\n`);
    io.stdout(`Removed the lock of ${what} (held ${holder}).\n`);
    return EXIT.ok;
  }
  switch (result.state) {
    case 'free':
      io.stdout(`${what.charAt(0).toUpperCase()}${what.slice(1)} is not locked.\n`);
      return EXIT.ok;
    case 'held':
      io.stderr(`keyrite: refused: ${what} is locked ${holder}, and that process is running on this host; let it finish or stop it. A live lock is never removed, even with --force.\n`);
      return EXIT.findings;
    case 'foreign':
    case 'unreadable':
      io.stderr(
        `keyrite: refused: ${what} is locked ${holder}. Keyrite cannot tell from here whether that process has stopped; ` +
          `if you are sure it has, run again with --force.\n`,
      );
      return EXIT.findings;
    case 'stale':
      // Changed between our two reads (recovered or re-taken by someone else): say what is there now.
      io.stderr(`keyrite: the lock of ${what} changed while unlocking; run the command again.\n`);
      return EXIT.findings;
  }
}

/** Registers `keyrite ceremony ...`: one command per ceremony kind, and the multi-sitting commands. */
import { Option, type Command } from 'commander';

import type { CeremonyKind } from '../../shared/ceremony/types';
import { addVerifyJournalCommand } from './bundle-journal-command';
import { addRecordCommand } from './ceremony-record-command';
import { addUnlockCommand } from './ceremony-unlock-command';
import type { CliIo } from './cli-io';
import { runCeremonyKind, runExport, runMerge, runResume, runSign, runStatus, runAbort, type KindFlags } from './ceremony-run';

const HELP = `
Ceremonies run air-gapped: the input is a request bundle from "keyrite pull" (--request FILE), the
output a signed bundle for "keyrite publish" (--out FILE). Every step is journalled (hash-chained,
fsync'd) under <workspace>/ceremonies/<id>/; after a crash, "keyrite ceremony resume" carries on.

Keys: token:SERIAL:CKAID (a key on a PKCS#11 token), token-new:SERIAL:CKAID[:P-384] (generate it
there), file:KEYID (a key file of the workspace key store), keyid:KEYID (a key already in the repository).
PINs: KEYRITE_PIN_<SERIAL>, else KEYRITE_PIN or --pin-file FILE for one token only, else a hidden prompt
per token; tries left are shown, the final try needs "yes" (or --final-try), factory-default PINs are
refused. Passphrases as "keyrite keys".
Before signing, the diff, the rule checks and per-role progress are printed; type exactly "Yes" (or --yes).

Exit codes: 0 done, 1 refused / blocked / more signatures needed, 2 usage or input error.
`;

const KINDS: { kind: CeremonyKind; description: string }[] = [
  { kind: 'init', description: 'New repository: root keys (m-of-n), targets key, server keys, expiries' },
  { kind: 'rotate-root', description: 'Add/remove root keys or change the threshold (old AND new root sign; version + 1)' },
  { kind: 'rotate-key', description: 'Rotate the targets, snapshot or timestamp key (Notary: server-managed too)' },
  { kind: 'add-signer', description: 'Add a delegation signer (Notary: targets/<name> plus targets/releases)' },
  { kind: 'remove-signer', description: 'Remove a delegation signer' },
  { kind: 'recover', description: 'Recover from compromised or lost keys: impact, minimal plan, re-sign' },
  { kind: 'refresh', description: 'Re-sign roles near expiry with new versions and expiry dates' },
  { kind: 'sign-targets', description: 'Add or remove targets (the request bundle\'s target changes)' },
];

export function registerCeremonyCommands(program: Command, io: CliIo, setExit: (code: number) => void): Command {
  const ceremony = program.command('ceremony').description('Offline key ceremonies: init, rotations, signers, recovery, refresh, target signing').addHelpText('after', HELP);
  for (const { kind, description } of KINDS) {
    const cmd = ceremony.command(kind).description(description).requiredOption('--request <file>', 'request bundle from "keyrite pull"');
    addKindOptions(cmd, kind);
    addSittingOptions(cmd).option('--trusted-root <file>', "pin this root: the request's root chain must extend it (default: the workspace's trusted root)");
    cmd.action(async (flags: KindFlags) => setExit(await runCeremonyKind(kind, flags, io)));
  }
  addSittingOptions(ceremony.command('resume').description('Carry on a ceremony from its journal (after a crash, or at the next sitting)').argument('[id]', 'ceremony id (default: the only unfinished one)')).action(
    async (id: string | undefined, flags: KindFlags) => setExit(await runResume(id, flags, io)),
  );
  addSittingOptions(
    ceremony
      .command('sign')
      .description('Sign a ceremony at this sitting; with --bundle, one exported by another workstation')
      .argument('[id]', 'ceremony id')
      .option('--bundle <file>', "another workstation's partial-signature bundle to sign")
      .option('--trusted-root <file>', "with --bundle: pin this root instead of the workspace's trusted root"),
  ).action(async (id: string | undefined, flags: KindFlags & { bundle?: string }) => setExit(await runSign(id, flags, io)));
  access(ceremony.command('status').description('List ceremonies, or show one: diff, checks, progress, journal head').argument('[id]', 'ceremony id').option('--json', 'print JSON')).action(
    async (id: string | undefined, flags: KindFlags) => setExit(await runStatus(id, flags, io)),
  );
  access(ceremony.command('merge').description('Merge partial-signature bundles into a ceremony').argument('<id>', 'ceremony id').argument('<bundle...>', 'partial bundles').option('--json', 'print JSON')).action(
    async (id: string, bundles: string[], flags: KindFlags) => setExit(await runMerge(id, bundles, flags, io)),
  );
  access(
    ceremony
      .command('export')
      .description('Write the signed bundle (finalizing), or with --partial a partial-signature bundle')
      .argument('<id>', 'ceremony id')
      .requiredOption('--out <file>', 'bundle file to write')
      .option('--partial', 'export the signatures so far for another sitting or workstation'),
  ).action(async (id: string, flags: KindFlags & { partial?: boolean }) => setExit(await runExport(id, flags, io)));
  access(ceremony.command('abort').description('Abandon a ceremony (journalled; nothing more is signed in it)').argument('<id>', 'ceremony id').requiredOption('--reason <text>', 'why')).action(
    async (id: string, flags: KindFlags & { reason: string }) => setExit(await runAbort(id, flags, io)),
  );
  addVerifyJournalCommand(ceremony, io, setExit);
  addUnlockCommand(ceremony, io, setExit);
  addRecordCommand(access(ceremony.command('record')), io, setExit);
  return ceremony;
}

function addKindOptions(cmd: Command, kind: CeremonyKind): void {
  const many = (flag: string, text: string): Option => new Option(flag, text).argParser((v: string, prev: string[] | undefined) => [...(prev ?? []), v]);
  const expires = many('--expires <role=time>', 'expiry per role: ROLE=YYYY-MM-DDTHH:MM:SSZ or ROLE=<days>d (repeatable)');
  switch (kind) {
    case 'init':
      cmd.addOption(many('--root-key <key>', 'root key (repeatable: m-of-n)')).option('--threshold <n>', 'root threshold (default 1)');
      cmd.addOption(many('--targets-key <key>', 'targets key (repeatable)')).option('--targets-threshold <n>', 'targets threshold');
      cmd.addOption(many('--snapshot-key <key>', 'TUF snapshot key')).addOption(many('--timestamp-key <key>', 'TUF timestamp key'));
      cmd.option('--online-roles <roles>', 'TUF roles signed at publish with online keys (default snapshot,timestamp)').addOption(expires);
      return;
    case 'rotate-root':
      cmd.addOption(many('--add-key <key>', 'root key to add (repeatable)')).addOption(many('--remove-key <keyid>', 'root keyid to remove (repeatable)'));
      cmd.option('--threshold <n>', 'new root threshold').addOption(expires);
      return;
    case 'rotate-key':
      cmd.addOption(many('--role <role>', 'targets, snapshot or timestamp')).addOption(many('--key <key>', 'new key (repeatable)'));
      cmd.option('--threshold <n>', 'threshold').option('--server-managed', 'Notary: let the server hold the new key');
      return;
    case 'add-signer':
      cmd.option('--name <name>', 'signer name (Notary: targets/<name> + targets/releases)').addOption(many('--key <key>', "the signer's key (repeatable)"));
      cmd.option('--threshold <n>', 'threshold').addOption(many('--paths <path>', 'TUF path patterns (repeatable)')).option('--terminating', 'TUF terminating delegation').option('--parent <role>', 'delegating role');
      return;
    case 'remove-signer':
      cmd.option('--name <name>', 'signer name').option('--parent <role>', 'delegating role');
      return;
    case 'recover':
      cmd.addOption(many('--compromised <keyid>', 'compromised key (repeatable)')).addOption(many('--lost <keyid>', 'lost key (repeatable)'));
      cmd.addOption(many('--lost-token <serial>', 'lost token: every key of the repository the inventory knows on it is lost (repeatable)'));
      cmd.addOption(many('--replace <role=key>', 'replacement key for a role (repeatable)')).addOption(many('--role-threshold <role=n>', 'new threshold for a role'));
      cmd.addOption(many('--drop-targets <role[=path]>', 'drop targets the compromised keys could have signed from a re-signed role (all of them, or one path; repeatable)'));
      cmd.addOption(many('--acknowledge-targets <role>', 'keep the suspect targets of a role after checking each one (repeatable)'));
      return;
    case 'refresh':
      cmd.addOption(many('--role <role>', 'role to re-sign (repeatable; default: those near expiry)')).addOption(expires);
      return;
    case 'sign-targets':
      return;
  }
}

function access(cmd: Command): Command {
  return cmd
    .option('--workspace <dir>', 'workspace directory (default $KEYRITE_HOME or ~/.keyrite)')
    .option('--module <module>', 'PKCS#11 module: ykcs11, opensc, softhsm2 or a path', 'ykcs11')
    .option('--pin-file <file>', 'token PIN from FILE (one token per run; others: KEYRITE_PIN_<SERIAL> or the prompt)')
    .option('--final-try', "use a token's last PIN try without asking")
    .option('--passphrase-file <file>', 'key-file passphrase from FILE')
    .option('--now <time>', 'operator-confirmed reference time (RFC 3339 UTC) used as the ceremony clock');
}

function addSittingOptions(cmd: Command): Command {
  return access(cmd)
    .option('--ceremony-id <id>', 'choose the ceremony id (default: kind-time-random)')
    .option('--yes', 'confirm without the interactive "Yes" prompt (after reviewing the printed proposal)')
    .option('--no-sign', 'only prepare and show the proposal; sign in a later sitting')
    .addOption(new Option('--sign-with <key>', 'sign only with these keys at this sitting (repeatable)').argParser((v: string, prev: string[] | undefined) => [...(prev ?? []), v]))
    .option('--out <file>', 'signed bundle to write once every threshold is met')
    .option('--partial-out <file>', 'partial-signature bundle to write when signatures are still missing')
    .option('--json', 'print the ceremony as JSON')
    .option('--operator <name>', 'ceremony operator (with --witness; journalled with the plan and this sitting\'s "Yes")')
    .option('--witness <name>', 'witness of the ceremony, not the operator (with --operator)');
}

/** Registers `keyrite keys ...` on the program (commander). */
import { Option, type Command } from 'commander';

import type { CliIo } from './cli-io';
import { GENERATE_ALGORITHMS, runKeysGenerate, type KeysGenerateFlags } from './keys-add-commands';
import { runKeysImport, type KeysImportFlags } from './keys-import';
import { runKeysAttest, type KeysAttestFlags } from './keys-attest';
import { runKeysExport, runKeysPasswd, runKeysRemove, type KeysExportFlags, type KeysPasswdFlags, type KeysRemoveFlags } from './keys-custody-commands';
import { runKeysList, type KeysListFlags } from './keys-list';

const KEYS_HELP = `
Keys live in the workspace (--workspace DIR, else $KEYRITE_HOME, else ~/.keyrite) under keys/:
encrypted key files (*.krkey) and the inventory (keys/inventory.json). Key files are never
overwritten or deleted: passphrase changes and removals move the old file to keys/quarantine/.

Passphrases: --passphrase-file FILE, else $KEYRITE_PASSPHRASE, else the Notary/Docker variable for
the key's role (NOTARY_ROOT_PASSPHRASE, NOTARY_TARGETS_PASSPHRASE, NOTARY_SNAPSHOT_PASSPHRASE,
NOTARY_DELEGATION_PASSPHRASE, DOCKER_CONTENT_TRUST_ROOT_PASSPHRASE,
DOCKER_CONTENT_TRUST_REPOSITORY_PASSPHRASE), else a prompt on the terminal.

Exit codes: 0 done, 1 refused (unreadable key files in list, attestation not verified), 2 usage or input error.
`;

export function registerKeysCommands(program: Command, io: CliIo, setExit: (code: number) => void): void {
  const keys = program.command('keys').description('Software keys, the key inventory and YubiKey attestation').addHelpText('after', KEYS_HELP);
  const workspace = (): Option => new Option('--workspace <dir>', 'workspace directory (default $KEYRITE_HOME or ~/.keyrite)');
  const passphraseFile = (): Option => new Option('--passphrase-file <file>', 'read the passphrase from FILE (first line)');

  keys
    .command('list')
    .description('Keys in the inventory and the workspace key store: IDs in both dialects, roles, GUN, label, holder, location')
    .option('--json', 'print JSON')
    .addOption(workspace())
    .action(async (flags: KeysListFlags) => setExit(await runKeysList(flags, io)));

  keys
    .command('generate')
    .description('Generate a software key, encrypted at rest in the workspace key store')
    .addOption(new Option('--algorithm <alg>', 'key algorithm').choices(GENERATE_ALGORITHMS).makeOptionMandatory())
    .requiredOption('--role <role>', 'role the key serves: root, targets, snapshot, timestamp or a delegation (targets/releases)')
    .option('--gun <gun>', 'repository (GUN) the key serves; required for targets, snapshot and timestamp')
    .option('--label <label>', 'a label for the key')
    .option('--holder <holder>', 'who holds the key (person or team)')
    .addOption(passphraseFile())
    .option('--json', 'print JSON')
    .addOption(workspace())
    .action(async (flags: KeysGenerateFlags) => setExit(await runKeysGenerate(flags, io)));

  keys
    .command('import')
    .description('Import Notary/Docker key files (PKCS#8 or legacy notary 0.1-0.3), whole trust dirs, or Keyrite key files')
    .argument('<file...>', 'key files (e.g. ~/.docker/trust/private/<id>.key) or trust dirs (~/.docker/trust, ~/.notary)')
    .option('--gun <gun>', 'repository (GUN) when the file has no gun: header')
    .option('--role <role>', 'role when the file has no role: header')
    .option('--holder <holder>', 'who holds the key')
    .addOption(passphraseFile())
    .option('--json', 'print JSON')
    .addOption(workspace())
    .action(async (files: string[], flags: KeysImportFlags) => setExit(await runKeysImport(files, flags, io)));

  keys
    .command('export')
    .description('Write a copy of a key to a new file (never overwrites)')
    .argument('<id>', 'Notary or TUF key ID (or a prefix of at least 7 characters)')
    .addOption(new Option('--format <format>', 'notary: encrypted PKCS#8 PEM for notary/docker; keyrite: a copy of the encrypted key file').choices(['notary', 'keyrite']).makeOptionMandatory())
    .requiredOption('-o, --output <file>', 'destination file (must not exist)')
    .addOption(passphraseFile())
    .addOption(workspace())
    .action(async (id: string, flags: KeysExportFlags) => setExit(await runKeysExport(id, flags, io)));

  keys
    .command('passwd')
    .description('Change the passphrase of a key (the old file is quarantined once the new one is verified)')
    .argument('<id>', 'Notary or TUF key ID (or a prefix)')
    .addOption(passphraseFile())
    .option('--new-passphrase-file <file>', 'read the new passphrase from FILE (else $KEYRITE_NEW_PASSPHRASE, else a prompt)')
    .addOption(workspace())
    .action(async (id: string, flags: KeysPasswdFlags) => setExit(await runKeysPasswd(id, flags, io)));

  keys
    .command('remove')
    .description('Retire a key file after verifying a backup holds the same key (moved to quarantine, never deleted)')
    .argument('<id>', 'Notary or TUF key ID (or a prefix)')
    .requiredOption('--backup <file>', 'a copy of the key (from "keyrite keys export")')
    .addOption(new Option('--backup-format <format>', 'format of the backup').choices(['keyrite', 'notary']).default('keyrite'))
    .addOption(passphraseFile())
    .option('--backup-passphrase-file <file>', 'passphrase of the backup when it differs')
    .addOption(workspace())
    .action(async (id: string, flags: KeysRemoveFlags) => setExit(await runKeysRemove(id, flags, io)));

  keys
    .command('attest')
    .description('Verify a YubiKey PIV attestation and print badge, serial, firmware, PIN and touch policy')
    .requiredOption('--slot-cert <file>', "the slot's attestation certificate (PEM or DER)")
    .requiredOption('--device-cert <file>', 'the F9 device attestation certificate (PEM or DER)')
    .option('--pubkey <file>', 'the public key you expect to be attested (PEM or DER)')
    .option('--serial <n>', 'the YubiKey serial the attestation must name')
    .option('--at <time>', 'evaluate validity at this RFC 3339 time')
    .option('--json', 'print JSON')
    .action(async (flags: KeysAttestFlags) => setExit(await runKeysAttest(flags, io)));
}

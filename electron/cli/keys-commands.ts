/** Registers `keyrite keys ...` on the program (commander). */
import { Option, type Command } from 'commander';

import { CliUsageError, type CliIo } from './cli-io';
import { GENERATE_ALGORITHMS, runKeysGenerate, type KeysGenerateFlags } from './keys-add-commands';
import { runKeysImport, type KeysImportFlags } from './keys-import';
import { runKeysForget, runKeysKeychain, runKeysRemember, type KeysKeychainFlags, type KeysRememberFlags } from './keys-keychain';
import { parseTime, runKeysAttest, type KeysAttestFlags } from './keys-attest';
import { runKeysExport, runKeysPasswd, runKeysRemove, type KeysExportFlags, type KeysPasswdFlags, type KeysRemoveFlags } from './keys-custody-commands';
import { runKeysList, type KeysListFlags } from './keys-list';
import { runKeysAttestToken } from './keys-token-attest';
import { runKeysGenerateOnToken, TOKEN_CURVES, type KeysTokenGenerateFlags } from './keys-token-generate';
import { GENERATABLE_SLOTS } from '../core/tokens/token-enrollment';

const KEYS_HELP = `
Keys live in the workspace (--workspace DIR, else $KEYRITE_HOME, else ~/.keyrite) under keys/:
encrypted key files (*.krkey) and the inventory (keys/inventory.json). Key files are never
overwritten or deleted: passphrase changes and removals move the old file to keys/quarantine/.

Passphrases: --passphrase-file FILE, else $KEYRITE_PASSPHRASE, else the Notary/Docker variable for
the key's role (NOTARY_ROOT_PASSPHRASE, NOTARY_TARGETS_PASSPHRASE, NOTARY_SNAPSHOT_PASSPHRASE,
NOTARY_DELEGATION_PASSPHRASE, DOCKER_CONTENT_TRUST_ROOT_PASSPHRASE,
DOCKER_CONTENT_TRUST_REPOSITORY_PASSPHRASE), else - for an online or delegation key whose
passphrase you chose to remember - the OS keychain, else a prompt on the terminal.

OS keychain (macOS Keychain, Windows Credential Manager, Secret Service on Linux):
  keyrite keys remember ID   store the passphrase of an online (snapshot, timestamp) or delegation
                             (targets/NAME) key, after proving it opens the key file. Root and
                             targets keys are refused: an offline root's protection stays something
                             its holder knows. Token PINs are never remembered.
  keyrite keys forget ID     remove a remembered passphrase.
  keyrite keys keychain      whether a keychain is available (and why not), and the remembered
                             entries: key ID, label, roles (never the secret). --json for scripts.
A remembered passphrase is used by keys export, publish --online-key (Keyrite key files) and the
ceremony file signers when no --passphrase-file or variable is given. One that no longer opens its
key is reported ("run keyrite keys forget ID") and the prompt is used. Without a keychain (no D-Bus
session, headless) the lookup is skipped silently; each keychain call gives up after 3 s.

Exit codes: 0 done, 1 refused (unreadable key files in list, attestation not verified, a passphrase that
may not be remembered, wrong or locked PIN, final PIN try not confirmed, token slot occupied), 2 usage or
input error (a wrong passphrase, no usable keychain for remember/forget), token or module unusable.
`;

const TOKEN_GENERATE_HELP = `
On a token (--token SERIAL): P-256 in PIV slot 9c unless --slot/--curve say otherwise. The key is
generated on the token and never leaves it; its attestation is verified when the token offers one
(YubiKey) and recorded with the key in the inventory.
PIN: --pin-file FILE, else $KEYRITE_PIN, else a hidden prompt; no default PIN is ever tried. The
token's PIN state is shown; the final try needs --final-try (or "yes" at the prompt); a locked PIN
stops with the unblock path. A YubiKey generates only with its PIV management key
(--management-key-file FILE or $KEYRITE_MANAGEMENT_KEY; never a default one).

Example: keyrite keys generate --token 12345678 --role root --holder "officer 1" --module softhsm2
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
    .description('Generate a software key (encrypted at rest in the workspace key store), or with --token a key on a PKCS#11 token')
    .addOption(new Option('--algorithm <alg>', 'software key algorithm (required without --token)').choices(GENERATE_ALGORITHMS))
    .option('--role <role>', 'role the key serves: root, targets, snapshot, timestamp or a delegation (targets/releases); required without --token')
    .option('--gun <gun>', 'repository (GUN) the key serves; required for targets, snapshot and timestamp')
    .option('--label <label>', 'a label for the key')
    .option('--holder <holder>', 'who holds the key (person or team)')
    .addOption(passphraseFile())
    .option('--token <serial>', 'generate on this token instead (see "keyrite token list"); the key never leaves it')
    .addOption(new Option('--slot <slot>', 'with --token: PIV slot (CKA_ID 01/02/03/04 on other tokens)').choices([...GENERATABLE_SLOTS]).default('9c'))
    .addOption(new Option('--curve <curve>', 'with --token: EC curve').choices([...TOKEN_CURVES]).default('P-256'))
    .option('--module <module>', 'with --token: ykcs11, opensc, softhsm2 or the path of a PKCS#11 module', 'ykcs11')
    .option('--pin-file <file>', 'with --token: read the PIN from FILE (else $KEYRITE_PIN, else a hidden prompt)')
    .option('--management-key-file <file>', 'with --token on a YubiKey: the PIV management key (hex) from FILE (else $KEYRITE_MANAGEMENT_KEY, else a prompt)')
    .option('--final-try', 'with --token: allow using the last PIN try (a wrong PIN then locks the token)')
    .option('--json', 'print JSON')
    .addOption(workspace())
    .addHelpText('after', TOKEN_GENERATE_HELP)
    .action(async (flags: KeysGenerateFlags & Omit<KeysTokenGenerateFlags, 'token'> & { token?: string }) => {
      if (flags.token !== undefined) {
        if (flags.algorithm !== undefined || flags.passphraseFile !== undefined) throw new CliUsageError('--algorithm and --passphrase-file are for software keys; a token key is EC (--curve) and protected by the token PIN');
        setExit(await runKeysGenerateOnToken({ ...flags, token: flags.token }, io));
        return;
      }
      if (flags.algorithm === undefined || flags.role === undefined) throw new CliUsageError('give --algorithm and --role for a software key, or --token SERIAL to generate on a token');
      setExit(await runKeysGenerate(flags, io));
    });

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
    .command('remember')
    .description('Remember the passphrase of an online or delegation key in the OS keychain (proven against the key file first; never root or targets)')
    .argument('<id>', 'Notary or TUF key ID (or a prefix)')
    .addOption(passphraseFile())
    .addOption(workspace())
    .action(async (id: string, flags: KeysRememberFlags) => setExit(await runKeysRemember(id, flags, io)));

  keys
    .command('forget')
    .description('Remove a remembered passphrase from the OS keychain')
    .argument('<id>', 'Notary or TUF key ID (or a prefix)')
    .addOption(workspace())
    .action(async (id: string, flags: KeysRememberFlags) => setExit(await runKeysForget(id, flags, io)));

  keys
    .command('keychain')
    .description('OS keychain status (available, or why not) and the remembered entries (key ID, label, roles; never the secret)')
    .option('--json', 'print JSON')
    .addOption(workspace())
    .action(async (flags: KeysKeychainFlags) => setExit(await runKeysKeychain(flags, io)));

  keys
    .command('attest')
    .description('Verify a YubiKey PIV attestation (read from the token with --token, or given as files) and print badge, serial, firmware, PIN and touch policy')
    .option('--token <serial>', 'read the attestation of --slot from this token and record the result in the inventory')
    .addOption(new Option('--slot <slot>', 'with --token: the PIV slot').choices([...GENERATABLE_SLOTS]).default('9c'))
    .option('--module <module>', 'with --token: ykcs11 or the path of a PKCS#11 module', 'ykcs11')
    .option('--slot-cert <file>', "without --token: the slot's attestation certificate (PEM or DER)")
    .option('--device-cert <file>', 'without --token: the F9 device attestation certificate (PEM or DER)')
    .option('--pubkey <file>', 'the public key you expect to be attested (PEM or DER)')
    .option('--serial <n>', 'the YubiKey serial the attestation must name')
    .option('--at <time>', 'evaluate validity at this RFC 3339 time')
    .option('--json', 'print JSON')
    .addOption(workspace())
    .action(async (flags: KeysAttestFlags & { token?: string; slot?: string; module?: string; workspace?: string }) => {
      if (flags.token === undefined) {
        setExit(await runKeysAttest(flags, io));
        return;
      }
      if (flags.slotCert !== undefined || flags.deviceCert !== undefined || flags.pubkey !== undefined || flags.serial !== undefined) {
        throw new CliUsageError('--token reads the certificates, the key and the serial from the token: drop --slot-cert, --device-cert, --pubkey and --serial');
      }
      const { token, slot, module, json, workspace: ws } = flags;
      setExit(
        await runKeysAttestToken(
          { token, ...(slot === undefined ? {} : { slot }), ...(module === undefined ? {} : { module }), ...(json === undefined ? {} : { json }), ...(ws === undefined ? {} : { workspace: ws }), ...(flags.at === undefined ? {} : { at: parseTime(flags.at) }) },
          io,
        ),
      );
    });
}

/** Registers `keyrite token ...` on the program (commander). */
import type { Command } from 'commander';

import type { CliIo } from './cli-io';
import { runTokenList, type TokenListFlags } from './token-list';

export function registerTokenCommands(program: Command, io: CliIo, setExit: (code: number) => void): void {
  const token = program.command('token').description('PKCS#11 tokens (YubiKey PIV, OpenSC, SoftHSM2)');
  token
    .command('list')
    .description('Tokens with their PIN state (ok / count low / final try / locked) and the keys on each')
    .option('--module <module>', 'ykcs11, opensc, softhsm2 or the path of a PKCS#11 module', 'ykcs11')
    .option('--json', 'print JSON (with --watch: one event object per line)')
    .option('--watch', 'keep running and print tokens as they are attached and detached (Ctrl-C stops)')
    .option('--workspace <dir>', 'workspace whose key inventory names the roles of listed keys (default $KEYRITE_HOME or ~/.keyrite)')
    .addHelpText('after', '\nExit codes: 0 listed (or watch stopped), 2 module or token host unusable.\nWith --watch, a YubiKey plugged in or out is seen at once through USB events where available; the slot list is polled every 1.5 s in any case.\n')
    .action(async (flags: TokenListFlags) => setExit(await runTokenList(flags, io)));
}

import { Command, CommanderError, Option } from 'commander';

import { SourceError } from '../core/sources/errors';
import { EXIT, processIo, type CliIo } from './cli-io';
import { runInspect, type InspectFlags } from './inspect-command';
import { registerBundleCommands } from './bundle-commands';
import { registerCeremonyCommands } from './ceremony-commands';
import { registerKeysCommands } from './keys-commands';
import { registerPublishCommands } from './publish-commands';
import { registerPullCommands } from './pull-commands';
import { registerTokenCommands } from './token-commands';

const INSPECT_EXAMPLES = `
Sources:
  DIR             a Docker/Notary trust dir (~/.docker/trust, ~/.notary): every GUN in it,
                  or one with --gun; its private keys are listed (never decrypted)
  DIR             a metadata dir (root.json, targets.json, targets/releases.json, ...)
  DIR             a TUF repository dir (metadata/ or N.root.json, consistent snapshots)
  URL             a TUF repository over http(s): the metadata base where 1.root.json lives
  --server URL --gun GUN
                  a Notary server (e.g. https://notary.docker.io, docker.io/library/alpine)

Examples:
  keyrite inspect ~/.docker/trust --gun docker.io/acme/app
  keyrite inspect ./metadata --at 2027-01-01T00:00:00Z --warn-days 60
  keyrite inspect https://tuf-repo-cdn.sigstore.dev --json > report.json
  keyrite inspect --server https://notary.docker.io --gun docker.io/library/alpine

The workspace (--workspace DIR, else $KEYRITE_HOME, else ~/.keyrite) keeps the last verified
root and role versions, so a later inspect reports ROLLBACK and ROOT_CHANGED; --no-save skips it.

Exit codes: 0 healthy or warnings only, 1 error-level findings, 2 unusable input or usage.
--json prints the InspectionReport (schemaVersion 1); a trust dir with several GUNs and no
--gun prints an array of reports.
`;

export function buildProgram(io: CliIo, setExit: (code: number) => void): Command {
  const program = new Command('keyrite')
    .description('Keyrite: verify Docker Content Trust / Notary v1 and TUF repositories, and keep custody of their keys')
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .showHelpAfterError('(run "keyrite inspect --help" for usage)')
    .addHelpText('after', '\nExamples:\n  keyrite inspect ~/.docker/trust\n  keyrite inspect --server https://notary.example.com --gun example.com/app --json\n  keyrite keys list\n  keyrite keys import ~/.docker/trust\n  keyrite token list --module softhsm2\n\nRun "keyrite <command> --help" for options, exit codes and the workspace.');

  program
    .command('inspect')
    .description('Verify a repository: roles, signatures, keys, signed targets, expiry, root history and findings')
    .argument('[source]', 'directory (trust dir, metadata dir, TUF repository) or http(s) URL of a TUF repository')
    .option('--gun <gun>', 'Notary GUN (which repository of a trust dir; required with --server)')
    .option('--server <url>', 'Notary server URL (with --gun)')
    .option('--at <time>', 'evaluate expiry at this RFC 3339 time instead of now (e.g. 2026-01-01T00:00:00Z)')
    .addOption(new Option('--warn-days <n>', 'warn when something expires within N days').default('30'))
    .option('--json', 'print the InspectionReport as JSON')
    .option('--workspace <dir>', 'workspace directory (default $KEYRITE_HOME or ~/.keyrite)')
    .option('--no-save', 'do not update the workspace trusted state')
    .addHelpText('after', INSPECT_EXAMPLES)
    .action(async (source: string | undefined, flags: InspectFlags) => {
      setExit(await runInspect(source, flags, io));
    });
  registerKeysCommands(program, io, setExit);
  registerTokenCommands(program, io, setExit);
  registerCeremonyCommands(program, io, setExit);
  registerPullCommands(program, io, setExit);
  registerPublishCommands(program, io, setExit);
  registerBundleCommands(program, io, setExit);
  return program;
}

/** Runs the CLI and returns the exit code; every failure is a message, never a stack trace. */
export async function runCli(argv: readonly string[], io: CliIo = processIo()): Promise<number> {
  let code: number = EXIT.ok;
  const program = buildProgram(io, (c) => {
    code = c;
  });
  if (argv.length === 0) {
    io.stderr(program.helpInformation());
    return EXIT.usage;
  }
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return code;
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help' ? EXIT.ok : EXIT.usage;
    }
    // Everything that is not a report (usage, unreadable source, unusable root, network) is exit 2.
    io.stderr(`keyrite: error: ${describe(error)}\n`);
    return EXIT.usage;
  }
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  if (error instanceof SourceError) return error.message; // already says what failed and what to do
  // Named errors carry actionable messages; a cause adds the low-level reason when it differs.
  const cause = error.cause instanceof Error && !error.message.includes(error.cause.message) ? ` (${error.cause.message})` : '';
  return `${error.message}${cause}`;
}

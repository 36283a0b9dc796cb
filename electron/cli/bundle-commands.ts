/** Registers `keyrite bundle inspect|verify` (and `ceremony verify-journal` if the ceremony group lacks it). */
import type { Command } from 'commander';

import type { CliIo } from './cli-io';
import { runBundleInspect, type BundleInspectFlags } from './bundle-inspect';
import { addVerifyJournalCommand } from './bundle-journal-command';
import { runBundleVerify, type BundleVerifyFlags } from './bundle-verify';

const HELP = `
A bundle is one zip file: manifest.json (every entry with its SHA-256 and length, the journal
head), state/repo.json (the pulled repository), proposal.json, signatures/, metadata/<role>.json
(the exact signed metadata), journal.jsonl (the ceremony journal) and attestation/*.der.
A bundle with a traversal, absolute or colliding name, a link or device entry, a size or count
bomb, or any entry that disagrees with the manifest is refused whole.
`;

export function registerBundleCommands(program: Command, io: CliIo, setExit: (code: number) => void): void {
  const bundle = program.command('bundle').description('Request, partial-signature and signed bundles: inspect and verify').addHelpText('after', HELP);
  bundle
    .command('inspect')
    .description('Show what a bundle holds: repository, roles and versions, proposal diff, signatures, journal head (hex and words), entries')
    .argument('<file>', 'bundle file')
    .option('--json', 'print JSON')
    .addHelpText('after', '\nExit codes: 0 shown, 1 the bundle is refused (the reason is printed), 2 unreadable file or usage.\n')
    .action(async (file: string, flags: BundleInspectFlags) => setExit(await runBundleInspect(file, flags, io)));
  bundle
    .command('verify')
    .description("Verify a bundle: manifest digests and layout, journal chain, the manifest's journal head, metadata parsing, payloads = proposal")
    .argument('<file>', 'bundle file')
    .option('--json', 'print JSON')
    .addHelpText('after', '\nExit codes: 0 verified, 1 refused or a check failed, 2 unreadable file or usage.\n')
    .action(async (file: string, flags: BundleVerifyFlags) => setExit(await runBundleVerify(file, flags, io)));
  // `keyrite ceremony` belongs to the ceremony engine; if it did not add verify-journal itself, add it here.
  const ceremony = program.commands.find((c) => c.name() === 'ceremony') ?? program.command('ceremony').description('Offline key ceremonies');
  addVerifyJournalCommand(ceremony, io, setExit);
}

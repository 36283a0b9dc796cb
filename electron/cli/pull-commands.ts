/** Registers `keyrite pull`: the online side of a ceremony writes a request bundle. */
import path from 'node:path';

import { Option, type Command } from 'commander';

import type { RepoState } from '../../shared/ceremony/types';
import { writeBundleFile } from '../core/bundles';
import { PolicyHttpGetter } from '../core/net/http-fetch';
import { PolicyHttpPoster } from '../core/net/http-post';
import { createNetworkPolicy } from '../core/net/network-policy';
import { isHttpUrl, notaryKeyIdOf, pullNotary, pullTuf } from '../core/remote';
import { CliUsageError, EXIT, type CliIo } from './cli-io';
import { collect, targetChangesFromFlags } from './pull-target-changes';

export interface PullFlags {
  server?: string;
  gun?: string;
  tuf?: string;
  out: string;
  online?: boolean;
  snapshotKey?: 'auto' | 'always' | 'never';
  addTarget?: string[];
  removeTarget?: string[];
  targetRole?: string;
  rotateServerKey?: 'timestamp' | 'snapshot';
}

const PULL_HELP = `
Examples:
  keyrite pull --online --server https://notary.example.com --gun example.com/app --out request.bundle
  keyrite pull --online --tuf https://tuf.example.com/metadata --out request.bundle
  keyrite pull --tuf ./repository --out request.bundle --add-target app-1.2.tgz=./dist/app-1.2.tgz

The request bundle holds the current metadata, every root from version 1, the server's timestamp
(and, when it manages it, snapshot) public key, the target changes to sign, the time and a nonce.
A GUN the server does not know yet is a new repository (for "keyrite ceremony init").
Network access needs --online: Keyrite is air-gapped by default and refuses to contact any host.

Exit codes: 0 written, 2 unusable input, refused network or unreachable server.
`;

export function registerPullCommands(program: Command, io: CliIo, setExit: (code: number) => void): void {
  program
    .command('pull')
    .description('Online side: fetch a repository (Notary server or TUF) into a request bundle for an offline ceremony')
    .option('--server <url>', 'Notary server URL (with --gun)')
    .option('--gun <gun>', 'Notary GUN, e.g. docker.io/acme/app')
    .option('--tuf <url|dir>', 'TUF repository: metadata URL or directory')
    .requiredOption('--out <file>', 'request bundle to write')
    .option('--online', 'allow network access (required for --server and a --tuf URL)')
    .addOption(new Option('--snapshot-key <mode>', 'fetch the server snapshot key (Notary)').choices(['auto', 'always', 'never']).default('auto'))
    .option('--add-target <name=file>', 'a target to add in the ceremony (repeatable; the file is hashed here)', collect)
    .option('--remove-target <name>', 'a target to remove in the ceremony (repeatable)', collect)
    .option('--target-role <role>', 'role the target changes go to (default targets)')
    .addOption(new Option('--rotate-server-key <role>', 'Notary: ask the server for a NEW timestamp/snapshot key, for "ceremony rotate-key --server-managed"').choices(['timestamp', 'snapshot']))
    .addHelpText('after', PULL_HELP)
    .action(async (flags: PullFlags) => setExit(await runPull(flags, io)));
}

export async function runPull(flags: PullFlags, io: CliIo): Promise<number> {
  const notary = flags.server !== undefined || flags.gun !== undefined;
  if (notary && flags.tuf !== undefined) throw new CliUsageError('give either --server URL --gun GUN (Notary) or --tuf URL|DIR, not both');
  if (notary && (!flags.server || !flags.gun)) throw new CliUsageError('a Notary pull needs both --server URL and --gun GUN');
  if (!notary && flags.tuf === undefined) throw new CliUsageError('nothing to pull: give --server URL --gun GUN or --tuf URL|DIR');
  const networkTarget = notary ? flags.server : flags.tuf !== undefined && isHttpUrl(flags.tuf) ? flags.tuf : null;
  if (networkTarget && !flags.online) {
    throw new CliUsageError(`air-gapped mode (the default): refusing to contact ${networkTarget}; add --online on the online workstation to allow network access`);
  }
  const policy = createNetworkPolicy(flags.online ? 'online' : 'offline');
  const http = new PolicyHttpGetter(policy);
  if (flags.rotateServerKey !== undefined && !notary) throw new CliUsageError('--rotate-server-key is for a Notary pull (--server URL --gun GUN)');
  const dialect = notary ? 'notary-v1' : 'tuf-1.0';
  const targetChanges = await targetChangesFromFlags(flags, dialect, io.cwd);
  const changes = targetChanges.length > 0 ? { targetChanges } : {};
  const state = notary
    ? await pullNotary({ url: flags.server as string, gun: flags.gun as string }, { http, poster: new PolicyHttpPoster(policy) }, { snapshot: flags.snapshotKey ?? 'auto', ...changes, ...(flags.rotateServerKey ? { rotateServerKey: flags.rotateServerKey } : {}) })
    : await pullTuf(isHttpUrl(flags.tuf as string) ? (flags.tuf as string) : path.resolve(io.cwd, flags.tuf as string), { http }, changes);
  const out = path.resolve(io.cwd, flags.out);
  const written = await writeBundleFile(out, 'request', {
    repository: { dialect: state.dialect, name: state.name },
    createdAt: state.createdAt,
    nonce: state.nonce,
    state,
  });
  io.stdout(describePull(state, out, written.sha256));
  return EXIT.ok;
}

function describePull(state: RepoState, out: string, sha256: string): string {
  const lines = [`wrote request bundle ${out}`, `  repository  ${state.name} (${state.dialect})`];
  const roles = Object.keys(state.files);
  lines.push(
    roles.length === 0
      ? '  state       new repository (nothing published yet)'
      : `  state       root v${state.rootHistory.length} (history 1..${state.rootHistory.length}), ${roles.length} files: ${roles.join(', ')}`,
  );
  if (state.serverKeys.timestamp) lines.push(`  server key  timestamp ${notaryKeyIdOf(state.serverKeys.timestamp)}`);
  if (state.serverKeys.snapshot) lines.push(`  server key  snapshot  ${notaryKeyIdOf(state.serverKeys.snapshot)}`);
  for (const change of state.targetChanges ?? []) lines.push(`  target      ${change.action} ${change.path} (${change.role})`);
  lines.push(`  nonce       ${state.nonce}`, `  created     ${state.createdAt}`, `  sha256      ${sha256}`);
  return `${lines.join('\n')}\n`;
}

/** Registers `keyrite publish`: a signed bundle goes to a Notary server or into a TUF repository directory. */
import path from 'node:path';

import type { Command } from 'commander';

import { readBundleFile, type ReadBundle } from '../core/bundles';
import { PolicyHttpPoster } from '../core/net/http-post';
import { createNetworkPolicy } from '../core/net/network-policy';
import { publishTufDir, TufPublishError, type TufPublishStage } from '../core/publish';
import { publishNotary, PublishError } from '../core/remote';
import { CliUsageError, EXIT, type CliIo } from './cli-io';
import { collect } from './pull-target-changes';
import { loadOnlineKeys } from './publish-online-keys';
import { runPublishUnlock } from './publish-unlock';
import { printable } from './table';

export interface PublishFlags {
  server?: string;
  gun?: string;
  tufDir?: string;
  targetsDir?: string;
  onlineKey?: string[];
  passphraseFile?: string;
  online?: boolean;
  unlockTufDir?: string;
  force?: boolean;
}

export type PublishIo = CliIo & {
  /**
   * Told as a TUF publish passes each stage (under the directory's lock). The shipped CLI never
   * sets it; the publish lock test builds its own CLI entry that pauses here.
   */
  onPublishStage?: (stage: TufPublishStage) => void;
};

const PUBLISH_HELP = `
Examples:
  keyrite publish signed.bundle --online --server https://notary.example.com
  keyrite publish signed.bundle --tuf-dir ./repository/metadata --online-key snapshot.key --online-key timestamp.key
  keyrite publish signed.bundle --tuf-dir ./repo --targets-dir ./dist --online-key snapshot.key --online-key timestamp.key
  keyrite publish --unlock-tuf-dir ./repo

Notary: one atomic multipart POST of root, targets, delegations (and snapshot when the client holds
its key); the server signs the timestamp. It needs --online: Keyrite is air-gapped by default.
TUF: writes N.root.json (kept forever), VERSION.<role>.json and timestamp.json (last); snapshot and
timestamp are signed with the --online-key files when the ceremony did not sign them. A version
already published with other bytes is never overwritten. With --targets-dir SRC, every target file
the targets metadata lists is copied from SRC (same relative path) into DIR/targets/ as HASH.NAME
(consistent snapshots; NAME only when the root has consistent_snapshot false), its length and
hashes verified first; the target files are written before any metadata.
One publish at a time per directory: a publish holds DIR/.keyrite-publish.lock while it reads,
checks and writes; another one is refused at once, naming the holder. A lock left by a publish
that died on this host is recovered by the next one; "keyrite publish --unlock-tuf-dir DIR
[--force]" removes one by hand (--force: a lock taken on another host; a running publish never).
An interrupted publish (crash, power loss) is finished by running the same command again.

Exit codes: 0 published (or unlocked), 1 refused by the server, the repository's rules or another
publish holding the directory, 2 unusable input.
`;

export function registerPublishCommands(program: Command, io: CliIo, setExit: (code: number) => void): void {
  program
    .command('publish')
    .description('Online side: publish a signed bundle to a Notary server or a TUF repository directory')
    .argument('[bundle]', 'signed bundle from a finished ceremony')
    .option('--server <url>', 'Notary server URL')
    .option('--gun <gun>', 'Notary GUN (default: the bundle repository name)')
    .option('--tuf-dir <dir>', 'TUF repository metadata directory to write')
    .option('--targets-dir <dir>', 'with --tuf-dir: copy the listed target files from DIR into <tuf-dir>/targets/ (verified)')
    .option('--online-key <file>', 'snapshot/timestamp private key for a TUF publish (repeatable)', collect)
    .option('--passphrase-file <file>', 'passphrase of encrypted --online-key files')
    .option('--online', 'allow network access (required for --server)')
    .option('--unlock-tuf-dir <dir>', "instead of publishing: remove DIR's publish lock left by a crashed publish")
    .option('--force', 'with --unlock-tuf-dir: also a lock taken on another host (only if that publish has certainly stopped)')
    .addHelpText('after', PUBLISH_HELP)
    .action(async (bundle: string | undefined, flags: PublishFlags) => setExit(await runPublish(bundle, flags, io)));
}

export async function runPublish(bundleFile: string | undefined, flags: PublishFlags, io: PublishIo): Promise<number> {
  if (flags.unlockTufDir !== undefined) {
    const others = bundleFile !== undefined || flags.server !== undefined || flags.tufDir !== undefined || flags.targetsDir !== undefined;
    if (others) throw new CliUsageError('--unlock-tuf-dir DIR goes alone (with --force at most): it publishes nothing');
    return runPublishUnlock(flags.unlockTufDir, flags.force === true, io);
  }
  if (bundleFile === undefined) throw new CliUsageError('name the signed bundle to publish');
  if (flags.force) throw new CliUsageError('--force goes with --unlock-tuf-dir');
  if ((flags.server === undefined) === (flags.tufDir === undefined)) throw new CliUsageError('give exactly one of --server URL (Notary) or --tuf-dir DIR (TUF)');
  if (flags.targetsDir !== undefined && flags.tufDir === undefined) throw new CliUsageError('--targets-dir goes with --tuf-dir (a Notary server stores no target files)');
  if (flags.server !== undefined && !flags.online) {
    throw new CliUsageError(`air-gapped mode (the default): refusing to contact ${flags.server}; add --online on the online workstation to allow network access`);
  }
  const bundle = await readBundleFile(path.resolve(io.cwd, bundleFile));
  const { manifest, content } = bundle;
  if (manifest.kind !== 'signed') throw new CliUsageError(`${bundleFile} is a ${manifest.kind} bundle; only a signed bundle (the end of a ceremony) can be published`);
  const files = content.metadata;
  if (Object.keys(files).length === 0) throw new CliUsageError(`${bundleFile} holds no signed metadata`);
  try {
    return flags.server !== undefined ? await toNotary(bundle, flags, io) : await toTufDir(bundle, flags, io, bundleFile);
  } catch (error) {
    // Refusals by the server or by the repository's rules are results, not usage errors.
    if (error instanceof PublishError || error instanceof TufPublishError) {
      // printable: a lock record in a shared directory is anyone's text (no terminal escapes).
      io.stderr(`keyrite: publish refused: ${printable(error.message)}\n`);
      return EXIT.findings;
    }
    throw error;
  }
}

async function toNotary(bundle: ReadBundle, flags: PublishFlags, io: CliIo): Promise<number> {
  const { repository } = bundle.manifest;
  if (repository.dialect !== 'notary-v1') throw new CliUsageError(`the bundle is ${repository.dialect} metadata; publish it with --tuf-dir`);
  const gun = flags.gun ?? repository.name;
  if (flags.gun !== undefined && flags.gun !== repository.name) throw new CliUsageError(`--gun ${flags.gun} differs from the bundle's repository ${repository.name}`);
  const poster = new PolicyHttpPoster(createNetworkPolicy('online'));
  const result = await publishNotary(bundle.content.metadata, { url: flags.server as string, gun }, { poster });
  io.stdout(`published ${result.posted.join(', ')} to ${flags.server as string} for ${gun}\n`);
  if (result.skipped.length) io.stdout(`  not sent: ${result.skipped.join(', ')} (the Notary server signs its own timestamp)\n`);
  io.stdout(`  bundle sha256 ${bundle.sha256}\n`);
  return EXIT.ok;
}

async function toTufDir(bundle: ReadBundle, flags: PublishFlags, io: PublishIo, bundleFile: string): Promise<number> {
  const { repository } = bundle.manifest;
  if (repository.dialect !== 'tuf-1.0') throw new CliUsageError(`the bundle is ${repository.dialect} metadata; publish it with --server`);
  const onlineKeys = await loadOnlineKeys(flags.onlineKey ?? [], flags.passphraseFile, io);
  const expires: { snapshot?: string; timestamp?: string } = {};
  for (const role of bundle.content.proposal?.roles ?? []) {
    // The ceremony's expiry for an online role, unless it has already passed by publish time.
    const future = Date.parse(role.expires) > Date.now();
    if (role.signing === 'online' && future && (role.role === 'snapshot' || role.role === 'timestamp')) expires[role.role] = role.expires;
  }
  const dir = path.resolve(io.cwd, flags.tufDir as string);
  const targets = flags.targetsDir === undefined ? {} : { targets: { sourceDir: path.resolve(io.cwd, flags.targetsDir) } };
  const result = await publishTufDir(bundle.content.metadata, dir, {
    onlineKeys,
    expires,
    ...targets,
    // The lock record names the bundle: whoever meets the lock sees which publish holds it.
    lockProgram: `keyrite publish ${path.basename(bundleFile)}`.slice(0, 200),
    onStaleLockRecovered: (holder) => io.stderr(`keyrite: recovered a stale publish lock left by ${printable(holder.program)} (pid ${holder.pid}, since ${holder.since}; that process has exited)\n`),
    ...(io.onPublishStage === undefined ? {} : { onStage: io.onPublishStage }),
  });
  io.stdout(`published into ${dir}\n`);
  io.stdout(`  written    ${result.written.join(', ') || '(nothing new)'}\n`);
  if (result.unchanged.length) io.stdout(`  unchanged  ${result.unchanged.join(', ')} (already published with the same bytes)\n`);
  if (result.targetFiles) {
    io.stdout(`  targets    ${result.targetFiles.written.join(', ') || '(nothing new)'}\n`);
    if (result.targetFiles.unchanged.length) io.stdout(`  unchanged  ${result.targetFiles.unchanged.length} target file(s) already published\n`);
  }
  for (const warning of result.warnings) io.stdout(`  warning    ${warning}\n`);
  io.stdout(`  bundle sha256 ${bundle.sha256}\n`);
  return EXIT.ok;
}

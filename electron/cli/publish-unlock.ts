/**
 * `keyrite publish --unlock-tuf-dir DIR [--force]`: removes a TUF directory's publish lock left
 * behind, by the ceremony unlock's rules: a holder that provably died on this host goes without
 * --force (the next publish would recover it anyway), a lock from another host or an unreadable
 * one only with --force and a warning, a live publish on this host never.
 */
import path from 'node:path';

import { describeHolder } from '../core/journal';
import { unlockTufDir } from '../core/publish';
import { reportUnlock } from './ceremony-unlock-command';
import type { CliIo } from './cli-io';

export async function runPublishUnlock(dir: string, force: boolean, io: CliIo): Promise<number> {
  const resolved = path.resolve(io.cwd, dir);
  const result = await unlockTufDir(resolved, { force });
  // The journal's warning speaks of forked journals; here the risk is two publishes interleaving.
  const warning =
    result.warning === null
      ? null
      : `removed a lock ${describeHolder(result.holder, result.state)} without being able to prove that publish has stopped: ` +
        `if it is still running, two publishes can now interleave their writes into ${resolved}; make sure it has exited, then check the directory with "keyrite inspect"`;
  return reportUnlock(`the TUF repository ${resolved}`, { ...result, warning }, io);
}

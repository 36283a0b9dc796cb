/**
 * A lock's holder as status displays show it (`keyrite ceremony status`, the publish refusal):
 * read-only, never takes, recovers or removes anything. The record's token (which release and
 * recovery compare) is left out: nobody needs it to decide what to do.
 */
import { describeHolder, lockStatus, type LockState } from './file-lock';

export interface LockReport {
  lockPath: string;
  /** 'held' (alive here), 'stale' (its process died on this host), 'foreign' (another host), 'unreadable'. */
  state: Exclude<LockState, 'free'>;
  /** True only when the holder is provably dead on this host (the next writer recovers the lock). */
  stale: boolean;
  /** null when the lock file is unreadable (being written, or damaged). */
  pid: number | null;
  hostname: string | null;
  program: string | null;
  since: string | null;
  purpose: string | null;
  /** "by keyrite ceremony sign (pid 123, since …)", as the refusals say it. */
  description: string;
}

/** Who holds the lock at `lockPath`, or null when nobody does. */
export async function lockReport(lockPath: string): Promise<LockReport | null> {
  const { state, holder } = await lockStatus(lockPath);
  if (state === 'free') return null;
  return {
    lockPath,
    state,
    stale: state === 'stale',
    pid: holder?.pid ?? null,
    hostname: holder?.hostname ?? null,
    program: holder?.program ?? null,
    since: holder?.since ?? null,
    purpose: holder?.purpose ?? null,
    description: describeHolder(holder, state),
  };
}

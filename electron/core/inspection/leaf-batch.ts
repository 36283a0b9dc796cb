import { createHash, hash } from 'node:crypto';
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import path from 'node:path';

import type { InspectionLimits } from '../../../shared/inspection/context';
import type { VerifiedFile } from '../../../shared/inspection/input';
import { reuseLeafRole } from '../../../shared/inspection/leaf-reuse';
import { verifyLeafRole } from '../../../shared/inspection/leaf-role';
import type { PreverifiedRole } from '../../../shared/inspection/preverified';
import type { CryptoProvider } from '../../../shared/tuf/crypto';
import type { DelegatedRole, Dialect, Key } from '../../../shared/tuf/model';
import { FileTooLargeError, NotAFileError } from '../fs/atomic-write';
import { safeSegments } from '../fs/safe-names';
import { SourceUnavailableError } from '../sources/errors';
import { LIMITS } from '../sources/limits';

/** Everything a verifier thread needs once; batches then bring their own delegations. */
export interface LeafBatchInit {
  directory: string;
  /** The delegating file's keys (every delegation's keyids refer to these). */
  keys: ReadonlyMap<string, Key>;
  dialect: Dialect;
  limits: InspectionLimits;
  wantSha512: boolean;
}

/**
 * One batch: delegations `from`..`to` of the delegating file (`roles[k]` is delegation from + k)
 * and, per delegation, the relative file names to try. The planner parsed the delegating file
 * once; workers do not parse it again (3 MB and 16,384 roles at PEP 458 scale, per thread).
 */
export interface LeafBatch {
  from: number;
  roles: readonly DelegatedRole[];
  candidates: ReadonlyArray<readonly string[]>;
  wantRows: boolean;
  /** Per delegation: its clean verification on record (TrustedState.files), if any. */
  known?: ReadonlyArray<VerifiedFile | null>;
}

/**
 * Verifies deferred hash-bin files one at a time, straight from disk: read (into one reused
 * buffer), hash, parse, verify the exact signed bytes, scan targets, keep only the facts. Memory
 * is one file plus the facts, whatever the repository's size. Runs in a worker thread, or inline.
 */
export class LeafBatchVerifier {
  private buffer: Buffer = Buffer.allocUnsafeSlow(256 * 1024);

  constructor(
    private readonly init: LeafBatchInit,
    private readonly crypto: CryptoProvider,
  ) {}

  run(batch: LeafBatch): PreverifiedRole[] {
    const out: PreverifiedRole[] = [];
    const { keys, dialect, limits, wantSha512 } = this.init;
    for (let k = 0; k < batch.roles.length; k++) {
      const delegation = batch.roles[k] as DelegatedRole;
      const bytes = this.read(batch.candidates[k] ?? []);
      const task = { dialect, delegation, index: batch.from + k, keys, limits, wantSha512, wantRows: batch.wantRows, pathSha256Hex };
      const known = batch.known?.[k] ?? null;
      // Unchanged since a clean verification: same facts without checking the signature again.
      const reused = known === null ? null : reuseLeafRole(bytes, task, known, this.crypto);
      out.push(reused ?? verifyLeafRole(bytes, task, this.crypto));
    }
    return out;
  }

  /** The first candidate that exists; its bytes live in the reused buffer until the next read. */
  private read(candidates: readonly string[]): Uint8Array | null {
    for (const name of candidates) {
      const file = path.join(this.init.directory, ...safeSegments(name));
      let fd: number;
      try {
        fd = openSync(file, 'r');
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue;
        throw new SourceUnavailableError(`cannot read ${file}: ${(error as Error).message}`, { cause: error });
      }
      try {
        const stat = fstatSync(fd);
        if (!stat.isFile()) throw new NotAFileError(file);
        if (stat.size > LIMITS.targetsBytes) throw new FileTooLargeError(file, LIMITS.targetsBytes);
        // allocUnsafeSlow, never zero-filled: every byte handed out below was just read.
        if (this.buffer.length < stat.size + 1) this.buffer = Buffer.allocUnsafeSlow(Math.max(stat.size + 1, this.buffer.length * 2));
        let total = 0;
        for (;;) {
          const n = readSync(fd, this.buffer, total, this.buffer.length - total, total);
          if (n === 0) break;
          total += n;
          if (total > LIMITS.targetsBytes) throw new FileTooLargeError(file, LIMITS.targetsBytes);
          if (total === this.buffer.length) this.buffer = grow(this.buffer);
        }
        return this.buffer.subarray(0, total);
      } finally {
        closeSync(fd);
      }
    }
    return null;
  }
}

/** node:crypto's one-shot hash (Node >= 20.12) skips the Hash object; createHash otherwise. */
const pathSha256Hex: (text: string) => string =
  typeof hash === 'function' ? (text) => hash('sha256', text, 'hex') : (text) => createHash('sha256').update(text).digest('hex');

function grow(buffer: Buffer): Buffer {
  const bigger = Buffer.allocUnsafeSlow(buffer.length * 2);
  buffer.copy(bigger);
  return bigger;
}

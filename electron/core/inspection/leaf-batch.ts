import { createHash, hash } from 'node:crypto';
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import path from 'node:path';

import type { InspectionLimits } from '../../../shared/inspection/context';
import { verifyLeafRole } from '../../../shared/inspection/leaf-role';
import type { PreverifiedRole } from '../../../shared/inspection/preverified';
import type { CryptoProvider } from '../../../shared/tuf/crypto';
import { parseMetadata } from '../../../shared/tuf/metadata';
import type { DelegatedRole, Dialect, Key } from '../../../shared/tuf/model';
import { FileTooLargeError, NotAFileError } from '../fs/atomic-write';
import { safeSegments } from '../fs/safe-names';
import { SourceUnavailableError } from '../sources/errors';
import { LIMITS } from '../sources/limits';

/** Everything a verifier thread needs once; batches then name role indexes only. */
export interface LeafBatchInit {
  directory: string;
  /** Per delegation index: relative file names to try. */
  candidates: string[][];
  targetsBytes: Uint8Array;
  dialect: Dialect;
  limits: InspectionLimits;
  wantSha512: boolean;
}

/**
 * Verifies deferred hash-bin files one at a time, straight from disk: read (into one reused
 * buffer), hash, parse, verify the exact signed bytes, scan targets, keep only the facts. Memory
 * is one file plus the facts, whatever the repository's size. Runs in a worker thread, or inline.
 */
export class LeafBatchVerifier {
  private readonly roles: DelegatedRole[];
  private readonly keys: ReadonlyMap<string, Key>;
  private buffer: Buffer = Buffer.allocUnsafeSlow(256 * 1024);

  constructor(
    private readonly init: LeafBatchInit,
    private readonly crypto: CryptoProvider,
  ) {
    const signed = parseMetadata(init.targetsBytes, { expectedType: 'targets', dialect: init.dialect }).signed;
    this.roles = signed.delegations?.roles ?? [];
    this.keys = signed.delegations?.keys ?? new Map();
  }

  run(from: number, to: number, wantRows: boolean): PreverifiedRole[] {
    const out: PreverifiedRole[] = [];
    for (let i = from; i < to && i < this.roles.length; i++) {
      const delegation = this.roles[i] as DelegatedRole;
      const bytes = this.read(this.init.candidates[i] ?? []);
      const task = { dialect: this.init.dialect, delegation, index: i, keys: this.keys, limits: this.init.limits, wantSha512: this.init.wantSha512, wantRows, pathSha256Hex };
      out.push(verifyLeafRole(bytes, task, this.crypto));
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

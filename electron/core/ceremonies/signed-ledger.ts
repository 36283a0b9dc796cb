/**
 * Workspace-wide equivocation guard (security.md §5): before any signature, `(repository, role,
 * version) → sha256(payload)` is recorded durably, once, with O_EXCL. A later request to sign the
 * same role and version over other bytes is refused, in this ceremony or any other one on this
 * workstation (the per-ceremony journal guards the rest). Same bytes again (resume) pass.
 */
import { createHash } from 'node:crypto';
import path from 'node:path';

import { readFileCapped } from '../fs/atomic-write';
import { encodeFileComponent } from '../fs/safe-names';
import { KeyFileExistsError } from '../keys';
import { writeFileExclusive } from '../keys/exclusive-write';
import { withSignedLedgerLock, type CeremonyLockOptions } from './ceremony-lock';
import { EquivocationError } from './errors';

export class SignedLedger {
  constructor(
    private readonly dir: string,
    /** The workspace whose ledger lock serializes claims across processes (null: no lock, tests of the file format). */
    private readonly lock: { workspaceDir: string; options: CeremonyLockOptions & { waitMs?: number } } | null = null,
  ) {}

  static forWorkspace(workspaceDir: string, options: CeremonyLockOptions & { waitMs?: number } = {}): SignedLedger {
    return new SignedLedger(path.join(workspaceDir, 'ceremonies', 'signed-ledger'), { workspaceDir, options });
  }

  /**
   * Records the payload for role+version, or throws EquivocationError when other bytes were recorded.
   * Claims are serialized across processes by the ledger lock (held for milliseconds; a second
   * claimant waits, then gets CeremonyLockedError naming the holder).
   */
  async claim(repository: { dialect: string; name: string }, role: string, version: number, payloadSha256: string): Promise<void> {
    if (this.lock === null) return this.claimNow(repository, role, version, payloadSha256);
    return withSignedLedgerLock(this.lock.workspaceDir, this.lock.options, () => this.claimNow(repository, role, version, payloadSha256));
  }

  /**
   * Read-only: throws EquivocationError when this workstation already recorded other bytes for
   * role+version (signed or exported them). Used on import and merge, before anything is written.
   */
  async check(repository: { dialect: string; name: string }, role: string, version: number, payloadSha256: string): Promise<void> {
    const bytes = await readFileCapped(this.fileOf(repository, role, version), 1024);
    if (bytes === null) return;
    const recorded = Buffer.from(bytes).toString('utf8').trim();
    if (recorded !== payloadSha256) throw new EquivocationError(role, version, recorded, payloadSha256);
  }

  private fileOf(repository: { dialect: string; name: string }, role: string, version: number): string {
    const repoDir = createHash('sha256').update(`${repository.dialect}\u0000${repository.name}`).digest('hex').slice(0, 32);
    return path.join(this.dir, repoDir, `${encodeFileComponent(role)}.v${version}`);
  }

  private async claimNow(repository: { dialect: string; name: string }, role: string, version: number, payloadSha256: string): Promise<void> {
    const file = this.fileOf(repository, role, version);
    const existing = await readFileCapped(file, 1024);
    if (existing === null) {
      try {
        await writeFileExclusive(file, `${payloadSha256}\n`, 0o600);
        return;
      } catch (error) {
        // Another process claimed it between our read and write: compare with what it wrote.
        if (!(error instanceof KeyFileExistsError)) throw error;
      }
    }
    const recorded = Buffer.from((await readFileCapped(file, 1024)) ?? new Uint8Array()).toString('utf8').trim();
    if (recorded !== payloadSha256) throw new EquivocationError(role, version, recorded, payloadSha256);
  }
}

/**
 * The ceremony engine: plan → proposal → signatures → finalize → signed bundle, for every kind.
 * Every step is journalled write-ahead (intent fsync'd before the act, result after it); the state
 * is re-derived from the journal each time, so a crash at any step resumes by opening again. The
 * pure parts (proposals, rules, progress, finalize) are shared/ceremony; this service adds keys,
 * tokens, files, the journal and bundles.
 */
import { createHash, randomBytes } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import path from 'node:path';

import { PlanError, type CeremonyEnv, type ClockRecord, type KnownKey } from '../../../shared/ceremony';
import type { JournalEntry, RepoState } from '../../../shared/ceremony/types';
import { canonicalString } from '../../../shared/tuf/canonical-json';
import type { CryptoProvider } from '../../../shared/tuf/crypto';
import { ensureDir, readFileCapped, writeFileAtomic } from '../fs/atomic-write';
import type { InventoryStore } from '../inventory';
import { ceremonyLockPath, ceremonyPaths, holdsFileLock, listCeremonies, lockedInProcess, type LockHolder } from '../journal';
import type { KeyStore } from '../keys';
import type { TokenClient } from '../tokens/token-client';
import { startClockCheck, type ClockSource } from './ceremony-clock';
import { ceremonyRoles, toolIdentity, type ToolIdentity } from './ceremony-controls';
import { withCeremonyLock, type CeremonyLockOptions } from './ceremony-lock';
import { foldJournal, type CeremonyState, type PlanRecord } from './ceremony-state';
import { viewOf, type CeremonyView } from './ceremony-view';
import { CeremonyJournalError, CeremonyNotFoundError, CeremonyPhaseError } from './errors';
import type { SignerOpener } from './key-resolver';
import { proposeFromPlan } from './ceremony-propose';
import { ensureNotarySnapshotStep } from './notary-snapshot-step';
import type { EnginePlan } from './key-specs';
import type { CeremonyJournal, JournalFactory, TokenClientFactory } from './ports';
import { SignedLedger } from './signed-ledger';
import { anchoredEnv, storeAnchor, WorkspaceTrustStore, type CeremonyTrustStore, type TrustAnchor } from './ceremony-trust';

export interface CeremonyServiceDeps {
  workspaceDir: string;
  clock: () => Date;
  crypto: CryptoProvider;
  tokenClients: TokenClientFactory;
  keyStore: KeyStore;
  inventory: InventoryStore;
  journals: JournalFactory;
  /** Called after every journal append (fault injection in the crash tests; progress events in the GUI). */
  onJournalAppend?: (entry: JournalEntry) => void;
  /** Who this process is in ceremony lock files (default: from argv; "Keyrite app" under Electron). */
  lockProgram?: string;
  /** A lock left by a process that died on this host was recovered (the CLI prints it). */
  onStaleLockRecovered?: (holder: LockHolder, lockPath: string) => void;
  /** The trusted root per repository (default: the workspace's trusted state, as `keyrite inspect` keeps it). */
  trustStore?: CeremonyTrustStore;
}

/** How the service reaches private keys for acts before signing (token login, Notary root certificates). */
export interface KeyAccess {
  openSigner: SignerOpener;
  ensureTokenLogin: (tokenSerial: string) => Promise<void>;
}

const MAX_REQUEST_BYTES = 64 * 1024 * 1024;

export interface StartOptions {
  ceremonyId?: string;
  trustedRoot?: TrustAnchor;
  clockSource?: ClockSource;
  /** Named roles (both or neither; refused when equal). */
  operator?: string;
  witness?: string;
  /** Default: the running tool (toolIdentity()). */
  tool?: ToolIdentity;
}

/** One sitting's confirmation: how it was given, the witness present, the signers about to sign. */
export interface SittingConfirmOptions {
  via: string;
  witness?: string;
  signers: string[];
}

export type ControlInput = { kind: 'bag-in' | 'bag-out'; serial: string } | { kind: 'backup'; description: string; verified: boolean };

export class CeremonyService {
  private tokenClient: TokenClient | null = null;
  private readonly journals = new Map<string, CeremonyJournal>();
  readonly ledger: SignedLedger;
  readonly trust: CeremonyTrustStore;

  constructor(readonly deps: CeremonyServiceDeps) {
    this.ledger = SignedLedger.forWorkspace(deps.workspaceDir, this.lockOptions());
    this.trust = deps.trustStore ?? new WorkspaceTrustStore(deps.workspaceDir);
  }

  /** The one token client (started on first use). */
  tokens(): TokenClient {
    this.tokenClient ??= this.deps.tokenClients();
    return this.tokenClient;
  }

  /**
   * Runs `fn` holding this ceremony's lock (every mutating entry point does): another process gets
   * CeremonyLockedError; nested calls in the same call chain re-enter; the app's own concurrent
   * calls queue. The journal is re-read under the lock, since another process may have appended.
   */
  async locked<T>(id: string, fn: () => Promise<T>): Promise<T> {
    if (holdsFileLock(ceremonyLockPath(this.deps.workspaceDir, id))) return fn();
    return withCeremonyLock(this.deps.workspaceDir, id, this.lockOptions(), async () => {
      this.journals.set(id, await this.deps.journals(ceremonyPaths(this.deps.workspaceDir, id).journal));
      return fn();
    });
  }

  lockOptions(): CeremonyLockOptions {
    return {
      ...(this.deps.lockProgram === undefined ? {} : { program: this.deps.lockProgram }),
      ...(this.deps.onStaleLockRecovered === undefined ? {} : { onStaleLockRecovered: this.deps.onStaleLockRecovered }),
    };
  }

  /** Starts a ceremony: request stored, plan journalled, keys resolved (journalled acts), proposal journalled. */
  /**
   * `trustedRoot`: a root the operator pins for this ceremony (CLI --trusted-root); default the
   * workspace's trusted root of the repository; none: first use (a REQUEST_FIRST_USE warning).
   */
  async start(plan: EnginePlan, request: RepoState, access: KeyAccess, options: StartOptions = {}): Promise<CeremonyView> {
    const now = this.deps.clock();
    // Refused before anything is written (review F15c): both names or neither, two different people.
    const people = ceremonyRoles(options.operator, options.witness);
    const id = options.ceremonyId ?? newCeremonyId(plan.kind, now);
    // The workspace ledger's own directory sits among the ceremonies (review P3-5): never a ceremony id.
    if (id === 'signed-ledger') throw new CeremonyPhaseError(`"${id}" is reserved and cannot be a ceremony id`);
    // Every expiry is fixed from `now`: check it before anything is written (review F3a, sec-rules).
    const clock = await startClockCheck(this, request, now, options.clockSource ?? 'system');
    const anchor = options.trustedRoot ?? (await this.trust.trustedRoot(request));
    const controls = { ...(people ?? {}), tool: options.tool ?? toolIdentity() };
    return this.locked(id, () => this.startLocked(id, now, plan, request, access, anchor, clock, controls));
  }

  private async startLocked(
    id: string,
    now: Date,
    plan: EnginePlan,
    request: RepoState,
    access: KeyAccess,
    anchor: TrustAnchor | null,
    clock: ClockRecord,
    controls: Pick<PlanRecord, 'operator' | 'witness' | 'tool'>,
  ): Promise<CeremonyView> {
    const journal = await this.journal(id);
    if (journal.entries.length > 0) throw new CeremonyPhaseError(`ceremony ${id} already exists; resume it instead`);
    const requestSha256 = await this.storeRequest(id, request);
    const trustedRoot = await storeAnchor(this, id, anchor);
    const record: PlanRecord = {
      ceremonyId: id,
      kind: plan.kind,
      dialect: request.dialect,
      repository: request.name,
      createdAt: now.toISOString(),
      nonce: request.nonce,
      requestSha256,
      plan,
      imported: false,
      trustedRoot,
      clock,
      ...controls,
    };
    await this.append(journal, 'plan', record as unknown as Record<string, never>);
    try {
      return await this.resume(id, access);
    } catch (error) {
      // A plan the engine refuses leaves no "planned" ceremony to resume forever (review F8).
      if (error instanceof PlanError) await this.append(journal, 'aborted', { reason: `plan refused: ${error.message}` });
      throw error;
    }
  }

  /** Re-derives the state from the journal and finishes what a crash interrupted before signing. */
  async resume(id: string, access: KeyAccess): Promise<CeremonyView> {
    await this.requireExisting(id);
    return this.locked(id, () => this.resumeLocked(id, access));
  }

  private async resumeLocked(id: string, access: KeyAccess): Promise<CeremonyView> {
    let state = await this.state(id);
    if (!state.proposal && state.aborted === null) {
      await proposeFromPlan(this, id, state, access);
      state = await this.state(id);
    }
    // Notary offline snapshot key: a crash (or an import) may have left the step due but unjournalled.
    if (await ensureNotarySnapshotStep(this, id, state)) state = await this.state(id);
    return this.view(id, state);
  }

  async open(id: string): Promise<CeremonyView> {
    await this.requireExisting(id);
    return this.view(id, await this.state(id));
  }

  /**
   * Refuses an unknown id before anything touches the disk: opening a journal (or taking its lock)
   * would otherwise leave an empty ceremony folder behind, and an abort/record would start a journal.
   */
  private async requireExisting(id: string): Promise<void> {
    if (this.journals.has(id)) return;
    const file = ceremonyPaths(this.deps.workspaceDir, id).journal;
    const stat = await fsp.stat(file).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return null;
      throw error;
    });
    if (stat === null || stat.size === 0) throw new CeremonyNotFoundError(id);
  }

  async list(): Promise<CeremonyView[]> {
    const views: CeremonyView[] = [];
    for (const id of await listCeremonies(this.deps.workspaceDir)) {
      const journal = await this.journal(id);
      // An empty journal is a start that failed before its plan entry: nothing to show or resume.
      if (journal.entries.length > 0) views.push(await this.open(id));
    }
    return views;
  }

  /** The operator's confirmation gate: exactly "Yes" (IANA KSK ceremony practice). */
  /**
   * `by` names who confirmed (the operator, else how: "--yes", "terminal", "gui"). Journalled once per
   * ceremony, or once per sitting with `sitting` (review F10): who confirmed, the witness, who signs.
   */
  async confirm(id: string, typed: string, by: string | null = null, sitting?: SittingConfirmOptions): Promise<CeremonyView> {
    await this.requireExisting(id);
    return this.locked(id, () => this.confirmLocked(id, typed, by, sitting));
  }

  /** Notes a ceremony control (bag serial in/out, backup) as a `record` journal entry. */
  async record(id: string, record: ControlInput, by: string | null = null): Promise<CeremonyView> {
    await this.requireExisting(id);
    return this.locked(id, async () => {
      await this.state(id);
      await this.append(await this.journal(id), 'record', { ...record, by });
      return this.open(id);
    });
  }

  private async confirmLocked(id: string, typed: string, by: string | null, sitting: SittingConfirmOptions | undefined): Promise<CeremonyView> {
    const state = await this.state(id);
    if (!state.proposal) throw new CeremonyPhaseError(`ceremony ${id} has no proposal yet; resume it first`);
    const blocking = state.proposal.checks.filter((c) => c.severity === 'blocking' && !c.passed);
    if (blocking.length > 0) throw new CeremonyPhaseError(`ceremony ${id} cannot be confirmed: ${blocking.map((c) => `${c.code}: ${c.message}`).join('; ')}`);
    if (typed !== 'Yes') throw new CeremonyPhaseError('not confirmed: type exactly "Yes" to go on; nothing was signed');
    if (state.confirmed && !sitting) return this.open(id);
    const perSitting = sitting ? { via: sitting.via, ...(sitting.witness ? { witness: sitting.witness } : {}), signers: sitting.signers } : {};
    await this.append(await this.journal(id), 'note', { event: 'confirmed', by, ...perSitting, proposalHash: sha256Hex(canonicalString(state.proposal as never)) });
    return this.open(id);
  }

  async abort(id: string, reason: string): Promise<CeremonyView> {
    await this.requireExisting(id);
    return this.locked(id, async () => {
      await this.append(await this.journal(id), 'aborted', { reason });
      return this.open(id);
    });
  }

  /** The RepoState this ceremony answers, checked against the hash in its plan. */
  async request(id: string, state?: CeremonyState): Promise<RepoState> {
    const plan = (state ?? (await this.state(id))).plan;
    const bytes = await readFileCapped(path.join(ceremonyPaths(this.deps.workspaceDir, id).dir, 'request.json'), MAX_REQUEST_BYTES);
    if (bytes === null) throw new CeremonyJournalError(`ceremony ${id}: request.json is missing`);
    if (sha256Hex(bytes) !== plan.requestSha256) throw new CeremonyJournalError(`ceremony ${id}: request.json does not match the hash in the journal`);
    return JSON.parse(Buffer.from(bytes).toString('utf8')) as RepoState;
  }

  env(now: Date = this.deps.clock()): CeremonyEnv {
    return { crypto: this.deps.crypto, now };
  }

  /** The env a ceremony's request is verified in: its clock and the trust anchor it started with. */
  trustEnv(id: string, state: CeremonyState, now: Date): Promise<CeremonyEnv> {
    return anchoredEnv(this, id, state, now);
  }

  async state(id: string): Promise<CeremonyState> {
    const journal = await this.journal(id);
    if (journal.entries.length === 0) throw new CeremonyNotFoundError(id);
    return foldJournal(journal.entries);
  }

  async journal(id: string): Promise<CeremonyJournal> {
    const cached = this.journals.get(id);
    const paths = ceremonyPaths(this.deps.workspaceDir, id);
    // Another process (the CLI next to the app) may have appended since we read it: re-read then.
    if (cached && !(await journalChangedOnDisk(cached, paths.journal, ceremonyLockPath(this.deps.workspaceDir, id)))) return cached;
    const journal = await this.deps.journals(paths.journal);
    // A locked call may have cached a fresher journal (re-read under the lock) meanwhile: keep that one.
    const raced = this.journals.get(id);
    if (raced && raced !== cached) return raced;
    this.journals.set(id, journal);
    return journal;
  }

  async append(journal: CeremonyJournal, type: Parameters<CeremonyJournal['append']>[0], data: Parameters<CeremonyJournal['append']>[1]): Promise<void> {
    const entry = await journal.append(type, data);
    this.deps.onJournalAppend?.(entry);
  }

  async view(id: string, state: CeremonyState): Promise<CeremonyView> {
    const journal = await this.journal(id);
    return viewOf(id, state, journal, await this.knownKeys());
  }

  /** Inventory keys by SPKI hash, so proposals name holders and token serials. */
  async knownKeys(): Promise<KnownKey[]> {
    const entries = await this.deps.inventory.list();
    return entries.map((e) => ({
      spkiSha256: sha256Hex(Buffer.from(e.publicKey, 'base64')),
      signer:
        e.location.kind === 'token'
          ? { kind: 'token' as const, tokenSerial: e.location.tokenSerial, ckaId: e.location.ckaId, spkiSha256: e.location.spkiSha256 }
          : e.location.kind === 'file'
            ? { kind: 'file' as const, keyId: e.id }
            : { kind: 'external' as const },
      ...(e.holder ? { holder: e.holder } : {}),
      ...(e.location.kind === 'token' ? { tokenSerial: e.location.tokenSerial } : {}),
      ...(e.label ? { label: e.label } : {}),
    }));
  }

  async close(): Promise<void> {
    const client = this.tokenClient;
    this.tokenClient = null;
    if (client) await client.close();
  }

  /** Stores the RepoState as request.json (atomic, durable) and returns its sha256. */
  async storeRequest(id: string, request: RepoState): Promise<string> {
    const dir = ceremonyPaths(this.deps.workspaceDir, id).dir;
    await ensureDir(dir);
    const bytes = Buffer.from(`${JSON.stringify(request)}\n`, 'utf8');
    await writeFileAtomic(path.join(dir, 'request.json'), bytes);
    return sha256Hex(bytes);
  }
}

/**
 * True when the file on disk is not the length the cached journal verified and no call of this
 * process is changing it (then it is our own append in flight, not another process's).
 */
async function journalChangedOnDisk(journal: CeremonyJournal, file: string, lockPath: string): Promise<boolean> {
  if (journal.byteLength === undefined || lockedInProcess(lockPath)) return false;
  const stat = await fsp.stat(file).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return null;
    throw error;
  });
  return stat !== null && stat.size !== journal.byteLength;
}

export function sha256Hex(data: Uint8Array | string): string {
  return createHash('sha256').update(data).digest('hex');
}

function newCeremonyId(kind: string, now: Date): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  return `${kind}-${stamp}-${randomBytes(3).toString('hex')}`;
}

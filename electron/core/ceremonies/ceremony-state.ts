/**
 * A ceremony's state is never stored on its own: it is re-derived from the journal every time
 * (resume after a crash is just "open"). This fold is pure; the journal already verified the hash
 * chain and the equivocation rule.
 */
import { withNotarySnapshotStep } from '../../../shared/ceremony';
import type { ClockRecord } from '../../../shared/ceremony/clock';
import type { CeremonyKey, CeremonyKind, CollectedSignature, JournalEntry, Proposal } from '../../../shared/ceremony/types';
import type { Dialect, JsonObject, JsonValue } from '../../../shared/tuf/model';
import { confirmationOf, controlRecordOf, type ControlRecord, type SittingConfirmation, type ToolIdentity } from './ceremony-controls';
import { CeremonyJournalError } from './errors';
import type { EnginePlan } from './key-specs';

/** Journal note event of the Notary snapshot step (its proposal is appended to the ceremony's). */
export const NOTARY_SNAPSHOT_STEP = 'notary-snapshot-step';

export type CeremonyPhase = 'planned' | 'proposed' | 'signing' | 'finalized' | 'exported' | 'aborted';

export interface PlanRecord {
  ceremonyId: string;
  kind: CeremonyKind;
  dialect: Dialect;
  repository: string;
  /** The ceremony's clock: expiries and certificates are computed from it (also on resume). */
  createdAt: string;
  nonce: string;
  /** sha256 of request.json (the RepoState) in the ceremony directory. */
  requestSha256: string;
  plan: EnginePlan;
  /** Imported from another workstation's partial bundle: the proposal comes from there. */
  imported: boolean;
  /**
   * The root the request's chain was verified from (trusted-root.json beside request.json), or
   * null: first use. Absent in journals written before sec-trust (treated as null).
   */
  trustedRoot?: { sha256: string; version: number; source: 'workspace' | 'pinned'; versions?: Record<string, number> } | null;
  /** The start-of-ceremony clock check (sec-rules, review F3a): system vs operator-confirmed time, and what it was checked against. */
  clock?: ClockRecord;
  /** Named roles at the start (review F15c); absent in older journals and when none were given. */
  operator?: string;
  witness?: string;
  /** The tool that started the ceremony (review F15b); absent in older journals. */
  tool?: ToolIdentity;
}

export interface CeremonyState {
  plan: PlanRecord;
  /** Resolved keys by plan slot (key-generated entries with phase "done"). */
  keys: Record<string, CeremonyKey>;
  /** Slots whose act was announced but whose result is not in the journal (crash in between). */
  pendingKeyActs: string[];
  proposal: Proposal | null;
  confirmed: boolean;
  /** Every sitting's "Yes" (review F10), oldest first. */
  confirmations: SittingConfirmation[];
  /** Bag serials and backups noted in the journal (`record` entries). */
  records: ControlRecord[];
  signatures: CollectedSignature[];
  /** sign-intents with no signature after them (what a crash interrupted). */
  openIntents: { role: string; version: number; payloadSha256: string; keyid: string }[];
  finalized: { files: Record<string, { sha256: string; length: number }> } | null;
  exported: { path: string; sha256: string; kind: string }[];
  aborted: string | null;
  phase: CeremonyPhase;
  /** Time of the last journal entry (the clock check). */
  lastAt: string | null;
}

export function foldJournal(entries: readonly JournalEntry[]): CeremonyState {
  const first = entries[0];
  if (!first || first.type !== 'plan') throw new CeremonyJournalError('the journal does not start with a plan entry');
  const state: CeremonyState = {
    plan: first.data as unknown as PlanRecord,
    keys: {},
    pendingKeyActs: [],
    proposal: null,
    confirmed: false,
    confirmations: [],
    records: [],
    signatures: [],
    openIntents: [],
    finalized: null,
    exported: [],
    aborted: null,
    phase: 'planned',
    lastAt: entries.at(-1)?.at ?? null,
  };
  for (const entry of entries.slice(1)) apply(state, entry);
  state.phase = phaseOf(state);
  return state;
}

function apply(state: CeremonyState, entry: JournalEntry): void {
  const data = entry.data;
  switch (entry.type) {
    case 'plan':
      throw new CeremonyJournalError(`journal entry ${entry.seq}: a second plan entry`);
    case 'key-generated': {
      const slot = str(data['slot']);
      if (data['phase'] === 'intent') {
        if (!state.pendingKeyActs.includes(slot)) state.pendingKeyActs.push(slot);
      } else {
        state.keys[slot] = data['key'] as unknown as CeremonyKey;
        state.pendingKeyActs = state.pendingKeyActs.filter((s) => s !== slot);
      }
      return;
    }
    case 'proposal':
      if (state.proposal) throw new CeremonyJournalError(`journal entry ${entry.seq}: a second proposal`);
      state.proposal = data['proposal'] as unknown as Proposal;
      return;
    case 'note':
      if (data['event'] === 'confirmed') {
        state.confirmed = true;
        state.confirmations.push(confirmationOf(entry.at, data));
      }
      // A Notary offline snapshot, proposed over the final files (notary-snapshot-step.ts).
      if (data['event'] === NOTARY_SNAPSHOT_STEP) {
        if (!state.proposal) throw new CeremonyJournalError(`journal entry ${entry.seq}: a snapshot step before the proposal`);
        state.proposal = withNotarySnapshotStep(state.proposal, data['proposal'] as unknown as Proposal);
      }
      return;
    case 'sign-intent':
      state.openIntents.push(intentOf(data));
      return;
    case 'signature':
      addSignature(state, data['signature'] as unknown as CollectedSignature);
      return;
    case 'partial-merged':
      for (const sig of (data['signatures'] as unknown as CollectedSignature[]) ?? []) addSignature(state, sig);
      return;
    case 'finalized':
      state.finalized = { files: data['files'] as unknown as Record<string, { sha256: string; length: number }> };
      return;
    case 'exported':
      state.exported.push({ path: str(data['path']), sha256: str(data['sha256']), kind: str(data['kind']) });
      return;
    case 'published':
      return;
    case 'record': {
      const record = controlRecordOf(entry.at, data);
      if (record) state.records.push(record);
      return;
    }
    case 'aborted':
      state.aborted = str(data['reason'] ?? 'aborted');
      return;
  }
}

function intentOf(data: JsonObject): CeremonyState['openIntents'][number] {
  return { role: str(data['role']), version: Number(data['version']), payloadSha256: str(data['payloadSha256']), keyid: str(data['keyid']) };
}

/** A journalled string field (the journal holds JSON we wrote; anything else reads as ''). */
function str(value: JsonValue | undefined): string {
  return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : '';
}

function addSignature(state: CeremonyState, sig: CollectedSignature): void {
  const same = (s: { role: string; version: number; keyid: string }): boolean => s.role === sig.role && s.version === sig.version && s.keyid === sig.keyid;
  state.openIntents = state.openIntents.filter((i) => !same(i));
  // One signature per key and role version: a second (re-signed after a crash, or merged twice) is a no-op.
  if (!state.signatures.some(same)) state.signatures.push(sig);
}

function phaseOf(state: CeremonyState): CeremonyPhase {
  if (state.aborted !== null) return 'aborted';
  if (state.exported.some((e) => e.kind === 'signed')) return 'exported';
  if (state.finalized) return 'finalized';
  if (!state.proposal) return 'planned';
  return state.confirmed ? 'signing' : 'proposed';
}

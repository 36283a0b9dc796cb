/** What the CLI prints and the GUI shows about a ceremony: plain data, no secrets. */
import { progress, type RoleProgress } from '../../../shared/ceremony';
import type { CeremonyKind, CollectedSignature, KnownKey, Proposal, RuleCheck } from '../../../shared/ceremony';
import type { Dialect } from '../../../shared/tuf/model';
import type { CeremonyPhase, CeremonyState } from './ceremony-state';
import type { ControlRecord, SittingConfirmation, ToolIdentity } from './ceremony-controls';
import type { CeremonyJournal } from './ports';

export interface CeremonyView {
  id: string;
  kind: CeremonyKind;
  dialect: Dialect;
  repository: string;
  phase: CeremonyPhase;
  createdAt: string;
  imported: boolean;
  proposal: Proposal | null;
  signatures: CollectedSignature[];
  /** Per role and requirement: valid/threshold and who still has to sign (token serial, holder). */
  progress: { roles: RoleProgress[]; complete: boolean } | null;
  /** Failed blocking checks: nothing may be signed while any is listed. */
  blocking: RuleCheck[];
  confirmed: boolean;
  journalHead: string;
  journalWords: string[];
  journalEntries: number;
  /** Interrupted work a resume finishes (a key act without result, a signature intent without signature). */
  pending: { keyActs: string[]; signIntents: { role: string; version: number; keyid: string }[] };
  finalizedRoles: string[];
  exported: { path: string; sha256: string; kind: string }[];
  aborted: string | null;
  /** security.md §3 controls: named roles, the tool, each sitting's "Yes", bag serials and backups (null: not recorded). */
  controls: { operator: string | null; witness: string | null; tool: ToolIdentity | null; confirmations: SittingConfirmation[]; records: ControlRecord[] };
}

export function viewOf(id: string, state: CeremonyState, journal: CeremonyJournal, _known: KnownKey[]): CeremonyView {
  const proposal = state.proposal;
  return {
    id,
    kind: state.plan.kind,
    dialect: state.plan.dialect,
    repository: state.plan.repository,
    phase: state.phase,
    createdAt: state.plan.createdAt,
    imported: state.plan.imported,
    proposal,
    signatures: state.signatures,
    progress: proposal ? progress(proposal, state.signatures) : null,
    blocking: proposal ? proposal.checks.filter((c) => c.severity === 'blocking' && !c.passed) : [],
    confirmed: state.confirmed,
    journalHead: journal.head,
    journalWords: journal.headWords,
    journalEntries: journal.entries.length,
    pending: { keyActs: state.pendingKeyActs, signIntents: state.openIntents.map(({ role, version, keyid }) => ({ role, version, keyid })) },
    finalizedRoles: state.finalized ? Object.keys(state.finalized.files) : [],
    exported: state.exported,
    aborted: state.aborted,
    controls: { operator: state.plan.operator ?? null, witness: state.plan.witness ?? null, tool: state.plan.tool ?? null, confirmations: state.confirmations, records: state.records },
  };
}

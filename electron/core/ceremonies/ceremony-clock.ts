/**
 * The start-of-ceremony clock check (review F3a) against this workspace: the request's creation
 * time and the newest journal entry of any ceremony here. Pure rule: shared/ceremony/clock.ts.
 */
import { checkCeremonyClock, type ClockRecord } from '../../../shared/ceremony';
import type { RepoState } from '../../../shared/ceremony/types';
import { listCeremonies } from '../journal';
import type { CeremonyService } from './ceremony-service';

export type ClockSource = 'system' | 'operator';

export async function startClockCheck(service: CeremonyService, request: RepoState, now: Date, source: ClockSource, system: Date = new Date()): Promise<ClockRecord> {
  let lastJournalAt: string | null = null;
  for (const id of await listCeremonies(service.deps.workspaceDir)) {
    const journal = await service.journal(id);
    const at = journal.entries.at(-1)?.at;
    if (at !== undefined && (lastJournalAt === null || Date.parse(at) > Date.parse(lastJournalAt))) lastJournalAt = at;
  }
  return checkCeremonyClock({ now, source, system }, { requestCreatedAt: request.createdAt, lastJournalAt });
}

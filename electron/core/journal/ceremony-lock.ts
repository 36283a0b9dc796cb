/**
 * Where the ceremony locks live. A ceremony's lock sits next to its journal
 * (`ceremonies/<id>/journal.jsonl.lock`): whoever appends to the journal, or repairs its torn
 * tail, holds it. The workspace signed ledger has one lock for its claim step.
 */
import path from 'node:path';

import { ceremonyPaths } from './ceremony-dir';

/** The lock guarding appends to (and repairs of) one journal file. */
export function journalLockPath(journalFile: string): string {
  return `${journalFile}.lock`;
}

/** `<workspace>/ceremonies/<id>/journal.jsonl.lock` (the id is checked like every ceremony path). */
export function ceremonyLockPath(workspaceDir: string, ceremonyId: string): string {
  return journalLockPath(ceremonyPaths(workspaceDir, ceremonyId).journal);
}

/** Inside the ledger's own directory, so listCeremonies never meets a stray file in `ceremonies/`. */
export function signedLedgerLockPath(workspaceDir: string): string {
  return path.join(workspaceDir, 'ceremonies', 'signed-ledger', 'ledger.lock');
}

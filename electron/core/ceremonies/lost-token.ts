/**
 * "A lost token" as a recover input (issue 4, review F13): the officer knows the token's serial, not
 * the key ids it held across roles. The inventory maps each key it knows to its token; every key of
 * the repository (root, targets, delegations, snapshot, timestamp) on that token is marked lost.
 */
import { assessCompromiseOf, keyIdentity, loadRepoState } from '../../../shared/ceremony';
import type { RepoState } from '../../../shared/ceremony/types';
import type { CeremonyService } from './ceremony-service';
import { CeremonyError } from './errors';
import type { EnginePlan } from './key-specs';

/** The inventory knows no key of this repository on the token (or the serial is malformed). */
export class LostTokenError extends CeremonyError {
  override readonly name = 'LostTokenError';
}

const SERIAL = /^[0-9A-Za-z._-]{1,64}$/;

/** Key ids of the repository held on each token (by the inventory's token serial), in repository order. */
export async function keysOnTokens(service: CeremonyService, request: RepoState, serials: readonly string[]): Promise<Record<string, string[]>> {
  const known = await service.knownKeys();
  const loaded = loadRepoState(request, service.env(), known);
  // Only keys some role uses (a root may list others): those are what recover revokes.
  const used = new Set(assessCompromiseOf(request, { compromised: [] }, service.env(), known).roles.flatMap((r) => r.keyids));
  const out: Record<string, string[]> = {};
  for (const serial of serials) {
    if (!SERIAL.test(serial)) throw new LostTokenError(`--lost-token takes a token serial, got "${serial}"`);
    const onToken = new Set(known.filter((k) => k.tokenSerial === serial).map((k) => k.spkiSha256));
    const ids = [...loaded.keys.values()].filter((key) => used.has(key.keyid) && onToken.has(keyIdentity(key, service.deps.crypto))).map((key) => key.keyid);
    if (ids.length === 0) {
      throw new LostTokenError(
        onToken.size === 0
          ? `the key inventory knows no key on token ${serial}: give the lost keys with --lost KEYID (or import the token's keys into the inventory first)`
          : `none of the ${onToken.size} key(s) the inventory knows on token ${serial} is used by ${request.name}; nothing to recover for that token`,
      );
    }
    out[serial] = [...new Set(ids)];
  }
  return out;
}

/** A recover plan with `lostTokens` expanded into `lost` key ids (kept in the plan, so the journal records both). */
export async function withLostTokens(service: CeremonyService, plan: EnginePlan, request: RepoState, report?: (serial: string, keyids: string[]) => void): Promise<EnginePlan> {
  if (plan.kind !== 'recover' || !plan.lostTokens?.length) return plan;
  const byToken = await keysOnTokens(service, request, plan.lostTokens);
  for (const [serial, ids] of Object.entries(byToken)) report?.(serial, ids);
  const lost = [...new Set([...(plan.lost ?? []), ...Object.values(byToken).flat()])];
  return { ...plan, lost };
}

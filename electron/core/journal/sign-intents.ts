import type { JournalEntry } from '../../../shared/ceremony/types';
import type { JsonObject } from '../../../shared/tuf/model';
import { EquivocationError, JournalEntryError } from './errors';

/** What a sign-intent commits to: these bytes, and no others, for this role and version. */
export interface SignIntent {
  role: string;
  version: number;
  payloadSha256: string;
}

const HEX64 = /^[0-9a-f]{64}$/;

/** The sign-intent of a 'sign-intent' entry (required) or a 'signature' entry (when it names one). */
export function intentOf(type: string, data: JsonObject): SignIntent | null {
  if (type !== 'sign-intent' && type !== 'signature') return null;
  const { role, version, payloadSha256 } = data;
  const present = role !== undefined || version !== undefined || payloadSha256 !== undefined;
  if (type === 'signature' && !present) return null;
  if (typeof role !== 'string' || role.length === 0) throw new JournalEntryError(`${type} needs data.role (a role name)`);
  if (typeof version !== 'number' || !Number.isSafeInteger(version) || version < 1) {
    throw new JournalEntryError(`${type} needs data.version (a positive integer), got ${JSON.stringify(version)}`);
  }
  if (typeof payloadSha256 !== 'string' || !HEX64.test(payloadSha256)) {
    throw new JournalEntryError(`${type} needs data.payloadSha256 (64 lower-case hex characters)`);
  }
  return { role, version, payloadSha256 };
}

/**
 * The equivocation guard (catalogue #44): remembers the first payload committed for each
 * role+version, and refuses a different one. The same payload again is fine: a resumed ceremony
 * re-records its intent before signing again.
 */
export class SignIntentIndex {
  private readonly byRoleVersion = new Map<string, { payloadSha256: string; seq: number }>();

  /** Throws EquivocationError if the entry commits a role+version to other bytes. */
  check(entry: Pick<JournalEntry, 'type' | 'data'>): void {
    const intent = intentOf(entry.type, entry.data);
    if (intent === null) return;
    const earlier = this.byRoleVersion.get(key(intent.role, intent.version));
    if (earlier !== undefined && earlier.payloadSha256 !== intent.payloadSha256) {
      throw new EquivocationError(intent.role, intent.version, earlier.payloadSha256, intent.payloadSha256, earlier.seq);
    }
  }

  record(entry: Pick<JournalEntry, 'type' | 'data' | 'seq'>): void {
    const intent = intentOf(entry.type, entry.data);
    if (intent === null) return;
    const k = key(intent.role, intent.version);
    if (!this.byRoleVersion.has(k)) this.byRoleVersion.set(k, { payloadSha256: intent.payloadSha256, seq: entry.seq });
  }

  get(role: string, version: number): { payloadSha256: string; seq: number } | undefined {
    return this.byRoleVersion.get(key(role, version));
  }
}

function key(role: string, version: number): string {
  return `${role}\u0000${version}`;
}

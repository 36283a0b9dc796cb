/**
 * How a plan names keys before they are resolved to public keys: a key already on a token or in
 * the workspace key store, a key to generate on a token, a key someone else holds (public only),
 * or a key already in the repository (by keyid). Plain JSON, so a plan can be journalled as is.
 */
import type { TargetChange } from '../../../shared/ceremony/types';
import type { JsonObject } from '../../../shared/tuf/model';

export type KeySpec =
  | { kind: 'token'; tokenSerial: string; ckaId: string }
  | { kind: 'token-generate'; tokenSerial: string; ckaId: string; curve?: 'P-256' | 'P-384'; label?: string }
  | { kind: 'file'; keyId: string }
  | { kind: 'public'; keyObject: JsonObject; holder?: string }
  /** Someone else's public key (base64 SPKI DER, e.g. from a PEM file): it signs elsewhere. */
  | { kind: 'spki'; spkiDer: string; holder?: string }
  | { kind: 'keyid'; keyid: string };

type Expiries = Partial<Record<'root' | 'targets' | 'snapshot' | 'timestamp', string>>;

/** The ceremony-core plans (shared/ceremony plans/*) with KeySpec where they take CeremonyKey. */
export type EnginePlan =
  | {
      kind: 'init';
      rootKeys: KeySpec[];
      rootThreshold: number;
      targetsKeys: KeySpec[];
      targetsThreshold?: number;
      snapshotKeys?: KeySpec[];
      timestampKeys?: KeySpec[];
      onlineRoles?: ('snapshot' | 'timestamp')[];
      expires?: Expiries;
    }
  | { kind: 'rotate-root'; add?: KeySpec[]; remove?: string[]; threshold?: number; expires?: Expiries }
  | { kind: 'rotate-key'; role: 'targets' | 'snapshot' | 'timestamp'; newKeys?: KeySpec[]; threshold?: number; serverManaged?: boolean }
  | { kind: 'add-signer'; name: string; keys: KeySpec[]; threshold?: number; paths?: string[]; terminating?: boolean; parent?: string }
  | { kind: 'remove-signer'; name: string; parent?: string }
  | { kind: 'refresh'; roles?: string[]; expires?: Record<string, string> }
  | { kind: 'sign-targets'; changes?: TargetChange[] }
  | {
      kind: 'recover';
      compromised: string[];
      lost?: string[];
      /** Review F13: serials of lost tokens; withLostTokens (lost-token.ts) adds their keys to `lost` before start. */
      lostTokens?: string[];
      replacements?: Record<string, KeySpec[]>;
      thresholds?: Record<string, number>;
      /** Review F4 (sec-rules): suspect targets to drop / roles whose suspect targets are kept knowingly / the baseline this workstation trusts. */
      dropTargets?: Record<string, string[] | 'all'>;
      acknowledgeTargets?: string[];
      trustedTargets?: Record<string, { version: number; targets: JsonObject }>;
    };

/** One key position in a plan: where it sits and which role it will serve (root keys need a Notary cert). */
export interface KeySlot {
  /** Stable path in the plan, e.g. `rootKeys.0`, `replacements.root.1`: the journal's key for it. */
  slot: string;
  role: string;
  spec: KeySpec;
}

/** Every KeySpec of a plan with its slot and role, in a fixed order. */
export function planKeySlots(plan: EnginePlan): KeySlot[] {
  const list = (name: string, role: string, specs: KeySpec[] | undefined): KeySlot[] =>
    (specs ?? []).map((spec, i) => ({ slot: `${name}.${i}`, role, spec }));
  switch (plan.kind) {
    case 'init':
      return [
        ...list('rootKeys', 'root', plan.rootKeys),
        ...list('targetsKeys', 'targets', plan.targetsKeys),
        ...list('snapshotKeys', 'snapshot', plan.snapshotKeys),
        ...list('timestampKeys', 'timestamp', plan.timestampKeys),
      ];
    case 'rotate-root':
      return list('add', 'root', plan.add);
    case 'rotate-key':
      return list('newKeys', plan.role, plan.newKeys);
    case 'add-signer':
      return list('keys', plan.name, plan.keys);
    case 'recover':
      return Object.keys(plan.replacements ?? {})
        .sort()
        .flatMap((role) => list(`replacements.${role}`, role, plan.replacements?.[role]));
    case 'remove-signer':
    case 'refresh':
    case 'sign-targets':
      return [];
  }
}

/** Replaces each KeySpec of the plan by the value `resolved` gives for its slot (keeps everything else). */
export function substituteKeys<T>(plan: EnginePlan, resolved: (slot: string) => T): JsonObject {
  const map = (name: string, specs: KeySpec[] | undefined): T[] | undefined => specs?.map((_, i) => resolved(`${name}.${i}`));
  const out: Record<string, unknown> = { ...plan };
  switch (plan.kind) {
    case 'init':
      out['rootKeys'] = map('rootKeys', plan.rootKeys);
      out['targetsKeys'] = map('targetsKeys', plan.targetsKeys);
      if (plan.snapshotKeys) out['snapshotKeys'] = map('snapshotKeys', plan.snapshotKeys);
      if (plan.timestampKeys) out['timestampKeys'] = map('timestampKeys', plan.timestampKeys);
      break;
    case 'rotate-root':
      if (plan.add) out['add'] = map('add', plan.add);
      break;
    case 'rotate-key':
      if (plan.newKeys) out['newKeys'] = map('newKeys', plan.newKeys);
      break;
    case 'add-signer':
      out['keys'] = map('keys', plan.keys);
      break;
    case 'recover':
      if (plan.replacements) {
        out['replacements'] = Object.fromEntries(Object.entries(plan.replacements).map(([role, specs]) => [role, map(`replacements.${role}`, specs)]));
      }
      break;
    default:
      break;
  }
  return out as JsonObject;
}

/** Parses the CLI form `token:SERIAL:CKAID`, `token-new:SERIAL:CKAID`, `file:KEYID`, `keyid:KEYID`. */
export function parseKeySpec(text: string): KeySpec {
  const [kind, a, b, ...rest] = text.split(':');
  if (kind === 'token' && a && b && rest.length === 0) return { kind: 'token', tokenSerial: a, ckaId: b.toLowerCase() };
  if (kind === 'token-new' && a && b && rest.length <= 1) {
    const curve = rest[0] === 'P-384' ? 'P-384' : 'P-256';
    return { kind: 'token-generate', tokenSerial: a, ckaId: b.toLowerCase(), curve };
  }
  if (kind === 'file' && a && b === undefined) return { kind: 'file', keyId: a.toLowerCase() };
  if (kind === 'keyid' && a && b === undefined) return { kind: 'keyid', keyid: a.toLowerCase() };
  throw new KeySpecError(text);
}

export class KeySpecError extends Error {
  override readonly name = 'KeySpecError';
  constructor(readonly text: string) {
    super(`cannot read key "${text}": use token:SERIAL:CKAID, token-new:SERIAL:CKAID[:P-384], file:KEYID or keyid:KEYID`);
  }
}

import type { IpcError } from '../../../../../shared/ipc/result';
import type { PlanInput, PlanKey } from '../../../../../shared/ipc/ceremony-plans';

/** Why a token is needed before any signature (shown in its PIN dialog). */
export interface LoginNeed {
  serial: string;
  reason: string;
}

/**
 * Tokens a plan logs in to before signing: a key generated on a token, and (Notary) a root key on
 * a token, whose self-signed certificate the token must sign. The PINs are asked right before
 * start and sent once as `logins`.
 */
export function loginsNeeded(plan: PlanInput, dialect: 'notary-v1' | 'tuf-1.0'): LoginNeed[] {
  const needs = new Map<string, string>();
  const note = (keys: readonly PlanKey[] | undefined, root: boolean): void => {
    for (const k of keys ?? []) {
      if (k.kind === 'token-new' && !needs.has(k.tokenSerial)) needs.set(k.tokenSerial, `A new ${k.curve ?? 'P-256'} key is generated on it (CKA_ID ${k.ckaId}).`);
      else if (root && dialect === 'notary-v1' && k.kind === 'token' && !needs.has(k.tokenSerial)) needs.set(k.tokenSerial, 'Its root key signs the self-signed certificate Notary root keys carry.');
    }
  };
  switch (plan.kind) {
    case 'init':
      note(plan.rootKeys, true);
      note([...plan.targetsKeys, ...(plan.snapshotKeys ?? []), ...(plan.timestampKeys ?? [])], false);
      break;
    case 'rotate-root':
      note(plan.add, true);
      break;
    case 'rotate-key':
      note(plan.newKeys, false);
      break;
    case 'add-signer':
      note(plan.keys, false);
      break;
    case 'recover':
      for (const [role, keys] of Object.entries(plan.replacements ?? {})) note(keys, role === 'root');
      break;
    default:
      break;
  }
  return [...needs].map(([serial, reason]) => ({ serial, reason }));
}

/** The token serial main asks a PIN for (PinNeededError names it as "token <serial>"), else null. */
export function pinNeededSerial(error: IpcError): string | null {
  if (error.name !== 'PinNeededError') return null;
  return /\btoken ([^\s,;:()]+)/.exec(error.message)?.[1] ?? null;
}

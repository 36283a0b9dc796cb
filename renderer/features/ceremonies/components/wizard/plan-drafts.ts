import type { PlanKey, TargetChangeInput } from '../../../../../shared/ipc/ceremony-plans';
import type { ExpiryDraft } from './expiry';

/**
 * What each kind's form edits before it becomes a PlanInput. Drafts hold references to keys
 * (token serial + CKA_ID, key-file id, key ID) and choices only: never a PIN or a passphrase.
 */
export interface InitDraft {
  rootKeys: PlanKey[];
  rootThreshold: number;
  targetsKeys: PlanKey[];
  targetsThreshold: number;
  snapshotKeys: PlanKey[];
  timestampKeys: PlanKey[];
  /** TUF: sign these in the ceremony instead of with online keys at publish. */
  offlineRoles: ('snapshot' | 'timestamp')[];
  expires: ExpiryDraft;
}

export interface RotateRootDraft {
  add: PlanKey[];
  remove: string[];
  threshold: number;
  expires: ExpiryDraft;
}

export interface RotateKeyDraft {
  role: 'targets' | 'snapshot' | 'timestamp';
  newKeys: PlanKey[];
  /** Empty: keep the old threshold (capped at the new key count). */
  threshold: number | null;
  serverManaged: boolean;
  expires: ExpiryDraft;
}

export interface AddSignerDraft {
  name: string;
  keys: PlanKey[];
  threshold: number;
  /** TUF paths, one per line. */
  paths: string;
  terminating: boolean;
  parent: string;
  expires: ExpiryDraft;
}

export interface RemoveSignerDraft {
  /** The delegated role chosen from the request. */
  role: string;
}

export type KeyFate = 'compromised' | 'lost';

/** What to do with the targets a compromised key could have signed (review F4): drop them all, or keep them after checking. */
export type SuspectChoice = 'drop' | 'keep';

export interface RecoverDraft {
  fates: Record<string, KeyFate>;
  /** Serials of lost tokens: every repository key the inventory knows on them is lost (desk: withLostTokens). */
  lostTokens: string[];
  /** Per targets-like role signed by a compromised key; unset → the review blocks (RESIGNS_COMPROMISED_CONTENT). */
  suspect: Record<string, SuspectChoice>;
  replacements: Record<string, PlanKey[]>;
  thresholds: Record<string, number>;
  expires: ExpiryDraft;
}

export interface RefreshDraft {
  roles: string[];
  expires: ExpiryDraft;
}

/** A target change as the form holds it: an added file also keeps its shown name. */
export type TargetChangeDraft = TargetChangeInput & { fileName?: string };

export interface SignTargetsDraft {
  changes: TargetChangeDraft[];
}

export interface Drafts {
  init: InitDraft;
  'rotate-root': RotateRootDraft;
  'rotate-key': RotateKeyDraft;
  'add-signer': AddSignerDraft;
  'remove-signer': RemoveSignerDraft;
  recover: RecoverDraft;
  refresh: RefreshDraft;
  'sign-targets': SignTargetsDraft;
}

/** Fresh drafts for a request (refresh preselects the roles due). */
export function initialDrafts(request: { rootThreshold: number | null; roles: { role: string; dueForRefresh: boolean }[] }): Drafts {
  return {
    init: { rootKeys: [], rootThreshold: 1, targetsKeys: [], targetsThreshold: 1, snapshotKeys: [], timestampKeys: [], offlineRoles: [], expires: {} },
    'rotate-root': { add: [], remove: [], threshold: request.rootThreshold ?? 1, expires: {} },
    'rotate-key': { role: 'targets', newKeys: [], threshold: null, serverManaged: false, expires: {} },
    'add-signer': { name: '', keys: [], threshold: 1, paths: '*', terminating: false, parent: 'targets', expires: {} },
    'remove-signer': { role: '' },
    recover: { fates: {}, lostTokens: [], suspect: {}, replacements: {}, thresholds: {}, expires: {} },
    refresh: { roles: request.roles.filter((r) => r.dueForRefresh).map((r) => r.role), expires: {} },
    'sign-targets': { changes: [] },
  };
}

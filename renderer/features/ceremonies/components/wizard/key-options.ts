import type { InventoryRow, TokenKeyView } from '../../../../../shared/ipc/custody';
import type { PlanKey } from '../../../../../shared/ipc/ceremony-plans';
import type { RequestPreview } from '../../../../../shared/ipc/ceremony';

/** One key a plan can use, as the KeyPicker lists it: people read holder, serial and algorithm. */
export interface KeyOption {
  id: string;
  key: PlanKey;
  group: 'token' | 'file' | 'repository';
  title: string;
  sub: string;
  /** Every key ID this key has (TUF and Notary spellings) to match it against the repository. */
  keyIds: string[];
  /** Roles the key was enrolled for (or serves in the repository); pickers list matching keys first. */
  roles: string[];
}

/** A stable identity for a chosen key (what the picker's checkboxes compare). */
export function planKeyId(key: PlanKey): string {
  switch (key.kind) {
    case 'token':
      return `token:${key.tokenSerial}:${key.ckaId}`;
    case 'token-new':
      return `new:${key.tokenSerial}:${key.ckaId}`;
    case 'file':
      return `file:${key.keyId}`;
    case 'keyid':
      return `keyid:${key.keyid}`;
  }
}

export interface KeySources {
  tokenKeys: TokenKeyView[];
  inventory: InventoryRow[];
  request: RequestPreview;
}

/**
 * The keys the picker offers: keys on attached tokens, workspace key files, keys the repository
 * already has (a signer's key added elsewhere). A repository key that is also a token key or key
 * file here is listed once, as the local key, so it can sign.
 */
export function keyOptions({ tokenKeys, inventory, request }: KeySources): KeyOption[] {
  const out: KeyOption[] = [];
  const local = new Set<string>();
  for (const k of tokenKeys) {
    const ids = [k.keyIds.tuf, k.keyIds.notary];
    ids.forEach((id) => local.add(id));
    out.push({
      id: planKeyId({ kind: 'token', tokenSerial: k.tokenSerial, ckaId: k.ckaId }),
      key: { kind: 'token', tokenSerial: k.tokenSerial, ckaId: k.ckaId },
      group: 'token',
      title: `Token ${k.tokenSerial}${k.slot === null ? `, CKA_ID ${k.ckaId}` : `, slot ${k.slot}`} — ${k.holder ?? 'no holder recorded'}`,
      sub: `${k.label || 'unlabelled'} · ECDSA ${k.curve} · key ${k.keyIds.tuf.slice(0, 12)}…`,
      keyIds: ids,
      roles: k.roles,
    });
  }
  for (const row of inventory) {
    if (row.location.kind !== 'file' || row.status !== 'active') continue;
    const ids = [row.keyIds.tuf, row.keyIds.notary];
    ids.forEach((id) => local.add(id));
    out.push({
      id: planKeyId({ kind: 'file', keyId: row.id }),
      key: { kind: 'file', keyId: row.id },
      group: 'file',
      title: `Key file — ${row.holder ?? 'no holder recorded'}${row.roles.length === 0 ? '' : ` (${row.roles.join(', ')})`}`,
      sub: `${row.label ?? 'unlabelled'} · ${row.algorithm} · key ${row.keyIds.tuf.slice(0, 12)}…`,
      keyIds: ids,
      roles: row.roles,
    });
  }
  for (const k of request.keys) {
    if (local.has(k.keyid)) continue;
    out.push({
      id: planKeyId({ kind: 'keyid', keyid: k.keyid }),
      key: { kind: 'keyid', keyid: k.keyid },
      group: 'repository',
      title: `Repository key — ${k.holder ?? (k.tokenSerial === null ? 'holder unknown' : `token ${k.tokenSerial}`)}`,
      sub: `${k.algorithm} · key ${k.keyid.slice(0, 12)}… · serves ${k.roles.length === 0 ? 'no role' : k.roles.join(', ')}`,
      keyIds: [k.keyid],
      roles: k.roles,
    });
  }
  return out;
}

/** How a chosen key reads in summaries (a key to generate is not in any list yet). */
export function describePlanKey(key: PlanKey, options: readonly KeyOption[]): string {
  if (key.kind === 'token-new') return `New ${key.curve ?? 'P-256'} key on token ${key.tokenSerial} (CKA_ID ${key.ckaId})`;
  const id = planKeyId(key);
  return options.find((o) => o.id === id)?.title ?? id;
}

/** The next CKA_ID not used on a token (01, 02, …), for "generate on token". */
export function nextFreeCkaId(tokenKeys: readonly TokenKeyView[], serial: string, taken: readonly PlanKey[]): string {
  const used = new Set([
    ...tokenKeys.filter((k) => k.tokenSerial === serial).map((k) => k.ckaId),
    ...taken.filter((k) => k.kind === 'token-new' && k.tokenSerial === serial).map((k) => (k.kind === 'token-new' ? k.ckaId : '')),
  ]);
  for (let i = 1; i < 256; i += 1) {
    const id = i.toString(16).padStart(2, '0');
    if (!used.has(id)) return id;
  }
  return 'ff';
}

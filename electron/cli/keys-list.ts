/** `keyrite keys list`: the inventory joined with the workspace key store. */
import path from 'node:path';

import type { InventoryEntry } from '../core/inventory';
import { fileRecord, keysContext } from './keys-context';
import { EXIT, type CliIo } from './cli-io';
import { printable, shortId, table } from './table';

export interface KeysListFlags {
  json?: boolean;
  workspace?: string;
}

export interface KeysListRow {
  id: string;
  tufKeyId: string;
  algorithm: string;
  roles: string[];
  gun: string | null;
  label: string | null;
  holder: string | null;
  location: string;
  status: InventoryEntry['status'] | 'not-in-inventory';
  /** Token keys: the attestation badge last recorded (keys generate/attest --token); null when never checked. */
  attestation: NonNullable<InventoryEntry['attestation']>['badge'] | null;
}

/** Exit 1 when a key file in the store cannot be read (the user must know before a ceremony). */
export async function runKeysList(flags: KeysListFlags, io: CliIo): Promise<number> {
  const ctx = keysContext(flags.workspace, io);
  const entries = await ctx.inventory.list();
  const files = await ctx.store.list();
  const rows: KeysListRow[] = entries.map((entry) => ({
    id: entry.id,
    tufKeyId: entry.keyIds.tuf,
    algorithm: entry.algorithm,
    roles: entry.roles,
    gun: entry.gun,
    label: entry.label,
    holder: entry.holder,
    location: describeLocation(entry, ctx.keysDir),
    status: entry.status,
    attestation: entry.attestation?.badge ?? null,
  }));
  const problems: Array<{ file: string; error: string }> = [];
  const known = new Set(entries.map((entry) => entry.location.kind === 'file' && entry.location.fileName).filter(Boolean));
  for (const item of files) {
    if (!('envelope' in item)) {
      problems.push({ file: item.filePath, error: item.error.message });
      continue;
    }
    if (known.has(path.basename(item.filePath))) continue;
    // A key file nobody recorded (copied in by hand, or an interrupted import): show it anyway.
    const record = fileRecord(item, { roles: item.envelope.key.role ? [item.envelope.key.role] : [], holder: null, origin: 'recorded' });
    rows.push({ id: record.id, tufKeyId: record.keyIds.tuf, algorithm: record.algorithm, roles: record.roles, gun: record.gun, label: record.label, holder: null, location: item.filePath, status: 'not-in-inventory', attestation: null });
  }
  if (flags.json) {
    io.stdout(`${JSON.stringify({ workspace: ctx.workspaceDir, keys: rows, unreadable: problems }, null, 2)}\n`);
  } else if (rows.length === 0 && problems.length === 0) {
    io.stdout(`No keys in ${ctx.keysDir}. Create one with "keyrite keys generate" or "keyrite keys import".\n`);
  } else {
    const body = table(
      ['KEY ID', 'TUF ID', 'ALGORITHM', 'ROLES', 'GUN', 'LABEL', 'HOLDER', 'STATUS', 'ATTESTATION', 'LOCATION'],
      rows.map((r) => [shortId(r.id), shortId(r.tufKeyId), r.algorithm, r.roles.join(',') || '-', printable(r.gun ?? '-'), printable(r.label ?? '-'), printable(r.holder ?? '-'), r.status, r.attestation ?? '-', printable(r.location)]),
    );
    io.stdout(`${body}\n`);
    for (const p of problems) io.stdout(`UNREADABLE ${p.file}: ${p.error}\n`);
  }
  return problems.length > 0 ? EXIT.findings : EXIT.ok;
}

function describeLocation(entry: InventoryEntry, keysDir: string): string {
  const location = entry.location;
  switch (location.kind) {
    case 'file':
      return entry.status === 'quarantined' ? path.join(keysDir, 'quarantine', location.fileName) : path.join(keysDir, location.fileName);
    case 'token':
      return `token ${location.tokenSerial}${location.tokenLabel ? ` (${location.tokenLabel})` : ''} CKA_ID ${location.ckaId}`;
    case 'server':
      return `server-managed${location.server ? ` by ${location.server}` : ''}`;
  }
}

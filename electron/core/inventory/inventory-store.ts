/**
 * The key inventory: which key is where (token, workspace key file, server), which role(s) and
 * repository it serves, its label and holder. Persisted atomically as `keys/inventory.json` in the
 * workspace and validated on every read: a corrupt inventory is an error that names the problem,
 * never silently replaced by an empty one (that would hide where the root keys are).
 */
import path from 'node:path';

import { ensureDir, readFileCapped, writeFileAtomic } from '../fs/atomic-write';
import { INVENTORY_VERSION, InventoryFile, type InventoryEntry } from './inventory-schema';

export const INVENTORY_FILE_NAME = 'inventory.json';
const MAX_INVENTORY_BYTES = 8 * 1024 * 1024;

/** The inventory file exists but cannot be used; it is left untouched for the user to inspect. */
export class InventoryCorruptError extends Error {
  override readonly name = 'InventoryCorruptError';
  constructor(
    readonly filePath: string,
    detail: string,
    options?: { cause: unknown },
  ) {
    super(`key inventory ${filePath} is unusable: ${detail}. It was not changed; restore it from a backup or move it aside to start a new inventory`, options);
  }
}

export class InventoryEntryNotFoundError extends Error {
  override readonly name = 'InventoryEntryNotFoundError';
  constructor(readonly id: string) {
    super(`no key ${id} in the inventory`);
  }
}

/** What a caller records; timestamps are the store's business. */
export type InventoryRecord = Omit<InventoryEntry, 'addedAt' | 'updatedAt'>;

export class InventoryStore {
  readonly filePath: string;
  /** Serialises read-modify-write cycles within this process. */
  private tail: Promise<unknown> = Promise.resolve();

  /** `keysDir`: the workspace's `keys/` directory. */
  constructor(
    readonly keysDir: string,
    private readonly clock: () => Date = () => new Date(),
  ) {
    this.filePath = path.join(keysDir, INVENTORY_FILE_NAME);
  }

  static forWorkspace(workspaceDir: string, clock?: () => Date): InventoryStore {
    return new InventoryStore(path.join(workspaceDir, 'keys'), clock);
  }

  /** All entries (empty when no inventory exists yet). */
  async list(): Promise<InventoryEntry[]> {
    return (await this.read()).keys;
  }

  async get(id: string): Promise<InventoryEntry | null> {
    return (await this.list()).find((entry) => entry.id === id) ?? null;
  }

  /**
   * Adds a key or updates the entry with the same ID. Roles are merged (a key may serve several),
   * a known label/holder/gun is never replaced by null, and addedAt is kept.
   */
  upsert(record: InventoryRecord): Promise<InventoryEntry> {
    return this.mutate((keys) => {
      const now = this.clock().toISOString();
      const index = keys.findIndex((entry) => entry.id === record.id);
      const previous = index >= 0 ? keys[index] : undefined;
      const entry: InventoryEntry = previous
        ? {
            ...previous,
            ...record,
            roles: [...new Set([...previous.roles, ...record.roles])].sort(),
            gun: record.gun ?? previous.gun,
            label: record.label ?? previous.label,
            holder: record.holder ?? previous.holder,
            origin: previous.origin,
            updatedAt: now,
          }
        : { ...record, roles: [...new Set(record.roles)].sort(), addedAt: now, updatedAt: now };
      if (index >= 0) keys[index] = entry;
      else keys.push(entry);
      return entry;
    });
  }

  /** Changes fields of an existing entry (location after a passphrase change, status after removal). */
  update(id: string, patch: Partial<Pick<InventoryEntry, 'location' | 'status' | 'label' | 'holder' | 'gun' | 'roles'>>): Promise<InventoryEntry> {
    return this.mutate((keys) => {
      const index = keys.findIndex((entry) => entry.id === id);
      const previous = keys[index];
      if (!previous) throw new InventoryEntryNotFoundError(id);
      const entry: InventoryEntry = { ...previous, ...patch, updatedAt: this.clock().toISOString() };
      keys[index] = entry;
      return entry;
    });
  }

  private mutate<T>(change: (keys: InventoryEntry[]) => T): Promise<T> {
    const run = this.tail.then(async () => {
      const file = await this.read();
      const keys = [...file.keys];
      const result = change(keys);
      const next: InventoryFile = { format: 'keyrite-key-inventory', version: INVENTORY_VERSION, keys: keys.sort((a, b) => a.addedAt.localeCompare(b.addedAt) || a.id.localeCompare(b.id)) };
      // Validate what we write with the same schema we read with: a bug cannot persist a file we would refuse.
      InventoryFile.parse(next);
      await ensureDir(this.keysDir);
      await writeFileAtomic(this.filePath, `${JSON.stringify(next, null, 2)}\n`);
      return result;
    });
    // The chain survives a failed mutation; the caller still sees the failure.
    this.tail = run.catch(() => undefined);
    return run;
  }

  private async read(): Promise<InventoryFile> {
    let bytes: Uint8Array | null;
    try {
      bytes = await readFileCapped(this.filePath, MAX_INVENTORY_BYTES);
    } catch (error) {
      throw new InventoryCorruptError(this.filePath, error instanceof Error ? error.message : String(error), { cause: error });
    }
    if (bytes === null) return { format: 'keyrite-key-inventory', version: INVENTORY_VERSION, keys: [] };
    let json: unknown;
    try {
      json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
    } catch (error) {
      throw new InventoryCorruptError(this.filePath, `not valid JSON (${error instanceof Error ? error.message : String(error)})`, { cause: error });
    }
    const parsed = InventoryFile.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const where = issue ? issue.path.map(String).join('.') || '(top level)' : '(top level)';
      throw new InventoryCorruptError(this.filePath, `${where}: ${issue?.message ?? 'invalid'}`, { cause: parsed.error });
    }
    const seen = new Set<string>();
    for (const entry of parsed.data.keys) {
      if (seen.has(entry.id)) throw new InventoryCorruptError(this.filePath, `key ${entry.id} is listed twice`);
      seen.add(entry.id);
    }
    return parsed.data;
  }
}

import type { z } from 'zod';
import { create } from 'zustand';

import type {
  ExportKeyFile,
  GenerateOnToken,
  GeneratedOnToken,
  GenerateSoftwareKey,
  ImportKeyFile,
  InventoryRow,
  PickFile,
  PickedFile,
  TokenKeyView,
  TokenListSnapshot,
  TokenProgress,
} from '../../shared/ipc/custody';
import type { IpcError, Result } from '../../shared/ipc/result';
import { api } from '../lib/api';
import { call } from '../lib/call';

/**
 * Keys & Tokens state: the live token list, keys per token, the inventory and the progress of
 * the token operation in flight. No PIN or passphrase is ever put in this store: dialogs hold
 * them in component state only and pass them to one api call.
 */
export type GenerateRequest = z.input<typeof GenerateOnToken>;
export type Generated = z.infer<typeof GeneratedOnToken>;
export type Picked = z.infer<typeof PickedFile>;

interface KeysState {
  snapshot: TokenListSnapshot | null;
  listError: IpcError | null;
  keys: Record<string, { rows: TokenKeyView[] | null; error: IpcError | null }>;
  inventory: InventoryRow[] | null;
  inventoryError: IpcError | null;
  progress: TokenProgress | null;
  /** Subscribes to live token changes and progress; loads the list and inventory. Returns the unsubscribe. */
  start: () => () => void;
  refresh: () => Promise<void>;
  loadKeys: (serial: string) => Promise<void>;
  loadInventory: () => Promise<void>;
  generate: (request: GenerateRequest) => Promise<Result<Generated>>;
  cancel: () => Promise<void>;
  pickFile: (request: z.input<typeof PickFile>) => Promise<Result<Picked | null>>;
  importKey: (request: z.input<typeof ImportKeyFile>) => Promise<Result<InventoryRow>>;
  exportKey: (request: z.input<typeof ExportKeyFile>) => Promise<Result<{ displayPath: string }>>;
  generateSoftware: (request: z.input<typeof GenerateSoftwareKey>) => Promise<Result<InventoryRow>>;
}

export const useKeysStore = create<KeysState>()((set, get) => ({
  snapshot: null,
  listError: null,
  keys: {},
  inventory: null,
  inventoryError: null,
  progress: null,
  start() {
    const offChanged = api().tokens.onChanged((snapshot) => {
      set({ snapshot, listError: null });
      // A token that left takes its keys with it; one that arrived gets its keys loaded.
      for (const token of snapshot.tokens) void get().loadKeys(token.serial);
    });
    const offProgress = api().tokens.onProgress((progress) => set({ progress }));
    void get().refresh();
    void get().loadInventory();
    return () => {
      offChanged();
      offProgress();
    };
  },
  async refresh() {
    const result = await call(() => api().tokens.list());
    if (!result.ok) {
      set({ listError: result.error });
      return;
    }
    set({ snapshot: result.value, listError: null });
    await Promise.all(result.value.tokens.map((token) => get().loadKeys(token.serial)));
  },
  async loadKeys(serial) {
    const result = await call(() => api().tokens.keys({ tokenSerial: serial }));
    set((s) => ({ keys: { ...s.keys, [serial]: result.ok ? { rows: result.value, error: null } : { rows: s.keys[serial]?.rows ?? null, error: result.error } } }));
  },
  async loadInventory() {
    const result = await call(() => api().keys.inventory());
    if (result.ok) set({ inventory: result.value, inventoryError: null });
    else set({ inventoryError: result.error });
  },
  async generate(request) {
    set({ progress: null });
    const result = await call(() => api().tokens.generate(request));
    await Promise.all([get().loadKeys(request.tokenSerial), get().loadInventory(), get().refresh()]);
    return result;
  },
  async cancel() {
    await call(() => api().tokens.cancel());
  },
  pickFile(request) {
    return call(() => api().keys.pickFile(request));
  },
  async importKey(request) {
    const result = await call(() => api().keys.import(request));
    await get().loadInventory();
    return result;
  },
  exportKey(request) {
    return call(() => api().keys.export(request));
  },
  async generateSoftware(request) {
    const result = await call(() => api().keys.generateSoftware(request));
    await get().loadInventory();
    return result;
  },
}));

import { randomUUID } from 'node:crypto';

/** A directory picked in the main-process dialog: an opaque id for the renderer, the path stays here. */
export interface PickedDirectory {
  pickId: string;
  displayPath: string;
}

/** Electron's `dialog.showOpenDialog` reduced to what we need (injected; tests pass a fake). */
export type ShowDirectoryDialog = (options: { title: string }) => Promise<{ canceled: boolean; filePaths: string[] }>;

// A pickId the renderer sent that main never handed out (or that was evicted).
export class UnknownPickError extends Error {
  override readonly name = 'UnknownPickError';
  constructor() {
    super('That folder selection is no longer valid. Choose the folder again.');
  }
}

export interface DialogServiceDeps {
  showDirectoryDialog: ShowDirectoryDialog;
  newId?: () => string;
  /** Oldest picks are forgotten beyond this many. */
  maxPicks?: number;
}

/**
 * File paths are chosen only through main-process dialogs (reference/security.md §1): the
 * renderer gets an opaque `pickId` and can only hand that back, never a path of its own, so a
 * compromised renderer cannot make main read arbitrary directories.
 */
export class DialogService {
  private readonly picks = new Map<string, string>();
  private readonly newId: () => string;
  private readonly maxPicks: number;

  constructor(private readonly deps: DialogServiceDeps) {
    this.newId = deps.newId ?? randomUUID;
    this.maxPicks = deps.maxPicks ?? 64;
  }

  /** Opens the folder picker; null when the user cancels. */
  async pickDirectory(title: string): Promise<PickedDirectory | null> {
    const result = await this.deps.showDirectoryDialog({ title });
    const chosen = result.filePaths[0];
    if (result.canceled || chosen === undefined) return null;
    const pickId = this.newId();
    this.picks.set(pickId, chosen);
    while (this.picks.size > this.maxPicks) {
      const oldest = this.picks.keys().next().value;
      if (oldest === undefined) break;
      this.picks.delete(oldest);
    }
    return { pickId, displayPath: chosen };
  }

  /** The path behind a pickId; throws UnknownPickError for ids main never issued. */
  resolve(pickId: string): string {
    const found = this.picks.get(pickId);
    if (found === undefined) throw new UnknownPickError();
    return found;
  }
}

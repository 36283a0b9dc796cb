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
  constructor(what: 'folder' | 'file' = 'folder') {
    super(`That ${what} selection is no longer valid. Choose the ${what} again.`);
  }
}

/** Electron's open/save dialogs for one file (injected; tests and the e2e harness pass fakes). */
export type ShowFileDialog = (options: { mode: 'open' | 'save'; title: string; defaultPath?: string }) => Promise<{ canceled: boolean; filePath: string | null }>;

// A file dialog was asked for, but this window has none (tests that do not need one).
export class FileDialogUnavailableError extends Error {
  override readonly name = 'FileDialogUnavailableError';
  readonly ipcCode = 'SourceUnavailable';
}

type PickKind = 'directory' | 'open' | 'save';

export interface DialogServiceDeps {
  showDirectoryDialog: ShowDirectoryDialog;
  showFileDialog?: ShowFileDialog;
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
  private readonly picks = new Map<string, { path: string; kind: PickKind }>();
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
    return this.remember(chosen, 'directory');
  }

  private remember(chosen: string, kind: PickKind): PickedDirectory {
    const pickId = this.newId();
    this.picks.set(pickId, { path: chosen, kind });
    while (this.picks.size > this.maxPicks) {
      const oldest = this.picks.keys().next().value;
      if (oldest === undefined) break;
      this.picks.delete(oldest);
    }
    return { pickId, displayPath: chosen };
  }

  /** Opens a file dialog (open for import, save for export); null when the user cancels. */
  async pickFile(request: { mode: 'open' | 'save'; title: string; suggestedName?: string | undefined }): Promise<PickedDirectory | null> {
    const show = this.deps.showFileDialog;
    if (show === undefined) throw new FileDialogUnavailableError('No file dialog is available in this window.');
    const result = await show({ mode: request.mode, title: request.title, ...(request.suggestedName === undefined ? {} : { defaultPath: request.suggestedName }) });
    if (result.canceled || result.filePath === null || result.filePath === '') return null;
    return this.remember(result.filePath, request.mode);
  }

  /** The file behind a pickId from a file dialog of that mode (a save pick cannot be read as an import). */
  resolveFile(pickId: string, mode: 'open' | 'save'): string {
    const found = this.picks.get(pickId);
    if (found?.kind !== mode) throw new UnknownPickError('file');
    return found.path;
  }

  /** The path behind a pickId; throws UnknownPickError for ids main never issued. */
  resolve(pickId: string): string {
    const found = this.picks.get(pickId);
    if (found?.kind !== 'directory') throw new UnknownPickError();
    return found.path;
  }
}

import { contract, type Contract } from '../../../shared/ipc/contract';
import { createCoreServices, type CoreServices, type NetworkMode } from '../../core/index';
import { createEmitter, type EmitterOf, type EventSink } from '../ipc/emitter';
import { createHandlers } from '../ipc/handlers';
import { createIpcRegistry, type IpcRegistry } from '../ipc/registry';
import type { Logger } from '../log';
import { consoleLogger } from '../log';
import type { CustodyService } from '../../core/custody';
import { createCeremonyDesk } from './ceremony-wiring';
import { createCustodyWithSharedClient, type TokenHostChoice } from './custody-wiring';
import type { CeremonyDesk } from '../../core/ceremony-desk';
import { NodeCryptoProvider } from '../../core/crypto/node-crypto-provider';
import { DialogService, type ShowDirectoryDialog, type ShowFileDialog } from './dialog-service';

export interface MainServicesOptions {
  /** Workspace root (Electron `userData` in the app, a temp dir in tests and the e2e harness). */
  workspaceDir: string;
  /** `offline` (the app's default) refuses every network access in the core. */
  networkMode: NetworkMode;
  appVersion: string;
  platform: string;
  /** The folder picker (Electron's dialog in the app; a fake that returns a fixture dir in tests). */
  showDirectoryDialog: ShowDirectoryDialog;
  /** Open/save dialogs for key files. */
  showFileDialog?: ShowFileDialog;
  /** The token host (utilityProcess spawner in the app) and PKCS#11 module, or why tokens are unavailable. */
  tokenHost?: TokenHostChoice;
  /** Delivers validated main → renderer events (webContents.send in the app; the page in the harness). */
  sendEvent: EventSink;
  logger?: Logger;
  /** Origins whose top frame may call (default `app://keyrite` only). */
  isTrustedOrigin?: (origin: string) => boolean;
  /** dist/workers/inspect-worker.cjs: verification off the main thread. Omit to verify in-process. */
  inspectWorkerPath?: string;
  inspectWorkerExecArgv?: string[];
  clock?: () => Date;
}

export interface MainServices {
  registry: IpcRegistry;
  emitter: EmitterOf<Contract>;
  core: CoreServices;
  dialogs: DialogService;
  custody: CustodyService;
  ceremonies: CeremonyDesk;
  close(): Promise<void>;
}

/**
 * The composition root behind the IPC contract: core services, dialog service, handlers,
 * registry and event emitter. The Electron main process and the e2e harness both call this, so
 * the harness exercises exactly the app's wiring with only ipcMain/ipcRenderer swapped.
 */
export function createMainServices(options: MainServicesOptions): MainServices {
  const logger = options.logger ?? consoleLogger;
  const emitter = createEmitter(contract, options.sendEvent, logger);
  const core = createCoreServices({
    workspaceDir: options.workspaceDir,
    networkMode: options.networkMode,
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.inspectWorkerPath ? { inspectWorkerPath: options.inspectWorkerPath } : {}),
    ...(options.inspectWorkerExecArgv ? { inspectWorkerExecArgv: options.inspectWorkerExecArgv } : {}),
    onProgress: (progress) => emitter.repositories.onProgress(progress),
    onChanged: (summaries) => emitter.repositories.onChanged(summaries),
  });
  const dialogs = new DialogService({
    showDirectoryDialog: options.showDirectoryDialog,
    ...(options.showFileDialog ? { showFileDialog: options.showFileDialog } : {}),
  });
  // One token host per app: ceremonies borrow custody's client instead of spawning a second host
  // on the same PKCS#11 module.
  const custodyWiring = createCustodyWithSharedClient({
    workspaceDir: options.workspaceDir,
    tokenHost: options.tokenHost ?? { unavailable: 'No token host is configured.' },
    emitter,
    logger,
  });
  const custody = custodyWiring.service;
  custody.start();
  const ceremonies = createCeremonyDesk({
    workspaceDir: options.workspaceDir,
    tokenHost: options.tokenHost ?? { unavailable: 'No token host is configured.' },
    tokenClient: () => custodyWiring.sharedTokenClient(),
    emitter,
    networkMode: options.networkMode,
    ...(options.clock ? { clock: options.clock } : {}),
  });
  const handlers = createHandlers({
    inspection: core.inspection,
    dialogs,
    custody: { service: custody, files: dialogs },
    ceremonies: { desk: ceremonies, files: dialogs, crypto: new NodeCryptoProvider() },
    snapshot: () => ({ appVersion: options.appVersion, networkMode: options.networkMode, platform: options.platform }),
  });
  const registry = createIpcRegistry(contract, handlers, {
    logger,
    ...(options.isTrustedOrigin ? { isTrustedOrigin: options.isTrustedOrigin } : {}),
  });
  return {
    registry,
    emitter,
    core,
    dialogs,
    custody,
    ceremonies,
    close: async () => {
      await ceremonies.close();
      await custody.close();
      await core.close();
    },
  };
}

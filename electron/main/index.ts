import path from 'node:path';

import { app, BrowserWindow, dialog, ipcMain, protocol, session, utilityProcess } from 'electron';

import { resolveInspectWorkerPath } from '../core/index';
import { networkModeFrom, unpackedPath } from './config';
import { bindToIpcMain } from './ipc/bind-ipc-main';
import { consoleLogger as logger } from './log';
import { registerAppScheme, serveAppProtocol } from './security/app-protocol';
import { hardenSession } from './security/session-hardening';
import { hardenWebContents } from './security/web-contents-hardening';
import { createMainServices, type MainServices } from './services/main-services';
import { chooseTokenModule } from './tokens/module-choice';
import { utilityHostSpawner } from './tokens/utility-host-spawner';
import { createMainWindow } from './windows/main-window';

// Lifecycle only: every decision lives in a module that is unit-tested with injected fakes.

const isDev = !app.isPackaged;
let mainWindow: BrowserWindow | null = null;
let services: MainServices | null = null;

// Before `ready`, and in one call (a second call would replace the first).
registerAppScheme(protocol);
// Every renderer sandboxed, whatever a window's options say.
app.enableSandbox();

if (!app.requestSingleInstanceLock()) {
  // A second instance would race the first on the workspace files.
  app.quit();
} else {
  app.on('second-instance', () => {
    if (mainWindow === null) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  });
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents, logger));
  app.on('window-all-closed', () => app.quit());
  app.on('will-quit', () => {
    void services?.close();
  });
  app
    .whenReady()
    .then(start)
    .catch((error: unknown) => {
      // A half-started app (no hardening, no IPC) must not stay open.
      logger.error('Start-up failed', { error });
      app.exit(1);
    });
}

function start(): void {
  const appRoot = app.getAppPath();
  hardenSession(session.defaultSession, { allowDevTools: isDev, logger });
  serveAppProtocol(protocol, path.join(appRoot, 'dist', 'renderer'), logger);

  services = createMainServices({
    workspaceDir: app.getPath('userData'),
    networkMode: networkModeFrom(process.env),
    appVersion: app.getVersion(),
    platform: process.platform,
    logger,
    inspectWorkerPath: unpackedPath(resolveInspectWorkerPath(path.join(appRoot, 'dist', 'main')), path.sep),
    showDirectoryDialog: ({ title }) => {
      const options = { title, properties: ['openDirectory', 'dontAddToRecent'] as Array<'openDirectory' | 'dontAddToRecent'> };
      return mainWindow ? dialog.showOpenDialog(mainWindow, options) : dialog.showOpenDialog(options);
    },
    showFileDialog: async ({ mode, title, defaultPath }) => {
      if (mode === 'save') {
        const saved = await (mainWindow ? dialog.showSaveDialog(mainWindow, { title, ...(defaultPath ? { defaultPath } : {}) }) : dialog.showSaveDialog({ title }));
        return { canceled: saved.canceled, filePath: saved.filePath ?? null };
      }
      const options = { title, properties: ['openFile', 'dontAddToRecent'] as Array<'openFile' | 'dontAddToRecent'> };
      const opened = await (mainWindow ? dialog.showOpenDialog(mainWindow, options) : dialog.showOpenDialog(options));
      return { canceled: opened.canceled, filePath: opened.filePaths[0] ?? null };
    },
    tokenHost: tokenHostFor(appRoot),
    sendEvent: (channel, payload) => {
      if (mainWindow !== null && !mainWindow.isDestroyed()) mainWindow.webContents.send(channel, payload);
    },
  });
  bindToIpcMain(ipcMain, services.registry);

  mainWindow = createMainWindow(BrowserWindow, { preloadPath: path.join(appRoot, 'dist', 'preload', 'index.cjs'), isDev }, logger);
  mainWindow.on('closed', () => {
    mainWindow = null;
  });
}

/** The token host as a utilityProcess (a crashing PKCS#11 module cannot take main down), or why tokens are unavailable. */
function tokenHostFor(appRoot: string) {
  const module = chooseTokenModule(process.env);
  if ('unavailable' in module) return module;
  const entry = unpackedPath(path.join(appRoot, 'dist', 'token-host', 'index.cjs'), path.sep);
  return { modulePath: module.modulePath, launch: utilityHostSpawner((modulePath, args, options) => utilityProcess.fork(modulePath, args, options), { entry }) };
}

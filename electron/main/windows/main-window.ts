import type { BrowserWindowConstructorOptions } from 'electron';

import type { Logger } from '../log';
import { APP_INDEX_URL } from '../security/app-origin';

export interface MainWindowConfig {
  /** Absolute path of the bundled preload (dist/preload/index.cjs). */
  preloadPath: string;
  /** DevTools exist only in development builds. */
  isDev: boolean;
}

/**
 * The one window's options (Electron checklist 2–4, 6, 8–10; style.md item 12). Everything risky
 * is spelled out as off, so a later Electron default change cannot turn it on silently.
 * `allowRunningInsecureContent`, `experimentalFeatures` and `enableBlinkFeatures` are never set.
 */
export function mainWindowOptions(config: MainWindowConfig): BrowserWindowConstructorOptions {
  return {
    title: 'Keyrite',
    width: 1440,
    height: 900,
    minWidth: 1024,
    minHeight: 640,
    // Shown on 'ready-to-show' so the user never sees an empty white frame.
    show: false,
    backgroundColor: '#101418',
    webPreferences: {
      preload: config.preloadPath,
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      webviewTag: false,
      spellcheck: false,
      devTools: config.isDev,
      navigateOnDragDrop: false,
      safeDialogs: true,
    },
  };
}

/** The parts of a BrowserWindow main uses; the real class satisfies it, tests pass a fake. */
export interface WindowLike {
  loadURL(url: string): Promise<void>;
  once(event: 'ready-to-show', listener: () => void): unknown;
  show(): void;
}

export type WindowConstructor<W extends WindowLike> = new (options: BrowserWindowConstructorOptions) => W;

/** Creates the window, loads the UI from `app://keyrite` and shows it once painted. */
export function createMainWindow<W extends WindowLike>(ctor: WindowConstructor<W>, config: MainWindowConfig, logger: Logger): W {
  const window = new ctor(mainWindowOptions(config));
  window.once('ready-to-show', () => window.show());
  window.loadURL(APP_INDEX_URL).catch((error: unknown) => {
    logger.error('The UI failed to load', { url: APP_INDEX_URL, error });
  });
  return window;
}

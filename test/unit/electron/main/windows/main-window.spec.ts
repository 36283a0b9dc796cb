import type { BrowserWindowConstructorOptions } from 'electron';
import { describe, expect, it } from 'vitest';

import { createMainWindow, mainWindowOptions, type WindowLike } from '../../../../../electron/main/windows/main-window';
import { recordingLogger } from '../support/fakes';

/** A fake BrowserWindow that captures its options and what main does with it. */
class FakeWindow implements WindowLike {
  static created: FakeWindow[] = [];
  loaded: string[] = [];
  shown = 0;
  readyListeners: Array<() => void> = [];
  constructor(readonly options: BrowserWindowConstructorOptions) {
    FakeWindow.created.push(this);
  }
  loadURL(url: string): Promise<void> {
    this.loaded.push(url);
    return url.includes('fail') ? Promise.reject(new Error('ERR_FAILED')) : Promise.resolve();
  }
  once(event: 'ready-to-show', listener: () => void): this {
    if (event === 'ready-to-show') this.readyListeners.push(listener);
    return this;
  }
  show(): void {
    this.shown += 1;
  }
}

describe('main window', () => {
  const prod = mainWindowOptions({ preloadPath: '/app/dist/preload/index.cjs', isDev: false });
  const prefs = prod.webPreferences ?? {};

  it.each([
    ['sandbox', true],
    ['contextIsolation', true],
    ['nodeIntegration', false],
    ['nodeIntegrationInWorker', false],
    ['nodeIntegrationInSubFrames', false],
    ['webSecurity', true],
    ['webviewTag', false],
    ['spellcheck', false],
    ['devTools', false],
    ['navigateOnDragDrop', false],
  ] as const)('sets webPreferences.%s to %s', (key, value) => {
    expect(prefs[key]).toBe(value);
  });

  it('uses the bundled preload', () => {
    expect(prefs.preload).toBe('/app/dist/preload/index.cjs');
  });

  it('never enables insecure content, experimental features or Blink features', () => {
    expect(prefs.allowRunningInsecureContent).toBeUndefined();
    expect(prefs.experimentalFeatures).toBeUndefined();
    expect(prefs.enableBlinkFeatures).toBeUndefined();
    expect(JSON.stringify(prod)).not.toMatch(/allowRunningInsecureContent|experimentalFeatures|enableBlinkFeatures/);
  });

  it('has DevTools only in development', () => {
    expect(mainWindowOptions({ preloadPath: '/p', isDev: true }).webPreferences?.devTools).toBe(true);
  });

  it('creates one window, loads app://keyrite/index.html and shows it once ready', () => {
    FakeWindow.created = [];
    const window = createMainWindow(FakeWindow, { preloadPath: '/p.cjs', isDev: false }, recordingLogger().logger);
    expect(FakeWindow.created).toEqual([window]);
    expect(window.options).toEqual(mainWindowOptions({ preloadPath: '/p.cjs', isDev: false }));
    expect(window.options.show).toBe(false);
    expect(window.loaded).toEqual(['app://keyrite/index.html']);
    expect(window.shown).toBe(0);
    window.readyListeners.forEach((l) => l());
    expect(window.shown).toBe(1);
  });

  it('logs a failed load instead of leaving an unhandled rejection', async () => {
    class FailingWindow extends FakeWindow {
      override loadURL(): Promise<void> {
        return Promise.reject(new Error('ERR_FILE_NOT_FOUND'));
      }
    }
    const log = recordingLogger();
    createMainWindow(FailingWindow, { preloadPath: '/p.cjs', isDev: false }, log.logger);
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(log.entries).toContainEqual(expect.objectContaining({ level: 'error', message: 'The UI failed to load' }));
  });
});

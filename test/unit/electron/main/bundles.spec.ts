import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { compileFunction } from 'node:vm';

import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

import { contract } from '../../../../shared/ipc/contract';
import { mainWindowOptions } from '../../../../electron/main/windows/main-window';
import { buildBundles } from '../../../support/bundle-cli';

/**
 * The real bundles (built with scripts/build.mjs's own esbuild options) run against a fake
 * `electron` module: the closest this machine gets to `npm start` without the Electron binary.
 */
const nodeRequire = createRequire(import.meta.url);
let outDir = '';

beforeAll(async () => {
  outDir = mkdtempSync(path.join(tmpdir(), 'keyrite-bundles-'));
  await buildBundles(['main', 'preload'], outDir);
  mkdirSync(path.join(outDir, 'dist', 'renderer'), { recursive: true });
  writeFileSync(path.join(outDir, 'dist', 'renderer', 'index.html'), '<!doctype html><title>Keyrite</title>');
}, 60_000);
afterAll(() => {
  rmSync(outDir, { recursive: true, force: true });
});

/** Runs a CommonJS bundle with `require('electron')` answered by `electron`; records every require. */
function runBundle(file: string, electron: unknown, allowNode: boolean) {
  const required: string[] = [];
  const code = readFileSync(file, 'utf8');
  const run = compileFunction(code, ['require', 'module', 'exports', '__filename', '__dirname']) as (
    require: (id: string) => unknown,
    module: { exports: unknown },
    exports: unknown,
    filename: string,
    dirname: string,
  ) => void;
  const fakeRequire = (id: string): unknown => {
    required.push(id);
    if (id === 'electron') return electron;
    if (!allowNode) throw new Error(`a sandboxed preload cannot require ${id}`);
    return nodeRequire(id);
  };
  const module = { exports: {} };
  run(fakeRequire, module, module.exports, file, path.dirname(file));
  return required;
}

describe('preload bundle', () => {
  it('requires only electron and exposes exactly one generated `api`, never ipcRenderer', async () => {
    const exposed: Array<[string, unknown]> = [];
    const invoke = vi.fn((_channel: string, _payload?: unknown) => Promise.resolve<unknown>({ ok: true, value: [] }));
    const ipcRenderer = { invoke, on: vi.fn(), removeListener: vi.fn() };
    const electron = { contextBridge: { exposeInMainWorld: (key: string, value: unknown) => exposed.push([key, value]) }, ipcRenderer };
    const required = runBundle(path.join(outDir, 'dist', 'preload', 'index.cjs'), electron, false);
    expect(new Set(required)).toEqual(new Set(['electron']));
    expect(exposed.map(([key]) => key)).toEqual(['api']);
    const api = exposed[0]?.[1] as Record<string, Record<string, (...args: unknown[]) => Promise<unknown>>>;
    expect(Object.keys(api).sort()).toEqual(Object.keys(contract).sort());
    const flat = JSON.stringify(Object.fromEntries(Object.entries(api).map(([g, m]) => [g, Object.keys(m)])));
    expect(flat).not.toMatch(/ipcRenderer|invoke"|send"/);
    expect(await api['repositories']?.['list']?.()).toEqual({ ok: true, value: [] });
    expect(invoke).toHaveBeenCalledWith('repositories:list', undefined);
  });
});

describe('main bundle lifecycle', () => {
  it('registers the scheme before ready, then hardens, serves app://, binds IPC and opens one locked-down window', async () => {
    const workspace = mkdtempSync(path.join(tmpdir(), 'keyrite-main-ws-'));
    const calls: string[] = [];
    const appListeners = new Map<string, (...args: unknown[]) => void>();
    let markReady: () => void = () => undefined;
    const ready = new Promise<void>((resolve) => {
      markReady = resolve;
    });
    const ipcHandlers = new Map<string, (event: unknown, ...args: unknown[]) => unknown>();
    let protocolHandler: ((request: Request) => Promise<Response>) | undefined;
    const windows: Array<{ options: unknown; loaded: string[]; sent: unknown[] }> = [];

    class FakeBrowserWindow {
      loaded: string[] = [];
      sent: unknown[] = [];
      webContents = { send: (...args: unknown[]) => this.sent.push(args) };
      constructor(readonly options: unknown) {
        calls.push('new BrowserWindow');
        windows.push(this);
      }
      loadURL(url: string) {
        this.loaded.push(url);
        return Promise.resolve();
      }
      once() {
        return this;
      }
      on() {
        return this;
      }
      show() {}
      isDestroyed() {
        return false;
      }
    }
    const permissionHandlers: unknown[] = [];
    const electron = {
      app: {
        isPackaged: false,
        enableSandbox: () => calls.push('enableSandbox'),
        requestSingleInstanceLock: () => true,
        on: (event: string, listener: (...args: unknown[]) => void) => appListeners.set(event, listener),
        whenReady: () => ready,
        getAppPath: () => outDir,
        getPath: (name: string) => (name === 'userData' ? workspace : '/nonexistent'),
        getVersion: () => '9.9.9',
        quit: () => calls.push('quit'),
        exit: (code: number) => calls.push(`exit ${code}`),
      },
      protocol: {
        registerSchemesAsPrivileged: (schemes: unknown) => calls.push(`registerSchemesAsPrivileged ${JSON.stringify(schemes)}`),
        handle: (scheme: string, handler: (request: Request) => Promise<Response>) => {
          calls.push(`protocol.handle ${scheme}`);
          protocolHandler = handler;
        },
      },
      session: {
        defaultSession: {
          setPermissionRequestHandler: (h: unknown) => permissionHandlers.push(h),
          setPermissionCheckHandler: () => calls.push('setPermissionCheckHandler'),
          setDevicePermissionHandler: () => calls.push('setDevicePermissionHandler'),
          webRequest: {
            onBeforeRequest: () => calls.push('onBeforeRequest'),
            onHeadersReceived: () => calls.push('onHeadersReceived'),
          },
        },
      },
      ipcMain: {
        handle: (channel: string, listener: (event: unknown, ...args: unknown[]) => unknown) => ipcHandlers.set(channel, listener),
        removeHandler: (channel: string) => ipcHandlers.delete(channel),
      },
      dialog: { showOpenDialog: () => Promise.resolve({ canceled: true, filePaths: [] }) },
      BrowserWindow: FakeBrowserWindow,
    };

    try {
      runBundle(path.join(outDir, 'dist', 'main', 'index.cjs'), electron, true);
      // Before ready: only the scheme and the sandbox switch.
      expect(calls).toEqual(['registerSchemesAsPrivileged [{"scheme":"app","privileges":{"standard":true,"secure":true}}]', 'enableSandbox']);
      expect([...appListeners.keys()].sort()).toEqual(['second-instance', 'web-contents-created', 'will-quit', 'window-all-closed']);

      markReady();
      await vi.waitFor(() => expect(windows).toHaveLength(1));
      expect(permissionHandlers[0]).toBeNull();
      expect(calls).toEqual(
        expect.arrayContaining(['setPermissionCheckHandler', 'setDevicePermissionHandler', 'onBeforeRequest', 'onHeadersReceived', 'protocol.handle app']),
      );
      expect(calls.indexOf('protocol.handle app')).toBeLessThan(calls.indexOf('new BrowserWindow'));

      const window = windows[0];
      expect(window?.options).toEqual(mainWindowOptions({ preloadPath: path.join(outDir, 'dist', 'preload', 'index.cjs'), isDev: true }));
      expect(window?.loaded).toEqual(['app://keyrite/index.html']);

      const served = await protocolHandler?.(new Request('app://keyrite/index.html'));
      expect(served?.status).toBe(200);
      expect(await served?.text()).toContain('<title>Keyrite</title>');

      expect([...ipcHandlers.keys()]).toHaveLength(36); // 9 repository/app + 9 key-custody + 16 ceremony + 2 bundle channels
      const list = ipcHandlers.get('repositories:list');
      const top = { senderFrame: { url: 'app://keyrite/index.html', parent: null } };
      expect(await list?.(top)).toEqual({ ok: true, value: [] });
      const snapshot = await ipcHandlers.get('app:getSnapshot')?.(top);
      expect(snapshot).toEqual({ ok: true, value: { appVersion: '9.9.9', networkMode: 'offline', platform: process.platform } });
      expect(await list?.({ senderFrame: null })).toMatchObject({ ok: false, error: { code: 'UntrustedSender' } });

      // Every WebContents gets the navigation/new-window hardening.
      const contents = { on: vi.fn(), setWindowOpenHandler: vi.fn() };
      appListeners.get('web-contents-created')?.({}, contents);
      expect(contents.on.mock.calls.map(([event]) => event as string).sort()).toEqual([
        'will-attach-webview',
        'will-frame-navigate',
        'will-navigate',
        'will-redirect',
      ]);
      expect(contents.setWindowOpenHandler).toHaveBeenCalledTimes(1);
    } finally {
      appListeners.get('will-quit')?.();
      rmSync(workspace, { recursive: true, force: true });
    }
  });
});

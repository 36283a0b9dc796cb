import { existsSync, promises as fsp } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import type { Page } from '@playwright/test';

import { type CoreServices, createCoreServices, resolveInspectWorkerPath } from '../../../electron/core/index';
import { createEmitter } from '../../../electron/main/ipc/emitter';
import { createHandlers } from '../../../electron/main/ipc/handlers';
import { createIpcRegistry } from '../../../electron/main/ipc/registry';
import { silentLogger } from '../../../electron/main/log';
import { createCeremonyDesk } from '../../../electron/main/services/ceremony-wiring';
import { createCustodyWithSharedClient, type TokenHostChoice } from '../../../electron/main/services/custody-wiring';
import { NodeCryptoProvider } from '../../../electron/core/crypto/node-crypto-provider';
import { DialogService } from '../../../electron/main/services/dialog-service';
import { contract } from '../../../shared/ipc/contract';
import { bundleBridge } from './bundle-bridge';
import { startStaticServer } from './static-server';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const RENDERER_DIST = path.join(REPO_ROOT, 'dist/renderer');
/** The built inspect worker, found from dist/main as the app finds it (electron/main/index.ts). */
const INSPECT_WORKER = resolveInspectWorkerPath(path.join(REPO_ROOT, 'dist', 'main'));

export interface HarnessOptions {
  networkMode?: 'offline' | 'online';
  /** The token host and PKCS#11 module for Keys & Tokens (a SoftHSM token in the keys specs); default: none. */
  tokenHost?: TokenHostChoice;
}

export interface Harness {
  /** The renderer's index.html on the harness origin. */
  readonly url: string;
  readonly origin: string;
  readonly services: CoreServices;
  readonly workspaceDir: string;
  /** What the next "Choose folder…" returns: a path, or null for a cancelled dialog. */
  setNextPick(dir: string | null): void;
  /** What the next key-file open/save dialog returns: a path, or null for a cancelled dialog. */
  setNextFilePick(file: string | null): void;
  /**
   * Console errors, CSP violations and uncaught page errors of the app seen so far (a clean run has
   * none). CSP reports without a source file are left out: they come from scripts the test runner
   * evaluates through CDP (axe-core probes `Function`), never from the bundle, which always has one.
   */
  readonly problems: string[];
  close(): Promise<void>;
}

// dist/renderer and dist/workers come from `npm run build`; the harness never builds them behind the test's back.
export class BuildOutputMissingError extends Error {
  override name = 'BuildOutputMissingError';
  constructor(missing = `${RENDERER_DIST}/index.html`) {
    super(`${missing} is missing: run \`npm run build\` before \`npx playwright test\`.`);
  }
}

/**
 * The GUI under test with everything real except Electron itself (ARCHITECTURE.md "The e2e
 * harness"): real core services on a temp workspace, main's own handlers and IPC registry (sender
 * checks included: the top frame of the served origin), main's event emitter, the preload's API
 * factory. Only the folder-picker dialog is a fake that returns a prepared path.
 */
export async function startHarness(page: Page, options: HarnessOptions = {}): Promise<Harness> {
  if (!existsSync(path.join(RENDERER_DIST, 'index.html'))) throw new BuildOutputMissingError();
  if (!existsSync(INSPECT_WORKER)) throw new BuildOutputMissingError(INSPECT_WORKER);
  const networkMode = options.networkMode ?? 'offline';
  const workspaceDir = await fsp.mkdtemp(path.join(os.tmpdir(), 'keyrite-e2e-'));
  const server = await startStaticServer(RENDERER_DIST);
  const problems: string[] = [];

  // Events go to the page the way webContents.send would: after main-side validation.
  const emitter = createEmitter(
    contract,
    (channel, payload) => {
      page.evaluate(([c, p]) => window.__keyriteEmit?.(c, p), [channel, payload] as const).catch((error: unknown) => {
        // The page may be navigating (a token poll can fire while it loads) or closed; the event is
        // lost exactly as it would be in Electron, and the page reads the state again once loaded.
        if (!page.isClosed() && !/Execution context was destroyed|navigation/i.test(String(error))) problems.push(`event ${channel} not delivered: ${String(error)}`);
      });
    },
    silentLogger,
  );
  const services = createCoreServices({
    workspaceDir,
    networkMode,
    // As in the app: verification runs in the inspect worker (nested bin workers at PEP 458 scale).
    inspectWorkerPath: INSPECT_WORKER,
    onProgress: (progress) => emitter.repositories.onProgress(progress),
    onChanged: (list) => emitter.repositories.onChanged(list),
  });

  let nextPick: string | null = null;
  let nextFilePick: string | null = null;
  const dialogs = new DialogService({
    showDirectoryDialog: () => Promise.resolve(nextPick === null ? { canceled: true, filePaths: [] } : { canceled: false, filePaths: [nextPick] }),
    showFileDialog: () => Promise.resolve(nextFilePick === null ? { canceled: true, filePath: null } : { canceled: false, filePath: nextFilePick }),
  });
  // As in the app: one token host, shared by custody and the ceremony desk.
  const custodyWiring = createCustodyWithSharedClient({
    workspaceDir,
    tokenHost: options.tokenHost ?? { unavailable: 'No PKCS#11 module is configured in this test run.' },
    emitter,
    logger: silentLogger,
    pollIntervalMs: 500,
  });
  const custody = custodyWiring.service;
  custody.start();
  const ceremonies = createCeremonyDesk({
    workspaceDir,
    tokenHost: options.tokenHost ?? { unavailable: 'No PKCS#11 module is configured in this test run.' },
    tokenClient: () => custodyWiring.sharedTokenClient(),
    emitter,
    networkMode,
  });
  const handlers = createHandlers({
    inspection: services.inspection,
    dialogs,
    custody: { service: custody, files: dialogs },
    ceremonies: { desk: ceremonies, files: dialogs, crypto: new NodeCryptoProvider() },
    snapshot: () => ({ appVersion: '0.1.0-e2e', networkMode, platform: process.platform }),
  });
  const registry = createIpcRegistry(contract, handlers, {
    isTrustedOrigin: (origin) => origin === server.origin,
    logger: silentLogger,
  });

  // The sender is the calling frame as Playwright reports it, so main's origin + top-frame check runs for real.
  await page.exposeBinding('__keyriteInvoke', (source, id: number, channel: string, payload: unknown) => {
    const sender = { url: source.frame.url(), isTopFrame: source.frame === source.page.mainFrame() };
    void registry.dispatch(channel, payload, sender).then((result) =>
      source.frame.evaluate(([i, r]) => window.__keyriteResolve?.(i, r), [id, result] as const).catch((error: unknown) => {
        if (!page.isClosed()) problems.push(`result of ${channel} not delivered: ${String(error)}`);
      }),
    );
  });
  await page.addInitScript({ content: await bundleBridge() });
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      const where = e.sourceFile === '' ? 'evaluated by the test runner' : `${e.sourceFile}:${e.lineNumber}`;
      console.error(`CSP violation: ${e.violatedDirective} blocked ${e.blockedURI || 'inline'} (${where})`);
    });
  });
  page.on('console', (message) => {
    const text = message.text();
    if (message.type() === 'error' && !text.endsWith('(evaluated by the test runner)')) problems.push(text);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));

  return {
    url: `${server.origin}/index.html`,
    origin: server.origin,
    services,
    workspaceDir,
    problems,
    setNextPick(dir) {
      nextPick = dir;
    },
    setNextFilePick(file) {
      nextFilePick = file;
    },
    async close() {
      // Stops the token host process this harness started (TokenClient.close: finalize, then kill by PID).
      await ceremonies.close();
      await custody.close();
      await services.close();
      await server.close();
      await fsp.rm(workspaceDir, { recursive: true, force: true });
    },
  };
}

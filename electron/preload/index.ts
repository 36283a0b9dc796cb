// Must stay the first import: see shared/ipc/zod-jitless.ts.
import '../../shared/ipc/zod-jitless';

import { contextBridge, ipcRenderer } from 'electron';

import { listChannels } from '../../shared/ipc/channels';
import { contract } from '../../shared/ipc/contract';
import { createRendererApi } from '../../shared/ipc/create-api';
import { createIpcRendererTransport } from './ipc-renderer-transport';

/**
 * The whole bridge: `window.api`, generated from the contract. ipcRenderer itself is never
 * exposed, and only contract channels can be named (Electron checklist 20, style.md item 10).
 * Bundled to CommonJS by scripts/build.mjs, as sandboxed preloads require.
 */
const channels = new Set(listChannels(contract).map((entry) => entry.channel));
const api = createRendererApi(contract, createIpcRendererTransport(ipcRenderer, channels), {
  onInvalidMessage: (channel, problem) => console.error(`[keyrite] IPC ${channel}: ${problem}`),
});

contextBridge.exposeInMainWorld('api', api);

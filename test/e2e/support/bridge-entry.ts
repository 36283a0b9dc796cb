// First: switches zod to its eval-free parser before the contract's schemas are built.
import './zod-jitless';

import { contract } from '../../../shared/ipc/contract';
import { createRendererApi, type Transport } from '../../../shared/ipc/create-api';

/**
 * The e2e stand-in for the preload, bundled to an IIFE and installed with page.addInitScript.
 * It builds `window.api` with the very factory the preload uses; only the transport differs:
 * invokes go through Playwright's `__keyriteInvoke` binding into the real IPC registry, and
 * main's events arrive through `__keyriteEmit`, which the harness calls with page.evaluate.
 */
type Listener = (payload: unknown) => void;

declare global {
  interface Window {
    __keyriteInvoke?: (id: number, channel: string, payload: unknown) => Promise<unknown>;
    __keyriteResolve?: (id: number, result: unknown) => void;
    __keyriteEmit?: (channel: string, payload: unknown) => void;
  }
}

const listeners = new Map<string, Set<Listener>>();
const pending = new Map<number, (result: unknown) => void>();
let nextId = 1;

/*
 * Results come back through __keyriteResolve (the harness calls it with frame.evaluate), not as
 * the binding's return value: Playwright delivers binding results by evaluating a string in the
 * page, which the app's CSP (no 'unsafe-eval') rightly refuses. Keeping the CSP real matters more
 * than using the shortcut.
 */
const transport: Transport = {
  invoke(channel, payload) {
    const invoke = window.__keyriteInvoke;
    if (invoke === undefined) return Promise.reject(new Error('the e2e binding __keyriteInvoke is not installed'));
    const id = nextId++;
    return new Promise((resolve) => {
      pending.set(id, resolve);
      // The binding's own promise never settles (its delivery is the refused eval); results arrive below.
      void invoke(id, channel, payload);
    });
  },
  subscribe(channel, listener) {
    const set = listeners.get(channel) ?? new Set<Listener>();
    listeners.set(channel, set);
    set.add(listener);
    return () => {
      set.delete(listener);
    };
  },
};

Object.defineProperty(window, '__keyriteResolve', {
  value: (id: number, result: unknown) => {
    const resolve = pending.get(id);
    pending.delete(id);
    resolve?.(result);
  },
});

Object.defineProperty(window, '__keyriteEmit', {
  value: (channel: string, payload: unknown) => {
    for (const listener of listeners.get(channel) ?? []) listener(payload);
  },
});

Object.defineProperty(window, 'api', {
  value: createRendererApi(contract, transport, {
    onInvalidMessage: (channel, problem) => console.error(`[keyrite] IPC ${channel}: ${problem}`),
  }),
  enumerable: true,
});

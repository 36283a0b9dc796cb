/**
 * The jsdom preamble the renderer specs share: a React root in a fresh container per test, the
 * given zustand stores put back to the state they had when the spec file loaded, and the api
 * unset after each test (a test's fake api must not leak into the next).
 */
import { act, type ReactNode } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { afterEach, beforeEach } from 'vitest';
import type { StoreApi } from 'zustand';

import { setApi } from '../../../renderer/lib/api';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

type ResettableStore = Pick<StoreApi<object>, 'getState' | 'setState'>;

export interface MountedRoot {
  container: HTMLDivElement;
  root: Root;
}

/**
 * Registers the hooks; returns `render`, which renders into the current test's root inside act.
 * `bind` hands each test's container and root to a spec that queries or renders through them.
 */
export function useDomRoot(stores: readonly ResettableStore[] = [], bind?: (mounted: MountedRoot) => void): { render: (node: ReactNode) => Promise<void> } {
  // Captured now, as the specs did at module load: before any test has changed a store.
  const resets = stores.map((store) => {
    const initial = store.getState();
    return () => store.setState(initial, true);
  });
  let container: HTMLDivElement;
  let root: Root;
  beforeEach(() => {
    for (const reset of resets) reset();
    container = document.createElement('div');
    document.body.append(container);
    root = createRoot(container);
    bind?.({ container, root });
  });
  afterEach(() => {
    act(() => root.unmount());
    container.remove();
    setApi(null);
  });
  return {
    render: async (node) => {
      await act(async () => {
        root.render(node);
        await Promise.resolve();
      });
    },
  };
}

/** Lets pending effects and promise callbacks run (one macrotask) inside act. */
export const flush = () =>
  act(async () => {
    await new Promise((r) => setTimeout(r, 0));
  });

/** The button whose trimmed text is exactly `text`, in `scope` (the whole document by default). */
export const button = (text: string, scope: ParentNode = document) => [...scope.querySelectorAll<HTMLButtonElement>('button')].find((b) => b.textContent?.trim() === text);

/** Sets an input's value the way React notices: React tracks the value through the prototype setter, then an input event. */
export const type = (el: HTMLInputElement, value: string) => {
  Reflect.set(HTMLInputElement.prototype, 'value', value, el);
  el.dispatchEvent(new Event('input', { bubbles: true }));
};

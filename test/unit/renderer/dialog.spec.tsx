// @vitest-environment jsdom
import { act } from 'react';
import type { Root } from 'react-dom/client';
import { describe, expect, it } from 'vitest';

import { Dialog } from '../../../renderer/components/dialog';
import { useDomRoot } from './dom-root';

let container: HTMLDivElement;
let root: Root;
useDomRoot([], (mounted) => ({ container, root } = mounted));

const escape = (): void => {
  document.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }));
};

describe('Dialog', () => {
  it('refuses Escape while not closable, and takes the very next Escape once it is (no wait for passive effects)', async () => {
    let closed = 0;
    const view = (closable: boolean) => (
      <Dialog title="Enroll" onClose={() => (closed += 1)} closable={closable}>
        <input aria-label="PIN" />
      </Dialog>
    );
    await act(async () => {
      root.render(view(false));
      await Promise.resolve();
    });
    escape();
    expect(closed).toBe(0);
    expect(container.querySelector('[role=dialog] [aria-label="Close dialog"]')?.hasAttribute('disabled')).toBe(true);
    // A job ends: closable={true} commits with its error on screen, and the user presses Escape at
    // once. The key is dispatched from a MutationObserver, i.e. right after the commit that enabled
    // the close button and before React's scheduler runs the passive effects (as in a browser,
    // where the next key event can come first).
    const button = container.querySelector('[role=dialog] [aria-label="Close dialog"]') as HTMLElement;
    const pressed = new Promise<number>((resolve) => {
      const observer = new MutationObserver(() => {
        if (button.hasAttribute('disabled')) return;
        observer.disconnect();
        escape();
        resolve(closed);
      });
      observer.observe(button, { attributes: true });
    });
    const env = globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean };
    env.IS_REACT_ACT_ENVIRONMENT = false;
    try {
      root.render(view(true));
      expect(await pressed).toBe(1);
    } finally {
      env.IS_REACT_ACT_ENVIRONMENT = true;
    }
    await act(async () => {
      await Promise.resolve();
    });
  });
});

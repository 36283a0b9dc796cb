import type { Logger } from '../log';

interface PreventableEvent {
  preventDefault(): void;
}

/** The parts of Electron's `WebContents` we harden (structural, so tests pass a capturing fake). */
export interface HardenableWebContents {
  on(
    event: 'will-navigate' | 'will-redirect' | 'will-frame-navigate' | 'will-attach-webview',
    listener: (event: PreventableEvent, ...args: unknown[]) => void,
  ): unknown;
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' }): void;
}

/**
 * Denies every navigation, redirect, new window and `<webview>` (Electron checklist 11–14). The
 * UI is a single page loaded by main with `loadURL`, which fires none of these events, so any
 * of them means a link, a script or an attacker is trying to move the window somewhere else.
 * Installed for every WebContents from `app.on('web-contents-created')`.
 */
export function hardenWebContents(contents: HardenableWebContents, logger: Logger): void {
  const deny = (kind: string) => (event: PreventableEvent, ...args: unknown[]) => {
    event.preventDefault();
    const url = typeof args[0] === 'string' ? args[0].slice(0, 200) : undefined;
    logger.warn(`Blocked ${kind}`, url === undefined ? {} : { url });
  };
  contents.on('will-navigate', deny('navigation'));
  contents.on('will-frame-navigate', deny('frame navigation'));
  contents.on('will-redirect', deny('redirect'));
  contents.on('will-attach-webview', deny('webview'));
  contents.setWindowOpenHandler((details) => {
    logger.warn('Blocked new window', { url: details.url.slice(0, 200) });
    return { action: 'deny' };
  });
}

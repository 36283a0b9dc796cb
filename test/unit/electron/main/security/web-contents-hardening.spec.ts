import { describe, expect, it, vi } from 'vitest';

import { hardenWebContents, type HardenableWebContents } from '../../../../../electron/main/security/web-contents-hardening';
import { recordingLogger } from '../support/fakes';

type Listener = (event: { preventDefault(): void }, ...args: unknown[]) => void;

function fakeContents() {
  const listeners = new Map<string, Listener[]>();
  let openHandler: ((details: { url: string }) => { action: 'deny' }) | undefined;
  const contents: HardenableWebContents = {
    on: (event, listener) => listeners.set(event, [...(listeners.get(event) ?? []), listener]),
    setWindowOpenHandler: (handler) => {
      openHandler = handler;
    },
  };
  const fire = (name: string, ...args: unknown[]) => {
    const event = { preventDefault: vi.fn() };
    for (const listener of listeners.get(name) ?? []) listener(event, ...args);
    return event.preventDefault;
  };
  return { contents, listeners, fire, open: (url: string) => openHandler?.({ url }) };
}

describe('hardenWebContents', () => {
  it.each([
    ['will-navigate', 'https://evil.example/'],
    ['will-navigate', 'app://keyrite/other.html'],
    ['will-redirect', 'https://evil.example/'],
    ['will-frame-navigate', { url: 'https://evil.example/' }],
    ['will-attach-webview', {}],
  ])('prevents %s (%j)', (name, arg) => {
    const { contents, fire } = fakeContents();
    const log = recordingLogger();
    hardenWebContents(contents, log.logger);
    expect(fire(name, arg)).toHaveBeenCalledTimes(1);
    expect(log.entries.filter((e) => e.level === 'warn')).toHaveLength(1);
  });

  it('denies every new window', () => {
    const { contents, open } = fakeContents();
    hardenWebContents(contents, recordingLogger().logger);
    for (const url of ['https://evil.example/', 'app://keyrite/index.html', 'about:blank', 'file:///etc/passwd']) {
      expect(open(url)).toEqual({ action: 'deny' });
    }
  });
});

import { isAppOrigin, originOf } from '../security/app-origin';

/** Who sent an IPC request: the sending frame's URL (null when the frame is gone) and its position. */
export interface IpcSender {
  url: string | null;
  isTopFrame: boolean;
}

/**
 * Electron's check list item 17: a request counts only when it comes from the top frame of a
 * page on our origin. `isTrustedOrigin` is injected so the e2e harness (which serves the renderer
 * from its own origin) can name that one origin instead.
 */
export function checkSender(sender: IpcSender, isTrustedOrigin: (origin: string) => boolean = isAppOrigin): string | null {
  if (sender.url === null || sender.url === '') return 'the sender frame is gone';
  if (!sender.isTopFrame) return 'the sender is not the top frame';
  const origin = originOf(sender.url);
  if (origin === null) return 'the sender URL has no usable origin';
  if (!isTrustedOrigin(origin)) return `the origin ${origin} is not trusted`;
  return null;
}

import type {
  CallbackResponse,
  DevicePermissionHandlerHandlerDetails,
  HeadersReceivedResponse,
  OnBeforeRequestListenerDetails,
  OnHeadersReceivedListenerDetails,
  PermissionCheckHandlerHandlerDetails,
  PermissionRequest,
  WebContents,
} from 'electron';

import type { Logger } from '../log';
import { APP_ORIGIN, originOf } from './app-origin';
import { CONTENT_SECURITY_POLICY } from './content-security-policy';

type PermissionRequestHandler = (
  webContents: WebContents,
  permission: string,
  callback: (permissionGranted: boolean) => void,
  details: PermissionRequest,
) => void;
type PermissionCheckHandler = (
  webContents: WebContents | null,
  permission: string,
  requestingOrigin: string,
  details: PermissionCheckHandlerHandlerDetails,
) => boolean;
type BeforeRequestListener = (details: OnBeforeRequestListenerDetails, callback: (response: CallbackResponse) => void) => void;
type HeadersReceivedListener = (
  details: OnHeadersReceivedListenerDetails,
  callback: (response: HeadersReceivedResponse) => void,
) => void;

/** The parts of Electron's `Session` we harden (structural, so tests pass a capturing fake). */
export interface HardenableSession {
  setPermissionRequestHandler(handler: PermissionRequestHandler | null): void;
  setPermissionCheckHandler(handler: PermissionCheckHandler | null): void;
  setDevicePermissionHandler(handler: ((details: DevicePermissionHandlerHandlerDetails) => boolean) | null): void;
  readonly webRequest: {
    onBeforeRequest(listener: BeforeRequestListener | null): void;
    onHeadersReceived(listener: HeadersReceivedListener | null): void;
  };
}

export interface SessionHardeningOptions {
  /** Dev builds only: let DevTools load its own `devtools:` resources. */
  allowDevTools: boolean;
  logger: Logger;
}

const DEVTOOLS_PROTOCOLS = new Set(['devtools:', 'chrome-devtools:']);

function isDevToolsUrl(url: string): boolean {
  try {
    return DEVTOOLS_PROTOCOLS.has(new URL(url).protocol);
  } catch {
    return false;
  }
}

/**
 * Which renderer requests may proceed. The workstation is air-gapped and the UI never fetches:
 * only our own `app://keyrite` resources (and DevTools in dev) load; http(s), ws, file, ftp and
 * everything else are cancelled, so a compromised dependency cannot exfiltrate anything.
 * Main does every network access itself, behind the network policy.
 */
export function isAllowedRequestUrl(url: string, allowDevTools: boolean): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (DEVTOOLS_PROTOCOLS.has(parsed.protocol)) return allowDevTools;
  return originOf(url) === APP_ORIGIN;
}

/** Response headers with our CSP replacing any CSP the response carried. */
export function withContentSecurityPolicy(headers: Record<string, string[]> | undefined): Record<string, string[]> {
  const result: Record<string, string[]> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (name.toLowerCase() !== 'content-security-policy') result[name] = value;
  }
  result['Content-Security-Policy'] = [CONTENT_SECURITY_POLICY];
  return result;
}

/**
 * Locks down the renderer's session (Electron checklist items 5, 7; reference/security.md §1):
 * every permission request and check is denied, device access is denied, every request outside
 * our origin is cancelled, and every response gets our CSP.
 */
export function hardenSession(session: HardenableSession, options: SessionHardeningOptions): void {
  const { logger, allowDevTools } = options;
  // Clear any handler installed earlier (Signal does the same) before installing ours.
  session.setPermissionRequestHandler(null);
  session.setPermissionRequestHandler((_webContents, permission, callback) => {
    logger.warn('Permission request denied', { permission });
    callback(false);
  });
  session.setPermissionCheckHandler(() => false);
  session.setDevicePermissionHandler(() => false);
  session.webRequest.onBeforeRequest((details, callback) => {
    const allowed = isAllowedRequestUrl(details.url, allowDevTools);
    if (!allowed) logger.warn('Renderer request cancelled', { url: details.url.slice(0, 200) });
    callback({ cancel: !allowed });
  });
  session.webRequest.onHeadersReceived((details, callback) => {
    // DevTools (dev builds only; everything else was cancelled above) brings its own policy.
    if (isDevToolsUrl(details.url)) {
      callback({});
      return;
    }
    callback({ responseHeaders: withContentSecurityPolicy(details.responseHeaders) });
  });
}

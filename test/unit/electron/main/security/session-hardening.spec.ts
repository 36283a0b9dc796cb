import type { PermissionRequest, WebContents } from 'electron';
import { describe, expect, it } from 'vitest';

import { CONTENT_SECURITY_POLICY } from '../../../../../electron/main/security/content-security-policy';
import {
  hardenSession,
  isAllowedRequestUrl,
  withContentSecurityPolicy,
  type HardenableSession,
} from '../../../../../electron/main/security/session-hardening';
import { recordingLogger } from '../support/fakes';

type Captured = {
  permissionRequest: Array<Parameters<HardenableSession['setPermissionRequestHandler']>[0]>;
  permissionCheck: Array<Parameters<HardenableSession['setPermissionCheckHandler']>[0]>;
  device: Array<Parameters<HardenableSession['setDevicePermissionHandler']>[0]>;
  beforeRequest: Array<Parameters<HardenableSession['webRequest']['onBeforeRequest']>[0]>;
  headersReceived: Array<Parameters<HardenableSession['webRequest']['onHeadersReceived']>[0]>;
};

/** A fake session that captures every handler installed on it, in order. */
function fakeSession() {
  const captured: Captured = { permissionRequest: [], permissionCheck: [], device: [], beforeRequest: [], headersReceived: [] };
  const session: HardenableSession = {
    setPermissionRequestHandler: (h) => captured.permissionRequest.push(h),
    setPermissionCheckHandler: (h) => captured.permissionCheck.push(h),
    setDevicePermissionHandler: (h) => captured.device.push(h),
    webRequest: {
      onBeforeRequest: (l) => captured.beforeRequest.push(l),
      onHeadersReceived: (l) => captured.headersReceived.push(l),
    },
  };
  return { session, captured };
}

function hardened(allowDevTools = false) {
  const fake = fakeSession();
  const log = recordingLogger();
  hardenSession(fake.session, { allowDevTools, logger: log.logger });
  const last = <T>(list: T[]): NonNullable<T> => {
    const value = list.at(-1);
    if (value === undefined || value === null) throw new Error('handler not installed');
    return value;
  };
  return {
    ...fake,
    log,
    request: last(fake.captured.permissionRequest),
    check: last(fake.captured.permissionCheck),
    device: last(fake.captured.device),
    beforeRequest: last(fake.captured.beforeRequest),
    headersReceived: last(fake.captured.headersReceived),
  };
}

const contents = {} as WebContents;

describe('hardenSession', () => {
  it('clears earlier permission grants first, then installs a deny-all handler', () => {
    const { captured } = hardened();
    expect(captured.permissionRequest).toHaveLength(2);
    expect(captured.permissionRequest[0]).toBeNull();
    expect(typeof captured.permissionRequest[1]).toBe('function');
  });

  it.each(['media', 'geolocation', 'notifications', 'openExternal', 'clipboard-read', 'midiSysex', 'pointerLock', 'fullscreen', 'display-capture', 'unknown'])(
    'denies the %s permission request and logs it',
    (permission) => {
      const { request, log } = hardened();
      const answers: boolean[] = [];
      request(contents, permission, (granted) => answers.push(granted), {} as PermissionRequest);
      expect(answers).toEqual([false]);
      expect(log.entries).toContainEqual({ level: 'warn', message: 'Permission request denied', details: { permission } });
    },
  );

  it.each(['media', 'clipboard-sanitized-write', 'hid', 'serial', 'usb', 'storage-access'])('answers the %s permission check with false', (permission) => {
    const { check } = hardened();
    expect(check(contents, permission, 'app://keyrite', {} as never)).toBe(false);
  });

  it('denies device (HID/serial/USB) permissions', () => {
    const { device } = hardened();
    expect(device({ deviceType: 'usb', origin: 'app://keyrite', device: {} } as never)).toBe(false);
  });

  describe('renderer requests', () => {
    const cancelled = [
      'https://example.com/x.js',
      'http://127.0.0.1:4443/v2/',
      'ws://127.0.0.1:1/',
      'wss://example.com/',
      'file:///etc/passwd',
      'ftp://example.com/',
      'app://evil/index.html',
      'app://keyrite.evil/index.html',
      'app://user@keyrite/index.html',
      'chrome://settings',
      'javascript:alert(1)',
      'blob:https://example.com/1',
      'not a url',
    ];
    it.each(cancelled)('cancels %s', (url) => {
      const { beforeRequest } = hardened();
      const responses: unknown[] = [];
      beforeRequest({ url } as never, (r) => responses.push(r));
      expect(responses).toEqual([{ cancel: true }]);
    });

    it.each(['app://keyrite/index.html', 'app://keyrite/assets/index-abc.js', 'app://keyrite/'])('lets %s through', (url) => {
      const { beforeRequest } = hardened();
      const responses: unknown[] = [];
      beforeRequest({ url } as never, (r) => responses.push(r));
      expect(responses).toEqual([{ cancel: false }]);
    });

    it('lets DevTools resources through only when DevTools are allowed (dev builds)', () => {
      for (const url of ['devtools://devtools/bundled/inspector.html', 'chrome-devtools://devtools/x.js']) {
        expect(isAllowedRequestUrl(url, false)).toBe(false);
        expect(isAllowedRequestUrl(url, true)).toBe(true);
      }
      expect(isAllowedRequestUrl('https://example.com', true)).toBe(false);
    });
  });

  describe('Content-Security-Policy', () => {
    it('is exactly the policy of the brief', () => {
      expect(CONTENT_SECURITY_POLICY).toBe(
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
      );
    });

    it('is added to every response, replacing any CSP in any letter case', () => {
      const { headersReceived } = hardened();
      const responses: Array<{ responseHeaders?: Record<string, string | string[]> }> = [];
      headersReceived(
        {
          url: 'app://keyrite/index.html',
          responseHeaders: { 'content-security-policy': ["script-src 'unsafe-inline'"], 'CONTENT-SECURITY-POLICY': ['*'], 'Content-Type': ['text/html'] },
        } as never,
        (r) => responses.push(r),
      );
      expect(responses).toEqual([{ responseHeaders: { 'Content-Type': ['text/html'], 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] } }]);
    });

    it('leaves DevTools responses (dev builds) alone', () => {
      const { headersReceived } = hardened(true);
      const responses: unknown[] = [];
      headersReceived({ url: 'devtools://devtools/bundled/inspector.html', responseHeaders: {} } as never, (r) => responses.push(r));
      expect(responses).toEqual([{}]);
    });

    it('is added when the response had no headers at all', () => {
      expect(withContentSecurityPolicy(undefined)).toEqual({ 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] });
    });
  });
});

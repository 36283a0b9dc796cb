import * as fs from 'node:fs';
import * as path from 'node:path';

import type { CustomScheme } from 'electron';

import type { Logger } from '../log';
import { APP_HOST, APP_SCHEME } from './app-origin';
import { CONTENT_SECURITY_POLICY } from './content-security-policy';
import { mimeTypeFor } from './mime-types';

/**
 * `app:` is standard (real origin, relative URLs resolve, storage works) and secure (a secure
 * context, like https). Nothing more: no CSP bypass, no service workers, no fetch support — the
 * UI never fetches (CSP `connect-src 'none'`). Must be registered before `app.ready`, in ONE call:
 * a later call replaces the earlier one.
 */
export const APP_SCHEME_PRIVILEGES: CustomScheme[] = [{ scheme: APP_SCHEME, privileges: { standard: true, secure: true } }];

export function registerAppScheme(protocol: { registerSchemesAsPrivileged(schemes: CustomScheme[]): void }): void {
  protocol.registerSchemesAsPrivileged(APP_SCHEME_PRIVILEGES);
}

export type ResolvedAppPath = { ok: true; filePath: string } | { ok: false; status: 400 | 403 | 404 };

// Callback forms on purpose: Electron patches `fs` so these also read inside app.asar.
const realpath = (p: string) =>
  new Promise<string>((resolve, reject) => fs.realpath(p, (error, resolved) => (error ? reject(error) : resolve(resolved))));
const stat = (p: string) =>
  new Promise<fs.Stats>((resolve, reject) => fs.stat(p, (error, stats) => (error ? reject(error) : resolve(stats))));
const readFile = (p: string) =>
  new Promise<Buffer>((resolve, reject) => fs.readFile(p, (error, data) => (error ? reject(error) : resolve(data))));

const isMissing = (error: unknown) =>
  error instanceof Error && ['ENOENT', 'ENOTDIR', 'ELOOP'].includes((error as NodeJS.ErrnoException).code ?? '');

/**
 * Maps an `app://keyrite/...` URL to a file under `root`, or refuses. The URL parser already folds
 * `.`/`..` and `%2e%2e`; each segment is then percent-decoded and refused if it decodes to a
 * separator, a dot segment or a NUL (encoded traversal). The result is realpath'd and must lie
 * inside the realpath'd root *plus a separator*, so symlinks out of the root and sibling
 * directories sharing a prefix (`renderer-x`) are refused (the Notary `getPath` bug,
 * reference/security.md §5).
 */
export async function resolveAppPath(root: string, url: string): Promise<ResolvedAppPath> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { ok: false, status: 400 };
  }
  if (parsed.protocol !== `${APP_SCHEME}:` || parsed.host !== APP_HOST || parsed.username !== '' || parsed.password !== '') {
    return { ok: false, status: 403 };
  }
  const segments: string[] = [];
  for (const raw of parsed.pathname.split('/')) {
    if (raw === '') continue;
    let segment: string;
    try {
      segment = decodeURIComponent(raw);
    } catch {
      return { ok: false, status: 400 };
    }
    if (segment === '.' || segment === '..' || /[/\\\0]/.test(segment) || (segment.includes(':') && process.platform === 'win32')) {
      return { ok: false, status: 400 };
    }
    segments.push(segment);
  }
  // The UI is a single page: `/` and extensionless routes (a reload on a client route) get index.html.
  const last = segments.at(-1);
  if (last === undefined || !last.includes('.')) segments.splice(0, segments.length, 'index.html');

  let realRoot: string;
  try {
    realRoot = await realpath(root);
  } catch {
    return { ok: false, status: 404 };
  }
  let realFile: string;
  try {
    realFile = await realpath(path.join(realRoot, ...segments));
  } catch (error) {
    if (isMissing(error)) return { ok: false, status: 404 };
    throw error;
  }
  const inside = isInside(realRoot, realFile);
  if (!inside) return { ok: false, status: 403 };
  const stats = await stat(realFile);
  if (!stats.isFile()) return { ok: false, status: 404 };
  return { ok: true, filePath: realFile };
}

/** True when `candidate` is strictly below `root` (both real paths); case-insensitive on Windows. */
export function isInside(root: string, candidate: string): boolean {
  const fold = (p: string) => (process.platform === 'win32' ? p.toLowerCase() : p);
  const prefix = fold(root.endsWith(path.sep) ? root : root + path.sep);
  return fold(candidate).startsWith(prefix);
}

const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  // Also set here because Electron's webRequest hooks do not see every custom-protocol response.
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  'Cache-Control': 'no-store',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

/** The `protocol.handle('app', ...)` handler serving the built renderer from `root`. */
export function createAppProtocolHandler(root: string, logger: Logger): (request: Request) => Promise<Response> {
  return async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      return new Response(null, { status: 405, headers: SECURITY_HEADERS });
    }
    let resolved: ResolvedAppPath;
    try {
      resolved = await resolveAppPath(root, request.url);
    } catch (error) {
      logger.error('app: protocol failed', { url: request.url.slice(0, 200), error });
      return new Response(null, { status: 500, headers: SECURITY_HEADERS });
    }
    if (!resolved.ok) {
      if (resolved.status !== 404) logger.warn('app: request refused', { url: request.url.slice(0, 200), status: resolved.status });
      return new Response(null, { status: resolved.status, headers: SECURITY_HEADERS });
    }
    const body = request.method === 'HEAD' ? null : new Uint8Array(await readFile(resolved.filePath));
    return new Response(body, {
      status: 200,
      headers: { ...SECURITY_HEADERS, 'Content-Type': mimeTypeFor(resolved.filePath) },
    });
  };
}

/** Serves `root` on `app://keyrite/` (call after `app.ready`). */
export function serveAppProtocol(
  protocol: { handle(scheme: string, handler: (request: Request) => Promise<Response>): void },
  root: string,
  logger: Logger,
): void {
  protocol.handle(APP_SCHEME, createAppProtocolHandler(root, logger));
}

import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import {
  APP_SCHEME_PRIVILEGES,
  createAppProtocolHandler,
  isInside,
  registerAppScheme,
  resolveAppPath,
  serveAppProtocol,
} from '../../../../../electron/main/security/app-protocol';
import { CONTENT_SECURITY_POLICY } from '../../../../../electron/main/security/content-security-policy';
import { recordingLogger } from '../support/fakes';

// A real directory tree: dist/renderer plus neighbours an attacker would like to reach.
let base = '';
let root = '';
beforeAll(() => {
  base = mkdtempSync(path.join(tmpdir(), 'keyrite-app-protocol-'));
  root = path.join(base, 'dist', 'renderer');
  mkdirSync(path.join(root, 'assets'), { recursive: true });
  mkdirSync(path.join(root, 'dir.d'), { recursive: true });
  writeFileSync(path.join(root, 'index.html'), '<!doctype html><title>Keyrite</title>');
  writeFileSync(path.join(root, 'assets', 'index-abc.js'), 'export {};');
  writeFileSync(path.join(root, 'assets', 'index-abc.css'), 'body{}');
  writeFileSync(path.join(root, 'assets', 'inter.woff2'), 'w');
  writeFileSync(path.join(root, 'assets', 'logo.svg'), '<svg/>');
  writeFileSync(path.join(root, 'assets', 'data.bin'), 'b');
  writeFileSync(path.join(root, 'file with space.txt'), 'space');
  // Outside the root: a sibling sharing the prefix, a parent file, and symlinks pointing out.
  mkdirSync(path.join(base, 'dist', 'renderer-x'));
  writeFileSync(path.join(base, 'dist', 'renderer-x', 'secret.txt'), 'SIBLING-SECRET');
  writeFileSync(path.join(base, 'secret.txt'), 'PARENT-SECRET');
  symlinkSync(path.join(base, 'secret.txt'), path.join(root, 'link-out.txt'));
  symlinkSync(path.join(base, 'dist', 'renderer-x'), path.join(root, 'linked-dir'));
  symlinkSync(path.join(root, 'assets', 'index-abc.js'), path.join(root, 'link-in.js'));
  symlinkSync(path.join(root, 'missing.txt'), path.join(root, 'dangling.txt'));
});
afterAll(() => {
  rmSync(base, { recursive: true, force: true });
});

const get = async (url: string, method = 'GET') => {
  const handler = createAppProtocolHandler(root, recordingLogger().logger);
  return handler(new Request(url, { method }));
};

describe('app: protocol', () => {
  it('registers app as standard + secure and nothing else, in one call', () => {
    const calls: unknown[] = [];
    registerAppScheme({ registerSchemesAsPrivileged: (schemes) => calls.push(schemes) });
    expect(calls).toEqual([[{ scheme: 'app', privileges: { standard: true, secure: true } }]]);
    expect(APP_SCHEME_PRIVILEGES).toHaveLength(1);
  });

  it('handles the app scheme', () => {
    const schemes: string[] = [];
    serveAppProtocol({ handle: (scheme) => schemes.push(scheme) }, root, recordingLogger().logger);
    expect(schemes).toEqual(['app']);
  });

  it.each([
    ['app://keyrite/', 'text/html; charset=utf-8', '<!doctype html><title>Keyrite</title>'],
    ['app://keyrite/index.html', 'text/html; charset=utf-8', '<!doctype html><title>Keyrite</title>'],
    ['app://keyrite/repos/abc', 'text/html; charset=utf-8', '<!doctype html><title>Keyrite</title>'],
    ['app://keyrite/assets/index-abc.js', 'text/javascript; charset=utf-8', 'export {};'],
    ['app://keyrite/assets/index-abc.js?v=1#x', 'text/javascript; charset=utf-8', 'export {};'],
    ['app://keyrite/assets/index-abc.css', 'text/css; charset=utf-8', 'body{}'],
    ['app://keyrite/assets/inter.woff2', 'font/woff2', 'w'],
    ['app://keyrite/assets/logo.svg', 'image/svg+xml', '<svg/>'],
    ['app://keyrite/assets/data.bin', 'application/octet-stream', 'b'],
    ['app://keyrite/file%20with%20space.txt', 'text/plain; charset=utf-8', 'space'],
    ['app://keyrite/link-in.js', 'text/javascript; charset=utf-8', 'export {};'],
  ])('serves %s as %s', async (url, type, body) => {
    const response = await get(url);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe(type);
    expect(response.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await response.text()).toBe(body);
  });

  it.each([
    // `..` and `%2e%2e` are folded by the URL parser; what is left is looked up inside the root.
    ['app://keyrite/../secret.txt', 404],
    ['app://keyrite/../../secret.txt', 404],
    ['app://keyrite/%2e%2e/secret.txt', 404],
    ['app://keyrite/assets/../../renderer-x/secret.txt', 404],
    // Encoded separators, backslashes and NUL never become path syntax.
    ['app://keyrite/..%2fsecret.txt', 400],
    ['app://keyrite/%2e%2e%2f%2e%2e%2fsecret.txt', 400],
    ['app://keyrite/..%5c..%5csecret.txt', 400],
    ['app://keyrite/assets%2f..%2f..%2frenderer-x%2fsecret.txt', 400],
    ['app://keyrite/index.html%00.js', 400],
    ['app://keyrite/%E0%A4%A', 400],
    // Symlinks that leave the root, including into the prefix-sharing sibling.
    ['app://keyrite/link-out.txt', 403],
    ['app://keyrite/linked-dir/secret.txt', 403],
    // Other hosts and credentials.
    ['app://evil/index.html', 403],
    // Missing and non-files.
    ['app://keyrite/nope.js', 404],
    ['app://keyrite/dangling.txt', 404],
    ['app://keyrite/dir.d', 404],
  ])('refuses %s with %i', async (url, status) => {
    const response = await get(url);
    expect(response.status).toBe(status);
    const text = await response.text();
    expect(text).not.toContain('SECRET');
    expect(response.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
  });

  it('refuses methods other than GET and HEAD', async () => {
    expect((await get('app://keyrite/index.html', 'POST')).status).toBe(405);
    const head = await get('app://keyrite/index.html', 'HEAD');
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
  });

  it('refuses credentials in the URL (a Request cannot even carry them, resolveAppPath checks anyway)', async () => {
    expect(await resolveAppPath(root, 'app://user@keyrite/index.html')).toEqual({ ok: false, status: 403 });
    expect(await resolveAppPath(root, 'app://:pw@keyrite/index.html')).toEqual({ ok: false, status: 403 });
    expect(await resolveAppPath(root, 'https://keyrite/index.html')).toEqual({ ok: false, status: 403 });
    expect(await resolveAppPath(root, 'not a url')).toEqual({ ok: false, status: 400 });
  });

  it('answers 404 when the root itself does not exist', async () => {
    expect(await resolveAppPath(path.join(base, 'no-such-root'), 'app://keyrite/index.html')).toEqual({ ok: false, status: 404 });
  });

  it('compares against the root plus a separator (no sibling-prefix escape)', () => {
    expect(isInside('/a/dist/renderer', '/a/dist/renderer/index.html')).toBe(true);
    expect(isInside('/a/dist/renderer', '/a/dist/renderer-x/secret.txt')).toBe(false);
    expect(isInside('/a/dist/renderer', '/a/dist/renderer')).toBe(false);
    expect(isInside('/a/dist/renderer/', '/a/dist/renderer/x')).toBe(true);
  });
});

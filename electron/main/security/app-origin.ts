/**
 * Where the UI lives. It is served from a custom standard+secure scheme (never `file://`, which
 * would give every local file the page's origin) by security/app-protocol.ts.
 */
export const APP_SCHEME = 'app';
export const APP_HOST = 'keyrite';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_INDEX_URL = `${APP_ORIGIN}/index.html`;

/**
 * The origin of a URL as `scheme://host[:port]`, or null. Computed by hand because Node's URL
 * reports `"null"` as the origin of every non-special scheme such as `app:`.
 */
export function originOf(url: string): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  // Credentials in a URL are never ours; `app://x@keyrite` must not pass as app://keyrite.
  if (parsed.username !== '' || parsed.password !== '' || parsed.host === '') return null;
  return `${parsed.protocol}//${parsed.host}`;
}

export const isAppOrigin = (origin: string): boolean => origin === APP_ORIGIN;

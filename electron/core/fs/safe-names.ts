/**
 * Role names and GUNs come from untrusted metadata and user input. They are never path.join'ed
 * raw (security.md §6 #11): each `/`-separated segment is checked here, and anything that could
 * escape a directory or mean something special to a file system or URL is refused.
 */

export class UnsafeNameError extends Error {
  override readonly name = 'UnsafeNameError';
  constructor(
    readonly value: string,
    reason: string,
  ) {
    super(`refusing unsafe name ${JSON.stringify(value)}: ${reason}`);
  }
}

const SEGMENT = /^[A-Za-z0-9_][A-Za-z0-9._@+-]*$/;
const MAX_NAME = 255;
/** Names Windows reserves whatever the extension (CON, NUL.json, ...). */
const WINDOWS_RESERVED = /^(con|prn|aux|nul|com[0-9]|lpt[0-9])(\..*)?$/i;

/** Splits a `/`-separated name (role name or GUN) into safe path segments, or throws UnsafeNameError. */
export function safeSegments(name: string): string[] {
  if (name.length === 0) throw new UnsafeNameError(name, 'empty');
  if (name.length > MAX_NAME) throw new UnsafeNameError(name, `longer than ${MAX_NAME} characters`);
  const segments = name.split('/');
  for (const segment of segments) {
    if (segment === '' ) throw new UnsafeNameError(name, 'empty path segment (leading, trailing or double "/")');
    if (segment === '.' || segment === '..') throw new UnsafeNameError(name, 'contains "." or ".."');
    if (!SEGMENT.test(segment)) throw new UnsafeNameError(name, 'only letters, digits, ".", "_", "-", "@", "+" are allowed in a segment');
    if (WINDOWS_RESERVED.test(segment)) throw new UnsafeNameError(name, 'a reserved device name');
  }
  return segments;
}

/** Like safeSegments but returns whether the name is safe instead of throwing. */
export function isSafeName(name: string): boolean {
  try {
    safeSegments(name);
    return true;
  } catch (error) {
    if (error instanceof UnsafeNameError) return false;
    throw error;
  }
}

/**
 * A single flat file-name component for an arbitrary string (e.g. a TUF delegated role name
 * stored in the workspace): percent-encodes everything outside [A-Za-z0-9._-] and a leading dot.
 */
export function encodeFileComponent(value: string): string {
  const encoded = Array.from(new TextEncoder().encode(value), (byte) => {
    const char = String.fromCharCode(byte);
    return /[A-Za-z0-9_-]/.test(char) || (char === '.' && byte !== 0) ? char : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }).join('');
  const safe = encoded.startsWith('.') ? `%2E${encoded.slice(1)}` : encoded;
  return WINDOWS_RESERVED.test(safe) ? `%${safe}` : safe || '%';
}

/** URL path for a `/`-separated safe name: each segment percent-encoded. */
export function urlPath(name: string): string {
  return safeSegments(name).map(encodeURIComponent).join('/');
}

/**
 * A Notary GUN: like a role name, except that its first segment may be a registry `host:port`
 * (`localhost:5000/app`, stored by notary as the directory `tuf/localhost:5000/app`).
 */
export function gunSegments(gun: string): string[] {
  const [first, ...rest] = gun.split('/');
  const port = /^(.+):([0-9]{1,5})$/.exec(first ?? '');
  if (!port) return safeSegments(gun);
  const host = port[1] as string;
  safeSegments([host, ...rest].join('/'));
  return [`${host}:${port[2] as string}`, ...rest];
}

export function isSafeGun(gun: string): boolean {
  try {
    gunSegments(gun);
    return true;
  } catch (error) {
    if (error instanceof UnsafeNameError) return false;
    throw error;
  }
}

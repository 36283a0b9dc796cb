/**
 * The UI's Content-Security-Policy. Only our own scripts and styles run (no inline code, no eval),
 * images may be data: URLs (generated QR codes, icons), and the page cannot connect anywhere,
 * be framed, change its base URL or submit forms: a compromised dependency in the renderer has
 * no channel out except the typed IPC API.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

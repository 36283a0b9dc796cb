/**
 * The part of keytar Keyrite uses, and its loader. keytar is a native module (node-gyp against
 * libsecret on Linux), so it is loaded lazily: a missing or broken build must turn into an
 * "unavailable" keychain, never a crash at startup.
 */
export interface KeytarApi {
  getPassword(service: string, account: string): Promise<string | null>;
  setPassword(service: string, account: string, password: string): Promise<void>;
  deletePassword(service: string, account: string): Promise<boolean>;
  findCredentials(service: string): Promise<Array<{ account: string; password: string }>>;
}

/** Loads the real keytar (external in every esbuild bundle; shipped unpacked by electron-builder). */
export async function loadKeytar(): Promise<KeytarApi> {
  const { nativeKeytar } = await import('./keytar-native');
  // keytar is CommonJS: depending on the loader its functions are on the namespace or on `default`.
  const api = isKeytarApi(nativeKeytar) ? nativeKeytar : (nativeKeytar as { default?: unknown } | null)?.default;
  if (!isKeytarApi(api)) throw new TypeError('the keytar module does not export getPassword/setPassword/deletePassword/findCredentials');
  return api;
}

function isKeytarApi(value: unknown): value is KeytarApi {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return ['getPassword', 'setPassword', 'deletePassword', 'findCredentials'].every((name) => typeof v[name] === 'function');
}

/** `offline` = air-gapped (the app's default): every network access is refused. */
export type NetworkMode = 'offline' | 'online';

export class NetworkRefusedError extends Error {
  override readonly name = 'NetworkRefusedError';
  constructor(readonly url: string) {
    super(
      `Keyrite is in air-gapped mode; refusing to contact ${url}. ` +
        'Load the repository from a directory (metadata dir, trust dir or TUF repository dir) or switch the network mode to online.',
    );
  }
}

export class UnsupportedUrlError extends Error {
  override readonly name = 'UnsupportedUrlError';
  constructor(
    readonly url: string,
    options?: { cause: unknown },
  ) {
    super(`${url} is not an http(s) URL`, options);
  }
}

/** The one gate every outgoing request passes. Injected so the app, CLI and tests pick the mode. */
export interface NetworkPolicy {
  readonly mode: NetworkMode;
  /** Throws NetworkRefusedError (offline) or UnsupportedUrlError; returns the parsed URL. */
  check(url: string): URL;
}

export function createNetworkPolicy(mode: NetworkMode | (() => NetworkMode)): NetworkPolicy {
  const current = typeof mode === 'function' ? mode : () => mode;
  return {
    get mode() {
      return current();
    },
    check(url: string): URL {
      let parsed: URL;
      try {
        parsed = new URL(url);
      } catch (error) {
        throw new UnsupportedUrlError(url, { cause: error });
      }
      if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new UnsupportedUrlError(url);
      if (current() === 'offline') throw new NetworkRefusedError(url);
      return parsed;
    },
  };
}

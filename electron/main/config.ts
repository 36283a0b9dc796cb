import type { NetworkMode } from '../core/index';

/**
 * The network mode at start-up. Air-gapped (`offline`) unless `KEYRITE_NETWORK=online` is set
 * explicitly: a ceremony workstation must never reach out by accident.
 */
export function networkModeFrom(env: Readonly<Record<string, string | undefined>>): NetworkMode {
  return env['KEYRITE_NETWORK'] === 'online' ? 'online' : 'offline';
}

/**
 * A worker script inside app.asar cannot be started by worker_threads; electron-builder unpacks
 * dist/workers (asarUnpack), so point at the unpacked copy when packaged.
 */
export function unpackedPath(filePath: string, sep: string): string {
  return filePath.replace(`${sep}app.asar${sep}`, `${sep}app.asar.unpacked${sep}`);
}

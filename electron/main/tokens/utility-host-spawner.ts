/**
 * Starts the token host as an Electron utilityProcess (the app's way; the CLI and tests fork it
 * with child_process). Built on a structural view of Electron's API so it is unit-tested with
 * fakes: there is no Electron binary on CI machines.
 */
import type { HostProcess, HostSpawner } from '../../core/tokens/host-process';

/** The parts of Electron's `UtilityProcess` the spawner uses. */
export interface UtilityProcessLike {
  readonly pid: number | undefined;
  postMessage(message: unknown): void;
  on(event: 'message', listener: (message: unknown) => void): unknown;
  on(event: 'exit', listener: (code: number) => void): unknown;
  kill(): boolean;
}

/** Electron's `utilityProcess.fork` reduced to what we pass. */
export type UtilityFork = (
  modulePath: string,
  args: string[],
  options: { serviceName: string; stdio: 'ignore' | 'inherit' | 'pipe'; env?: NodeJS.ProcessEnv },
) => UtilityProcessLike;

export interface UtilityHostOptions {
  /** dist/token-host/index.cjs (unpacked from the asar: native modules cannot load from inside it). */
  entry: string;
  env?: NodeJS.ProcessEnv;
}

export function utilityHostSpawner(fork: UtilityFork, options: UtilityHostOptions): HostSpawner {
  return () => {
    // stderr inherited so a native crash shows in the app log; the host never prints payloads.
    const child = fork(options.entry, [], { serviceName: 'Keyrite token host', stdio: 'inherit', ...(options.env ? { env: options.env } : {}) });
    let exited = false;
    const exitListeners: Array<(reason: string) => void> = [];
    child.on('exit', (code) => {
      if (exited) return;
      exited = true;
      for (const listener of exitListeners) listener(`exit code ${code}`);
    });
    const host: HostProcess = {
      get pid() {
        return child.pid;
      },
      get running() {
        return !exited;
      },
      send: (message) => {
        // Structured clone, like fork's 'advanced' serialization: Uint8Array PINs survive (and are wiped by the caller after this).
        if (!exited) child.postMessage(message);
      },
      onMessage: (listener) => {
        child.on('message', (message) => listener(message));
      },
      onExit: (listener) => {
        exitListeners.push(listener);
      },
      kill: () => {
        if (!exited) child.kill();
      },
      // A utilityProcess has no IPC channel to close: after the `close` request finalized the module, stop it.
      disconnect: () => {
        if (!exited) child.kill();
      },
    };
    return host;
  };
}

/**
 * How the core starts a token host. `child_process.fork` in the CLI and tests; the app passes a
 * spawner built on Electron's utilityProcess (main owns that: electron/core may not import
 * electron). Both carry structured-clone messages, so Uint8Array payloads survive.
 */
import { fork, type Serializable } from 'node:child_process';

export interface HostProcess {
  readonly pid: number | undefined;
  send(message: unknown): void;
  onMessage(listener: (message: unknown) => void): void;
  /** Called once when the process is gone; `reason` is the signal or exit code. */
  onExit(listener: (reason: string) => void): void;
  /** Hard stop (SIGKILL): used on timeouts, protocol violations and failed graceful stops. */
  kill(): void;
  /** Graceful stop: close the channel; the host finalizes the module and exits. */
  disconnect(): void;
  readonly running: boolean;
}

export type HostSpawner = () => HostProcess;

export interface TokenHostLaunch {
  /** The host entry script (dist/token-host/index.cjs, or the .ts file with `--import tsx`). */
  entry: string;
  execArgv?: string[];
  env?: NodeJS.ProcessEnv;
}

export function forkHostSpawner(launch: TokenHostLaunch): HostSpawner {
  return () => {
    const child = fork(launch.entry, [], {
      execArgv: launch.execArgv ?? [],
      env: launch.env ?? process.env,
      serialization: 'advanced',
      // stdout is unused (the host never logs payloads); stderr shows native crashes.
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    });
    let exited = false;
    const exitListeners: ((reason: string) => void)[] = [];
    const finish = (reason: string): void => {
      if (exited) return;
      exited = true;
      for (const listener of exitListeners) listener(reason);
    };
    child.on('exit', (code, signal) => finish(signal ?? `exit code ${code ?? '?'}`));
    child.on('error', (error) => {
      // A failed spawn never emits 'exit'; a failed send on a dying child is followed by 'exit'.
      if (child.pid === undefined) finish(error.message);
    });
    return {
      get pid() {
        return child.pid;
      },
      get running() {
        return !exited;
      },
      send: (message) => {
        // Structured clone ('advanced') carries any clone-safe value, Uint8Array included.
        if (child.connected) child.send(message as Serializable);
      },
      onMessage: (listener) => {
        child.on('message', (message) => listener(message));
      },
      onExit: (listener) => {
        exitListeners.push(listener);
      },
      kill: () => {
        if (!exited) child.kill('SIGKILL');
      },
      disconnect: () => {
        if (child.connected) child.disconnect();
      },
    };
  };
}

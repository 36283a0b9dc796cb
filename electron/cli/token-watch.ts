/**
 * `keyrite token list --watch`: prints tokens as they are attached and detached (and PIN-state
 * changes) until Ctrl-C. A YubiKey USB event triggers an immediate rescan; the slot-list poll finds
 * everything else, and is all there is where USB events are unavailable (said once, on stderr).
 * With --json every event is one JSON object per line.
 */
import { TokenHostCrashedError } from '../../shared/token/errors';
import type { TokenInfo } from '../../shared/token/types';
import { TokenClient } from '../core/tokens/token-client';
import { TokenWatcher, type HotplugStatus } from '../core/tokens/token-watcher';
import { UsbHotplugSource, type HotplugSource } from '../core/tokens/usb-hotplug';
import { EXIT, type CliIo } from './cli-io';
import { printable } from './table';
import { tokenHostLaunch } from './token-host-launch';

export interface TokenWatchOptions {
  modulePath: string;
  json: boolean;
  intervalMs?: number;
  /** Tests inject a source; the default loads the `usb` package lazily. */
  hotplug?: HotplugSource;
  /** Ends the watch (tests); the CLI ends on SIGINT/SIGTERM. */
  signal?: AbortSignal;
}

type WatchEvent = 'present' | 'attached' | 'detached' | 'changed';

export async function runTokenWatch(options: TokenWatchOptions, io: CliIo): Promise<number> {
  const client = new TokenClient({ launch: tokenHostLaunch(io.env), modulePath: options.modulePath });
  const now = (): string => new Date().toISOString();
  const emit = (event: WatchEvent, token: TokenInfo): void => {
    if (options.json) io.stdout(`${JSON.stringify({ event, at: now(), token })}\n`);
    else io.stdout(`${now()} ${event.padEnd(8)} ${printable(token.serial)} ${printable(token.label)} (${printable(token.model)}) PIN ${token.pinState}\n`);
  };
  let known: Map<string, TokenInfo> | null = null;
  let lastProblem: string | null = null;
  const watcher = new TokenWatcher(client, {
    intervalMs: options.intervalMs ?? 1_500,
    hotplug: options.hotplug ?? new UsbHotplugSource(),
    onError: (error) => {
      // Ctrl-C reaches the token host too (same process group): its death is the stop, not a failure.
      if (error instanceof TokenHostCrashedError && error.detail['reason'] === 'SIGINT') return;
      // A failed scan (module error, host restart) is reported once until the next success.
      const text = error instanceof Error ? error.message : String(error);
      if (text !== lastProblem) io.stderr(`keyrite: token scan failed: ${text}\n`);
      lastProblem = text;
    },
    onHotplugStatus: (status) => reportHotplug(status, options.json, io),
  });
  watcher.onChange((tokens) => {
    lastProblem = null;
    const next = new Map(tokens.map((t) => [t.serial, t]));
    if (known === null) for (const token of tokens) emit('present', token);
    else {
      for (const token of tokens) {
        const before = known.get(token.serial);
        if (!before) emit('attached', token);
        else if (before.pinState !== token.pinState || before.label !== token.label) emit('changed', token);
      }
      for (const [serial, token] of known) if (!next.has(serial)) emit('detached', token);
    }
    known = next;
  });
  if (!options.json) io.stderr(`Watching tokens through ${options.modulePath}; Ctrl-C to stop.\n`);
  // The poll timer is unref'd (so it never holds a one-shot command open): this keeps the watch alive.
  const keepAlive = setInterval(() => undefined, 60_000);
  try {
    watcher.start();
    await stopped(options.signal);
  } finally {
    clearInterval(keepAlive);
    watcher.stop();
    await client.close();
  }
  return EXIT.ok;
}

function reportHotplug(status: HotplugStatus, json: boolean, io: CliIo): void {
  if (status.kind !== 'usb-events' && status.kind !== 'polling-only') return;
  if (json) io.stdout(`${JSON.stringify({ event: 'hotplug', at: new Date().toISOString(), status })}\n`);
  else if (status.kind === 'usb-events') io.stderr('USB hotplug events on: a YubiKey plugged in or out is seen at once.\n');
  else io.stderr(`USB hotplug events unavailable (${status.reason}); polling the slot list instead.\n`);
}

/** Resolves on the injected abort signal, else on SIGINT/SIGTERM. */
function stopped(signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    if (signal) {
      if (signal.aborted) resolve();
      else signal.addEventListener('abort', () => resolve(), { once: true });
      return;
    }
    const done = (): void => {
      process.off('SIGINT', done);
      process.off('SIGTERM', done);
      resolve();
    };
    process.on('SIGINT', done);
    process.on('SIGTERM', done);
  });
}

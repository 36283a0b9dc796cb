/**
 * Live token list. Polls the slot list (the fallback hardware.md §7 recommends: 1–2 s, and the
 * only source in CI and containers) and rescans at once when told to, e.g. by a USB attach/detach
 * event for Yubico's vendor ID. Listeners hear only real changes. A failing scan (host crash,
 * module error) goes to `onError` and never becomes an unhandled rejection.
 */
import type { TokenInfo } from '../../../shared/token/types';

export interface TokenWatcherOptions {
  intervalMs?: number;
  onError?: (error: unknown) => void;
}

type Listener = (tokens: TokenInfo[]) => void;

const fingerprint = (tokens: TokenInfo[]): string =>
  JSON.stringify(
    [...tokens]
      .sort((a, b) => a.serial.localeCompare(b.serial))
      .map((t) => [t.serial, t.label, t.pinState, t.flags]),
  );

export class TokenWatcher {
  private readonly listeners = new Set<Listener>();
  private last: string | null = null;
  private timer: NodeJS.Timeout | null = null;
  private running = false;
  private scanning: Promise<void> | null = null;

  constructor(
    private readonly source: { listTokens(): Promise<TokenInfo[]> },
    private readonly options: TokenWatcherOptions = {},
  ) {}

  /** Subscribes to changes; returns the unsubscribe function. */
  onChange(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    void this.tick();
  }

  stop(): void {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  /** Scans now (joins a scan already under way); resolves once listeners have been told. */
  rescan(): Promise<void> {
    this.scanning ??= this.scan().finally(() => {
      this.scanning = null;
    });
    return this.scanning;
  }

  private async scan(): Promise<void> {
    try {
      const tokens = await this.source.listTokens();
      const print = fingerprint(tokens);
      if (print === this.last) return;
      this.last = print;
      for (const listener of this.listeners) listener(tokens);
    } catch (error) {
      this.options.onError?.(error);
    }
  }

  private async tick(): Promise<void> {
    await this.rescan();
    if (!this.running) return;
    this.timer = setTimeout(() => void this.tick(), this.options.intervalMs ?? 1_500);
    // Polling alone must not keep a CLI process alive.
    this.timer.unref();
  }
}

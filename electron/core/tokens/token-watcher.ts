/**
 * Live token list. Polls the slot list (the fallback hardware.md §7 recommends: 1–2 s, and the
 * only source in CI and containers) and rescans at once on a USB attach/detach of a Yubico device
 * when a HotplugSource is given. Where USB events are unavailable the watcher keeps polling and
 * says so in `hotplugStatus`; nothing throws and nothing becomes an unhandled rejection. Listeners
 * hear only real changes. A failing scan (host crash, module error) goes to `onError`.
 */
import type { TokenInfo } from '../../../shared/token/types';
import type { HotplugSource, HotplugStatus, HotplugSubscription, UsbDeviceEvent } from './usb-hotplug';

export type { HotplugStatus };

export interface TokenWatcherOptions {
  intervalMs?: number;
  onError?: (error: unknown) => void;
  /** USB attach/detach events (e.g. `new UsbHotplugSource()`); omitted: polling only. */
  hotplug?: HotplugSource;
  /** A second rescan this long after a USB event: pcscd and the CCID reader need a moment (default 750 ms). */
  settleMs?: number;
  onHotplugStatus?: (status: HotplugStatus) => void;
  /** Every Yubico USB event, after it triggered a rescan (the CLI's `token list --watch` prints them). */
  onUsbEvent?: (event: UsbDeviceEvent) => void;
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
  private readonly settleTimers = new Set<NodeJS.Timeout>();
  private running = false;
  private scanning: Promise<void> | null = null;
  private subscription: HotplugSubscription | null = null;
  /** Bumped by every start/stop, so a subscription that resolves after stop() is dropped. */
  private generation = 0;
  private status: HotplugStatus = { kind: 'off' };

  constructor(
    private readonly source: { listTokens(): Promise<TokenInfo[]> },
    private readonly options: TokenWatcherOptions = {},
  ) {}

  /** Whether USB events drive rescans, or why only polling does. */
  get hotplugStatus(): HotplugStatus {
    return this.status;
  }

  /** Subscribes to changes; returns the unsubscribe function. */
  onChange(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.generation++;
    void this.tick(this.generation);
    if (this.options.hotplug) void this.subscribe(this.options.hotplug, this.generation);
  }

  stop(): void {
    this.running = false;
    this.generation++;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    for (const timer of this.settleTimers) clearTimeout(timer);
    this.settleTimers.clear();
    this.subscription?.stop();
    this.subscription = null;
    if (this.status.kind !== 'off') this.setStatus({ kind: 'off' });
  }

  /** Scans now (joins a scan already under way); resolves once listeners have been told. */
  rescan(): Promise<void> {
    this.scanning ??= this.scan().finally(() => {
      this.scanning = null;
    });
    return this.scanning;
  }

  private async subscribe(hotplug: HotplugSource, generation: number): Promise<void> {
    this.setStatus({ kind: 'starting' });
    let subscription: HotplugSubscription;
    try {
      // Wrapped so a source that throws synchronously is handled like one that rejects.
      subscription = await Promise.resolve().then(() => hotplug.subscribe((event) => this.onUsbEvent(event)));
    } catch (error) {
      if (generation === this.generation) this.setStatus({ kind: 'polling-only', reason: error instanceof Error ? error.message : String(error) });
      return;
    }
    if (generation !== this.generation) {
      subscription.stop(); // stopped (or restarted) while the module was loading
      return;
    }
    this.subscription = subscription;
    this.setStatus({ kind: 'usb-events' });
  }

  private onUsbEvent(event: UsbDeviceEvent): void {
    if (!this.running) return;
    void this.rescan();
    const timer = setTimeout(() => {
      this.settleTimers.delete(timer);
      if (this.running) void this.rescan();
    }, this.options.settleMs ?? 750);
    timer.unref();
    this.settleTimers.add(timer);
    this.options.onUsbEvent?.(event);
  }

  private setStatus(status: HotplugStatus): void {
    this.status = status;
    this.options.onHotplugStatus?.(status);
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

  private async tick(generation: number): Promise<void> {
    await this.rescan();
    // A stop (and maybe a new start) during the scan: that poll loop is over.
    if (!this.running || generation !== this.generation) return;
    this.timer = setTimeout(() => void this.tick(generation), this.options.intervalMs ?? 1_500);
    // Polling alone must not keep a CLI process alive.
    this.timer.unref();
  }
}

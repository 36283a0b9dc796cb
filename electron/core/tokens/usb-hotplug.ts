/**
 * USB attach/detach events for YubiKeys (hardware.md §5, §7 "Detection"), from the `usb` npm package
 * (v2: node-addon-api with prebuilds, libusb static). Only a hint to rescan at once: the slot-list
 * poll stays the source of truth, and where USB events are unavailable (no libusb, containers and
 * CI without /sys/bus/usb, a failing native load, a v3 module with another API) `subscribe` rejects
 * and the watcher simply keeps polling. The module is loaded lazily so nothing pays for it (or can
 * crash on it) before a watcher asks, and it never reaches the renderer.
 */

export const YUBICO_VENDOR_ID = 0x1050;

export interface UsbDeviceEvent {
  kind: 'attach' | 'detach';
  vendorId: number;
  productId: number;
}

export interface HotplugSubscription {
  stop(): void;
}

export interface HotplugSource {
  /** Resolves once listening; rejects (never throws synchronously) when USB events are unavailable. */
  subscribe(listener: (event: UsbDeviceEvent) => void): Promise<HotplugSubscription>;
}

export type HotplugStatus =
  | { kind: 'off' }
  | { kind: 'starting' }
  | { kind: 'usb-events' }
  /** USB events are unavailable here; the slot-list poll alone finds tokens. */
  | { kind: 'polling-only'; reason: string };

/** USB events cannot be had here; `reason` says why (shown as "polling only: ..."). */
export class UsbHotplugUnavailableError extends Error {
  override readonly name = 'UsbHotplugUnavailableError';
}

/** The part of usb@2's `usb` emitter we use. */
interface UsbEmitter {
  on(event: string, listener: (arg: unknown) => void): unknown;
  off(event: string, listener: (arg: unknown) => void): unknown;
  INIT_ERROR?: number;
  unrefHotplugEvents?: () => void;
}

export interface UsbHotplugOptions {
  /** Loads the `usb` package (tests inject failing or fake loaders). */
  load?: () => Promise<unknown>;
  /** Only devices of this vendor are reported (default Yubico). */
  vendorId?: number;
}

// 'attach'/'detach' carry a libusb Device; 'attachIds'/'detachIds' (Windows without libusb hotplug) carry only the IDs.
const EVENTS = [
  ['attach', 'attach'],
  ['detach', 'detach'],
  ['attachIds', 'attach'],
  ['detachIds', 'detach'],
] as const;

export class UsbHotplugSource implements HotplugSource {
  private readonly load: () => Promise<unknown>;
  private readonly vendorId: number;

  constructor(options: UsbHotplugOptions = {}) {
    this.load = options.load ?? (async () => (await import('./usb-native')).usbNative);
    this.vendorId = options.vendorId ?? YUBICO_VENDOR_ID;
  }

  async subscribe(listener: (event: UsbDeviceEvent) => void): Promise<HotplugSubscription> {
    const emitter = await this.loadEmitter();
    const handlers: Array<[string, (arg: unknown) => void]> = [];
    const stop = (): void => {
      // Removing the last attach/detach listener stops libusb's hotplug thread.
      for (const [event, handler] of handlers.splice(0)) emitter.off(event, handler);
    };
    try {
      for (const [event, kind] of EVENTS) {
        const handler = (arg: unknown): void => {
          const ids = deviceIds(arg);
          if (!ids || ids.vendorId !== this.vendorId) return;
          listener({ kind, ...ids });
        };
        handlers.push([event, handler]);
        // The first attach/detach listener starts libusb's hotplug thread (or usb's own polling).
        emitter.on(event, handler);
      }
      // Listening must never keep a CLI process alive on its own.
      emitter.unrefHotplugEvents?.();
    } catch (error) {
      stop();
      throw new UsbHotplugUnavailableError(`USB hotplug events could not be enabled: ${message(error)}`, { cause: error });
    }
    return { stop };
  }

  private async loadEmitter(): Promise<UsbEmitter> {
    let loaded: unknown;
    try {
      loaded = await this.load();
    } catch (error) {
      throw new UsbHotplugUnavailableError(`the usb module did not load: ${message(error)}`, { cause: error });
    }
    const emitter = usbEmitterOf(loaded);
    if (!emitter) throw new UsbHotplugUnavailableError('the usb module has no usb@2 event emitter (usb@3 is not supported)');
    if (emitter.INIT_ERROR) throw new UsbHotplugUnavailableError(`libusb failed to initialise (error ${emitter.INIT_ERROR})`);
    return emitter;
  }
}

/** `require('usb').usb` (CJS) or the same under `default` (ESM interop of the dynamic import). */
function usbEmitterOf(loaded: unknown): UsbEmitter | null {
  const candidates = [field(loaded, 'usb'), field(field(loaded, 'default'), 'usb')];
  for (const candidate of candidates) {
    if (typeof field(candidate, 'on') === 'function' && typeof field(candidate, 'off') === 'function') return candidate as UsbEmitter;
  }
  return null;
}

function deviceIds(arg: unknown): { vendorId: number; productId: number } | null {
  // A libusb Device has deviceDescriptor.idVendor; the *Ids events carry { idVendor, idProduct }.
  const source = field(arg, 'deviceDescriptor') ?? arg;
  const vendorId = field(source, 'idVendor');
  const productId = field(source, 'idProduct');
  return typeof vendorId === 'number' && typeof productId === 'number' ? { vendorId, productId } : null;
}

function field(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined;
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * For a poll loop that is not a TokenWatcher (the GUI's custody service): calls `rescan` on every
 * Yubico attach/detach. Where USB events are unavailable it reports `polling-only` and does
 * nothing else; it never throws and never leaves a rejected promise behind.
 */
export function rescanOnUsbEvents(
  rescan: (event: UsbDeviceEvent) => void,
  options: { source?: HotplugSource; onStatus?: (status: HotplugStatus) => void; onError?: (error: unknown) => void } = {},
): { stop(): void } {
  const source = options.source ?? new UsbHotplugSource();
  let stopped = false;
  let subscription: HotplugSubscription | null = null;
  options.onStatus?.({ kind: 'starting' });
  Promise.resolve()
    .then(() => source.subscribe((event) => (stopped ? undefined : rescan(event))))
    .then(
      (sub) => {
        if (stopped) sub.stop();
        else {
          subscription = sub;
          options.onStatus?.({ kind: 'usb-events' });
        }
      },
      (error: unknown) => {
        if (!stopped) options.onStatus?.({ kind: 'polling-only', reason: error instanceof Error ? error.message : String(error) });
      },
    )
    // A throwing status listener must not become an unhandled rejection: it goes to onError.
    .catch((error: unknown) => options.onError?.(error));
  return {
    stop: () => {
      stopped = true;
      subscription?.stop();
      subscription = null;
    },
  };
}

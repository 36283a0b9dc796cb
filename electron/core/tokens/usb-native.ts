/**
 * The one static import of `usb`. usb-hotplug.ts reaches it through a dynamic import, so esbuild
 * turns it into a lazy `require('usb')` in the CommonJS bundles (resolved from node_modules like
 * keytar and pkcs11js, asar-unpacked in the app), and nothing loads libusb until a watcher asks.
 */
import * as usbNative from 'usb';

export { usbNative };

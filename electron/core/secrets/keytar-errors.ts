/**
 * Turns keytar/libsecret failures into our reasons. libsecret reports through GLib error
 * messages only (no codes reach JavaScript), so the mapping is by message; anything unknown stays
 * a plain operation failure rather than being guessed into "unavailable".
 */
import type { UnavailableReason } from '../../../shared/secrets/secret-store';

export interface ClassifiedFailure {
  reason: UnavailableReason;
  detail: string;
}

const RULES: ReadonlyArray<{ pattern: RegExp; reason: UnavailableReason; detail: string }> = [
  // No DBUS_SESSION_BUS_ADDRESS and no X11 to autolaunch a bus from (headless, CI, ssh).
  { pattern: /autolaunch D-Bus|dbus-launch|DBUS_SESSION_BUS_ADDRESS/i, reason: 'no-dbus-session', detail: 'no D-Bus session bus' },
  // An address that points nowhere (a stale session).
  { pattern: /Could not connect|Connection refused|No such file or directory/i, reason: 'no-dbus-session', detail: 'the D-Bus session bus cannot be reached' },
  // A bus without any Secret Service provider (no gnome-keyring, no KWallet bridge).
  { pattern: /org\.freedesktop\.secrets|ServiceUnknown|not provided by any \.service/i, reason: 'no-keyring', detail: 'no Secret Service (gnome-keyring or KWallet) on the session bus' },
];

/** The unavailability a keytar error means, or null when it is an ordinary operation failure. */
export function classifyKeytarError(error: unknown): ClassifiedFailure | null {
  const message = errorMessage(error);
  for (const rule of RULES) {
    if (rule.pattern.test(message)) return { reason: rule.reason, detail: `${rule.detail} (${message})` };
  }
  return null;
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

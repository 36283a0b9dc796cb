/** PIN bytes for pkcs11js, which takes strings: decoded once, wiped whatever happens. */

/** Turns a PIN buffer into the string pkcs11js needs, and wipes the buffer whatever happens. */
export function withPin<T>(pin: Uint8Array, fn: (pin: string) => T): T {
  try {
    return fn(new TextDecoder('utf-8', { fatal: true }).decode(pin));
  } finally {
    pin.fill(0);
  }
}

/**
 * Named error classes shared by every zone. Electron keeps only an Error's message across IPC and
 * process boundaries, so each class is registered by name and can be rebuilt on the other side
 * with `deserializeError` (the Ledger `createCustomErrorClass` pattern, tuf-js's flat tree).
 */

export interface SerializedError {
  name: string;
  message: string;
  /** Extra public, JSON-safe detail (byte offset, JSON pointer, role...). Never secrets. */
  detail?: Record<string, string | number | boolean | null>;
}

type Detail = NonNullable<SerializedError['detail']>;

// Base of every named Keyrite error.
export class KeyriteError extends Error {
  readonly detail: Detail;
  constructor(message: string, detail: Detail = {}) {
    super(message);
    this.name = new.target.name;
    this.detail = detail;
  }
  toJSON(): SerializedError {
    return Object.keys(this.detail).length > 0
      ? { name: this.name, message: this.message, detail: this.detail }
      : { name: this.name, message: this.message };
  }
}

// Bytes are not acceptable metadata JSON (size cap, depth cap, invalid UTF-8, duplicate keys, bad numbers).
export class MetadataParseError extends KeyriteError {
  /** Byte offset in the input where the problem was found, or -1. */
  get offset(): number {
    return typeof this.detail['offset'] === 'number' ? this.detail['offset'] : -1;
  }
  /** JSON pointer of the offending value ('' = document root). */
  get path(): string {
    return typeof this.detail['path'] === 'string' ? this.detail['path'] : '';
  }
}

// Well-formed JSON that is not valid TUF/Notary metadata (wrong type, threshold 0, bad expires...).
export class MetadataFormatError extends KeyriteError {
  get path(): string {
    return typeof this.detail['path'] === 'string' ? this.detail['path'] : '';
  }
}

// A value cannot be written as OLPC canonical JSON (float, -0, unsafe integer, lone surrogate).
export class CanonicalJsonError extends KeyriteError {}

// A public key cannot be imported (junk PEM, off-curve point, unsupported type).
export class KeyImportError extends KeyriteError {}

// A signature scheme/method the verifier does not support.
export class UnsupportedSchemeError extends KeyriteError {}

// PKCS#11 and token errors (mapped from CKR_* codes by the token host).
export class TokenError extends KeyriteError {}
// CKR_PIN_INCORRECT.
export class PinIncorrectError extends TokenError {}
// CKR_TOKEN_NOT_PRESENT / CKR_DEVICE_REMOVED.
export class TokenNotPresentError extends TokenError {}
// No key object with the expected id/label on the token.
export class KeyNotFoundError extends TokenError {}
// The token host process died; in-flight requests fail with this.
export class TokenHostCrashedError extends TokenError {}

type ErrorClass = new (message: string, detail?: Detail) => KeyriteError;

const registry = new Map<string, ErrorClass>();

/** Register a named error class so `deserializeError` can rebuild it. Other modules may add theirs. */
export function registerErrorClass(cls: ErrorClass): void {
  registry.set(cls.name, cls);
}

for (const cls of [
  KeyriteError,
  MetadataParseError,
  MetadataFormatError,
  CanonicalJsonError,
  KeyImportError,
  UnsupportedSchemeError,
  TokenError,
  PinIncorrectError,
  TokenNotPresentError,
  KeyNotFoundError,
  TokenHostCrashedError,
]) {
  registerErrorClass(cls);
}

export function serializeError(error: unknown): SerializedError {
  if (error instanceof KeyriteError) return error.toJSON();
  if (error instanceof Error) return { name: error.name, message: error.message };
  return { name: 'Error', message: String(error) };
}

/** Rebuild a named error; unknown names become a plain KeyriteError that keeps the name. */
export function deserializeError(data: SerializedError): KeyriteError {
  const cls = registry.get(data.name);
  const error = cls ? new cls(data.message, data.detail ?? {}) : new KeyriteError(data.message, data.detail ?? {});
  if (!cls) error.name = data.name;
  return error;
}

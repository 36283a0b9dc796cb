/**
 * Named token errors (security.md §6 #33–#37). They extend `TokenError` from shared/errors and are
 * registered there, so the core client rebuilds the exact class from what the token host sends.
 * `detail` carries only public facts (CKR code, PIN state, token serial); never a PIN.
 */
import {
  KeyNotFoundError,
  PinIncorrectError,
  registerErrorClass,
  TokenError,
  TokenHostCrashedError,
  TokenNotPresentError,
} from '../errors';

export { KeyNotFoundError, PinIncorrectError, TokenError, TokenHostCrashedError, TokenNotPresentError };

// CKR_PIN_LOCKED: the user PIN is blocked; only the PUK/SO path (ykman, yubico-piv-tool) unblocks it.
export class PinLockedError extends TokenError {}
// CKR_USER_PIN_NOT_INITIALIZED: the token has no user PIN yet.
export class PinNotInitializedError extends TokenError {}
// A PIN is needed (login, or CKA_ALWAYS_AUTHENTICATE context login) but none was given.
export class PinRequiredError extends TokenError {}
// CKR_DEVICE_REMOVED / CKR_DEVICE_ERROR / session vanished in the middle of an operation.
export class DeviceRemovedError extends TokenError {}
// CKR_FUNCTION_CANCELED: touch timeout or the user cancelled on the device.
export class FunctionCanceledError extends TokenError {}
// CKR_USER_NOT_LOGGED_IN: the operation needs a login first (on ykcs11 also "touch did not happen").
export class NotLoggedInError extends TokenError {}
// CKR_MECHANISM_INVALID and friends: the module cannot do what was asked (e.g. P-384, Ed25519).
export class MechanismUnsupportedError extends TokenError {}
// The PKCS#11 module could not be loaded or initialised.
export class TokenModuleLoadError extends TokenError {}
// Any other CKR_* code; `detail.ckr` holds the numeric code.
export class Pkcs11OperationError extends TokenError {}
// The token returned a signature that does not verify against the key's public key (#37).
export class TokenSignatureInvalidError extends TokenError {}
// The token host did not answer in time; it is restarted so a hung module cannot block the queue.
export class TokenHostTimeoutError extends TokenError {}
// A message between core and token host failed validation (bug or a compromised host).
export class TokenProtocolError extends TokenError {}
// The caller asked for something the token cannot take (bad CKA_ID, key already in that slot...).
export class TokenRequestError extends TokenError {}

for (const cls of [
  PinLockedError,
  PinNotInitializedError,
  PinRequiredError,
  DeviceRemovedError,
  FunctionCanceledError,
  NotLoggedInError,
  MechanismUnsupportedError,
  TokenModuleLoadError,
  Pkcs11OperationError,
  TokenSignatureInvalidError,
  TokenHostTimeoutError,
  TokenProtocolError,
  TokenRequestError,
]) {
  registerErrorClass(cls);
}

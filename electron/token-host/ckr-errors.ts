/**
 * CKR_* return codes → named token errors (style.md #21, hardware.md §7 "Errors"). The message
 * says what to do next; `detail` keeps the numeric code and public context, never a PIN.
 */
import { serializeError, type TokenError } from '../../shared/errors';
import {
  DeviceRemovedError,
  FunctionCanceledError,
  KeyNotFoundError,
  MechanismUnsupportedError,
  NotLoggedInError,
  PinIncorrectError,
  PinLockedError,
  PinNotInitializedError,
  Pkcs11OperationError,
  TokenNotPresentError,
} from '../../shared/token/errors';
import { describePinState } from '../../shared/token/pin-state';
import type { PinState } from '../../shared/token/types';

export const CKR = {
  GENERAL_ERROR: 0x5,
  DEVICE_ERROR: 0x30,
  DEVICE_MEMORY: 0x31,
  DEVICE_REMOVED: 0x32,
  FUNCTION_CANCELED: 0x50,
  FUNCTION_NOT_SUPPORTED: 0x54,
  KEY_TYPE_INCONSISTENT: 0x63,
  MECHANISM_INVALID: 0x70,
  MECHANISM_PARAM_INVALID: 0x71,
  OBJECT_HANDLE_INVALID: 0x82,
  OPERATION_ACTIVE: 0x90,
  PIN_INCORRECT: 0xa0,
  PIN_INVALID: 0xa1,
  PIN_LEN_RANGE: 0xa2,
  PIN_LOCKED: 0xa4,
  SESSION_CLOSED: 0xb0,
  SESSION_HANDLE_INVALID: 0xb3,
  TOKEN_NOT_PRESENT: 0xe0,
  TOKEN_NOT_RECOGNIZED: 0xe1,
  USER_ALREADY_LOGGED_IN: 0x100,
  USER_NOT_LOGGED_IN: 0x101,
  USER_PIN_NOT_INITIALIZED: 0x102,
  USER_TYPE_INVALID: 0x103,
  CURVE_NOT_SUPPORTED: 0x140,
  CRYPTOKI_NOT_INITIALIZED: 0x190,
} as const;

/** Codes after which the token (or our session to it) must be assumed gone. */
export const TOKEN_GONE_CODES: ReadonlySet<number> = new Set([
  CKR.DEVICE_ERROR,
  CKR.DEVICE_REMOVED,
  CKR.SESSION_CLOSED,
  CKR.SESSION_HANDLE_INVALID,
  CKR.TOKEN_NOT_PRESENT,
  CKR.TOKEN_NOT_RECOGNIZED,
  CKR.CRYPTOKI_NOT_INITIALIZED,
]);

export const PIN_UNBLOCK_HINT =
  'Unblock it with the PUK (YubiKey: `ykman piv access unblock-pin`, or `yubico-piv-tool -a unblock-pin`; ' +
  'other tokens: the security officer resets the user PIN). Keyrite never uses the PUK on its own.';

/** The CKR code of a pkcs11js error, or null for anything else. */
export function ckrOf(error: unknown): number | null {
  if (error instanceof Error && 'code' in error && typeof error.code === 'number' && error.name === 'Pkcs11Error') {
    return error.code;
  }
  return null;
}

export interface CkrContext {
  tokenSerial: string;
  /** What was being done, for the message ("sign", "login"...). */
  operation: string;
  /** PIN state read from the token right after the failure, when readable. */
  pinState?: PinState;
  /** Tries left, when the module's flags say it exactly (ykcs11); null when unknown. */
  triesLeft?: number | null;
}

export function mapCkrError(error: unknown, context: CkrContext): TokenError | null {
  const code = ckrOf(error);
  if (code === null) return null;
  const { tokenSerial, operation } = context;
  const ckr = `0x${code.toString(16)}`;
  const detail = { ckr, tokenSerial, operation };
  switch (code) {
    case CKR.PIN_INCORRECT: {
      const pinState = context.pinState ?? null;
      // The wrong PIN that used up the last try: a PIV card answers 63C0 (CKR_PIN_INCORRECT), not 6983.
      if (pinState === 'locked') {
        return new PinLockedError(`Wrong PIN: that was the last try, the PIN of token ${tokenSerial} is now locked. ${PIN_UNBLOCK_HINT}`, {
          ...detail,
          pinState,
          triesLeft: 0,
        });
      }
      const triesLeft = context.triesLeft ?? null;
      const state = triesLeft !== null ? `: ${triesLeft} ${triesLeft === 1 ? 'try' : 'tries'} left` : pinState ? `: ${describePinState(pinState)}` : '';
      const finalWarning = pinState === 'final-try' ? ' The next wrong PIN locks it.' : '';
      return new PinIncorrectError(`Wrong PIN for token ${tokenSerial}${state}.${finalWarning}`, { ...detail, pinState, triesLeft });
    }
    case CKR.PIN_LOCKED:
      return new PinLockedError(`The PIN of token ${tokenSerial} is locked. ${PIN_UNBLOCK_HINT}`, { ...detail, pinState: 'locked', triesLeft: 0 });
    case CKR.PIN_INVALID:
    case CKR.PIN_LEN_RANGE:
      return new PinIncorrectError(`The PIN for token ${tokenSerial} has invalid characters or length.`, detail);
    case CKR.USER_PIN_NOT_INITIALIZED:
      return new PinNotInitializedError(`Token ${tokenSerial} has no user PIN set yet.`, detail);
    case CKR.USER_NOT_LOGGED_IN:
      return new NotLoggedInError(
        `Token ${tokenSerial} refused to ${operation}: not logged in (on a YubiKey this also means the touch did not happen).`,
        detail,
      );
    case CKR.FUNCTION_CANCELED:
      return new FunctionCanceledError(`The ${operation} on token ${tokenSerial} was cancelled (touch timeout or cancelled on the device).`, detail);
    case CKR.DEVICE_REMOVED:
    case CKR.DEVICE_ERROR:
      return new DeviceRemovedError(`Token ${tokenSerial} was removed or failed during ${operation}; nothing was produced.`, detail);
    case CKR.TOKEN_NOT_PRESENT:
    case CKR.TOKEN_NOT_RECOGNIZED:
    case CKR.SESSION_HANDLE_INVALID:
    case CKR.SESSION_CLOSED:
      return new TokenNotPresentError(`Token ${tokenSerial} is not present (reconnect it and try again).`, detail);
    case CKR.OBJECT_HANDLE_INVALID:
      return new KeyNotFoundError(`The key object on token ${tokenSerial} disappeared during ${operation}.`, detail);
    case CKR.MECHANISM_INVALID:
    case CKR.MECHANISM_PARAM_INVALID:
    case CKR.FUNCTION_NOT_SUPPORTED:
    case CKR.CURVE_NOT_SUPPORTED:
    case CKR.KEY_TYPE_INCONSISTENT:
      return new MechanismUnsupportedError(`Token ${tokenSerial} does not support this ${operation} (${ckr}).`, detail);
    default:
      return new Pkcs11OperationError(`PKCS#11 ${operation} on token ${tokenSerial} failed with ${errorName(error)} (${ckr}).`, detail);
  }
}

function errorName(error: unknown): string {
  // pkcs11js messages look like "CKR_GENERAL_ERROR"; keep just the code name.
  const message = serializeError(error).message;
  const match = /CKR_[A-Z_]+/.exec(message);
  return match ? match[0] : 'an error';
}

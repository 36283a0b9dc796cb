/** PIN state from CK_TOKEN_INFO.flags (hardware.md §1 "PIN retry counters"). */
import type { PinState } from './types';

export const CKF_LOGIN_REQUIRED = 0x4;
export const CKF_USER_PIN_INITIALIZED = 0x8;
export const CKF_PROTECTED_AUTHENTICATION_PATH = 0x100;
export const CKF_USER_PIN_COUNT_LOW = 0x10000;
export const CKF_USER_PIN_FINAL_TRY = 0x20000;
export const CKF_USER_PIN_LOCKED = 0x40000;

export function pinStateFromFlags(flags: number): PinState {
  // Most severe first: a locked token may also carry COUNT_LOW from earlier failures.
  if (flags & CKF_USER_PIN_LOCKED) return 'locked';
  if (flags & CKF_USER_PIN_FINAL_TRY) return 'final-try';
  if (flags & CKF_USER_PIN_COUNT_LOW) return 'count-low';
  if (!(flags & CKF_USER_PIN_INITIALIZED)) return 'not-initialized';
  return 'ok';
}

/** Human wording for error messages and the PIN dialog. */
export function describePinState(state: PinState): string {
  switch (state) {
    case 'ok':
      return 'PIN retries not reduced';
    case 'count-low':
      return 'the token reports few PIN tries left';
    case 'final-try':
      return 'ONE PIN try left: the next wrong PIN locks the token';
    case 'locked':
      return 'the PIN is locked';
    case 'not-initialized':
      return 'the user PIN is not set';
  }
}

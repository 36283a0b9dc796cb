/** Named errors of the custody facade; `ipcCode` tells main's IPC layer how to report them. */

// The slot already holds a key: generating would destroy it, so we refuse (a root key may live there).
export class SlotOccupiedError extends Error {
  override readonly name = 'SlotOccupiedError';
  readonly ipcCode = 'InvalidInput';
}

// The token's PIN has one try left and the caller did not confirm spending it.
export class FinalTryNotConfirmedError extends Error {
  override readonly name = 'FinalTryNotConfirmedError';
  readonly ipcCode = 'InvalidInput';
}

// No PKCS#11 module is configured or it could not be found: tokens cannot be used at all.
export class TokensUnavailableError extends Error {
  override readonly name = 'TokensUnavailableError';
  readonly ipcCode = 'SourceUnavailable';
}

// A key file says nothing about the role its key serves and the caller did not name one.
export class KeyRoleMissingError extends Error {
  override readonly name = 'KeyRoleMissingError';
  readonly ipcCode = 'InvalidInput';
}

// The inventory or key store has no key with that ID.
export class CustodyKeyNotFoundError extends Error {
  override readonly name = 'CustodyKeyNotFoundError';
  readonly ipcCode = 'NotFound';
}

// An operation needs a passphrase the caller did not give (Notary export re-encrypts the key).
export class PassphraseRequiredError extends Error {
  override readonly name = 'PassphraseRequiredError';
  readonly ipcCode = 'InvalidInput';
}

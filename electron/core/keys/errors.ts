/**
 * Named key-file errors (security.md §6 #42): every way a key file can be refused has its own
 * class, so the CLI and GUI can say exactly what is wrong instead of "could not decrypt".
 */
export abstract class KeyFileError extends Error {
  constructor(
    message: string,
    readonly filePath: string | null = null,
    options?: { cause: unknown },
  ) {
    super(filePath === null ? message : `${filePath}: ${message}`, options);
  }
}

/** The passphrase does not open the file (the file itself is intact). */
export class WrongPassphraseError extends KeyFileError {
  override readonly name = 'WrongPassphraseError';
  constructor(filePath: string | null = null) {
    super('wrong passphrase', filePath);
  }
}

/** The file ends early: an interrupted copy or a cut download. */
export class KeyFileTruncatedError extends KeyFileError {
  override readonly name = 'KeyFileTruncatedError';
  constructor(detail: string, filePath: string | null = null) {
    super(`key file is truncated: ${detail}`, filePath);
  }
}

/** The passphrase is right but the ciphertext or the authenticated header was altered. */
export class KeyFileTamperedError extends KeyFileError {
  override readonly name = 'KeyFileTamperedError';
  constructor(filePath: string | null = null) {
    super('key file failed authentication: its header or ciphertext was modified (bit flip or tampering)', filePath);
  }
}

/** Structurally invalid: not our JSON envelope, a missing field, bad base64, a bad PEM. */
export class KeyFileMalformedError extends KeyFileError {
  override readonly name = 'KeyFileMalformedError';
  constructor(detail: string, filePath: string | null = null, options?: { cause: unknown }) {
    super(`malformed key file: ${detail}`, filePath, options);
  }
}

/** KDF parameters below policy (or absurdly high: a file must not make us allocate gigabytes). */
export class WeakKdfParametersError extends KeyFileError {
  override readonly name = 'WeakKdfParametersError';
  constructor(detail: string, filePath: string | null = null) {
    super(`key file KDF parameters are refused: ${detail}`, filePath);
  }
}

export class UnsupportedCipherError extends KeyFileError {
  override readonly name = 'UnsupportedCipherError';
  constructor(
    readonly cipher: string,
    filePath: string | null = null,
  ) {
    super(`unsupported cipher "${cipher}"`, filePath);
  }
}

export class UnsupportedKeyFileVersionError extends KeyFileError {
  override readonly name = 'UnsupportedKeyFileVersionError';
  constructor(
    readonly version: unknown,
    filePath: string | null = null,
  ) {
    super(`unsupported key file version ${JSON.stringify(version)}`, filePath);
  }
}

export class UnsupportedKeyAlgorithmError extends KeyFileError {
  override readonly name = 'UnsupportedKeyAlgorithmError';
  constructor(detail: string, filePath: string | null = null) {
    super(`unsupported key algorithm: ${detail}`, filePath);
  }
}

/** The decrypted private key does not match the public key / key ID recorded next to it. */
export class KeyMismatchError extends KeyFileError {
  override readonly name = 'KeyMismatchError';
  constructor(detail: string, filePath: string | null = null) {
    super(`key does not match its recorded identity: ${detail}`, filePath);
  }
}

/** Passphrase policy (notary requires ≥ 8 characters for new passphrases). */
export class WeakPassphraseError extends KeyFileError {
  override readonly name = 'WeakPassphraseError';
  constructor(detail: string) {
    super(`passphrase refused: ${detail}`);
  }
}

/** A key file already exists at the destination: key files are never overwritten. */
export class KeyFileExistsError extends KeyFileError {
  override readonly name = 'KeyFileExistsError';
  constructor(filePath: string) {
    super('a key file already exists here; key files are never overwritten', filePath);
  }
}

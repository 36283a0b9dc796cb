/**
 * Where `keyrite keys ...` gets a passphrase: `--passphrase-file`, then KEYRITE_PASSPHRASE, then the
 * Notary/Docker variable for the key's role, then (when the caller names a key whose passphrase may
 * be remembered) the OS keychain, then an interactive prompt (hidden input, confirmed for new
 * passphrases). With no TTY and no source the command stops with exit 2 instead of hanging.
 */
import path from 'node:path';

import { readFileCapped } from '../core/fs/atomic-write';
import { passphraseEnvNames, passphraseFromEnv, WrongPassphraseError } from '../core/keys';
import type { SecretStore } from '../../shared/secrets/secret-store';
import { CliUsageError, type CliIo } from './cli-io';
import { KEYCHAIN_SOURCE, rememberedPassphrase, warnStaleRemembered, type KeychainLookup } from './keys-keychain-source';

/** Asks one hidden question; null when there is no terminal to ask on. */
export type Prompter = (question: string) => Promise<string>;

/** CliIo plus an injectable prompt (tests; the default reads the controlling TTY). */
export type KeysIo = CliIo & {
  prompt?: Prompter | null;
  /** The OS keychain (tests inject one; null turns it off; default keytar with a short timeout). */
  keychain?: (() => Promise<SecretStore>) | null;
};

const MAX_PASSPHRASE_FILE_BYTES = 4096;

export interface PassphraseRequest {
  /** What the passphrase is for, in prompts and errors ("the passphrase of key 1a2b..."). */
  purpose: string;
  /** `--passphrase-file` (or another file flag), relative to the CLI's cwd. */
  file?: string | undefined;
  /** Environment variables to try in order, after the file. */
  envNames: readonly string[];
  /** Key role: its Notary/Docker variables are tried after `envNames`. */
  role?: string | null;
  /** New passphrases are typed twice. */
  confirm: boolean;
  /** The key whose remembered passphrase may be used (only rememberable kinds are looked up). */
  keychain?: KeychainLookup | undefined;
}

export interface ResolvedPassphrase {
  value: string;
  /** Where it came from, for messages (never the value itself). */
  source: string;
}

export async function resolvePassphrase(request: PassphraseRequest, io: KeysIo): Promise<ResolvedPassphrase> {
  const direct = await nonInteractivePassphrase(request, io);
  if (direct) return direct;
  if (request.keychain) {
    const remembered = await rememberedPassphrase(request.keychain, io);
    if (remembered !== null) {
      // With a verifier the remembered value is proven before use; a stale one falls through to the prompt.
      if (!request.keychain.verify || (await request.keychain.verify(remembered))) return { value: remembered, source: KEYCHAIN_SOURCE };
      warnStaleRemembered(request.keychain.keyId, io);
    }
  }
  return promptPassphrase(request, io);
}

/**
 * Resolves the passphrase and opens the key with it in one go (one KDF run, not two): a remembered
 * passphrase that no longer opens the key is reported and the prompt is used instead.
 */
export async function openWithPassphrase<T>(request: PassphraseRequest, io: KeysIo, open: (value: string) => T | Promise<T>): Promise<{ result: T; passphrase: ResolvedPassphrase }> {
  const direct = await nonInteractivePassphrase(request, io);
  if (direct) return { result: await openWith(direct, open), passphrase: direct };
  if (request.keychain) {
    const remembered = await rememberedPassphrase(request.keychain, io);
    if (remembered !== null) {
      try {
        return { result: await open(remembered), passphrase: { value: remembered, source: KEYCHAIN_SOURCE } };
      } catch (error) {
        if (!(error instanceof WrongPassphraseError)) throw error;
        warnStaleRemembered(request.keychain.keyId, io);
      }
    }
  }
  const typed = await promptPassphrase(request, io);
  return { result: await openWith(typed, open), passphrase: typed };
}

/** --passphrase-file, then the named variables, then the role's Notary/Docker variables; null when none is set. */
async function nonInteractivePassphrase(request: PassphraseRequest, io: KeysIo): Promise<ResolvedPassphrase | null> {
  if (request.file !== undefined) {
    const filePath = path.resolve(io.cwd, request.file);
    return { value: await readPassphraseFile(filePath), source: filePath };
  }
  for (const name of request.envNames) {
    const value = io.env[name];
    if (value !== undefined && value !== '') return { value, source: `$${name}` };
  }
  if (request.role) {
    const fromEnv = passphraseFromEnv(request.role, io.env);
    if (fromEnv) return { value: fromEnv.value, source: `$${fromEnv.name}` };
  }
  return null;
}

async function promptPassphrase(request: PassphraseRequest, io: KeysIo): Promise<ResolvedPassphrase> {
  const prompt = io.prompt === undefined ? ttyPrompter() : io.prompt;
  if (prompt === null) {
    const names = [...request.envNames, ...(request.role ? passphraseEnvNames(request.role) : [])];
    throw new CliUsageError(
      `${request.purpose} is needed and there is no terminal to ask on: give --passphrase-file FILE or set ${[...new Set(names)].join(' / ')}`,
    );
  }
  const value = await prompt(`Enter ${request.purpose}: `);
  if (request.confirm) {
    const again = await prompt(`Repeat ${request.purpose}: `);
    if (again !== value) throw new CliUsageError('the two passphrases differ; nothing was changed');
  }
  if (value === '') throw new CliUsageError(`${request.purpose} is empty`);
  return { value, source: 'prompt' };
}

async function readPassphraseFile(filePath: string): Promise<string> {
  let bytes: Uint8Array | null;
  try {
    bytes = await readFileCapped(filePath, MAX_PASSPHRASE_FILE_BYTES);
  } catch (error) {
    throw new CliUsageError(`cannot read passphrase file ${filePath}: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (bytes === null) throw new CliUsageError(`passphrase file ${filePath} does not exist`);
  // One trailing newline is the editor's, not the passphrase's (as `notary` and `gpg --passphrase-file`).
  const value = Buffer.from(bytes).toString('utf8').replace(/\r?\n$/, '');
  if (value === '') throw new CliUsageError(`passphrase file ${filePath} is empty`);
  return value;
}

/** Hidden input on the process's TTY; null when stdin is not a terminal. */
export function ttyPrompter(): Prompter | null {
  if (!process.stdin.isTTY) return null;
  return (question) =>
    new Promise<string>((resolve, reject) => {
      const stdin = process.stdin;
      process.stderr.write(question);
      let typed = '';
      const finish = (error: Error | null): void => {
        stdin.setRawMode(false);
        stdin.pause();
        stdin.off('data', onData);
        process.stderr.write('\n');
        if (error) reject(error);
        else resolve(typed);
      };
      const onData = (chunk: Buffer): void => {
        for (const char of chunk.toString('utf8')) {
          if (char === '\r' || char === '\n') return finish(null);
          if (char === '\u0003') return finish(new CliUsageError('cancelled'));
          if (char === '\u007f' || char === '\b') typed = [...typed].slice(0, -1).join('');
          else typed += char;
        }
      };
      stdin.setRawMode(true);
      stdin.resume();
      stdin.on('data', onData);
    });
}

/** Runs `open`; a wrong passphrase is reported with where that passphrase came from (never its value). */
export async function openWith<T>(passphrase: ResolvedPassphrase, open: (value: string) => T | Promise<T>): Promise<T> {
  try {
    return await open(passphrase.value);
  } catch (error) {
    if (error instanceof WrongPassphraseError) throw new CliUsageError(`${error.message} (the passphrase came from ${passphrase.source})`, { cause: error });
    throw error;
  }
}

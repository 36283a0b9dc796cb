/**
 * Plumbing of `keyrite ceremony ...`: the CeremonyService over the workspace, and the KeyAccess
 * that reaches private keys at a sitting: token PINs (KEYRITE_PIN_<SERIAL>, KEYRITE_PIN,
 * --pin-file, or a hidden prompt; never a default PIN) and key-file passphrases (as `keyrite keys`).
 */
import path from 'node:path';

import type { JournalEntry, SignerRef } from '../../shared/ceremony/types';
import type { ModuleProfileId } from '../../shared/token/module-profiles';
import { CeremonyService, FileCeremonySigner, findKeyFile, TokenCeremonySigner, type CeremonySigner, type KeyAccess } from '../core/ceremonies';
import { NodeCryptoProvider } from '../core/crypto/node-crypto-provider';
import { readFileCapped } from '../core/fs/atomic-write';
import { findTokenEntry, InventoryStore } from '../core/inventory';
import { Journal } from '../core/journal';
import { KeyStore } from '../core/keys';
import { resolveModulePath } from '../core/tokens/module-resolver';
import { TokenClient } from '../core/tokens/token-client';
import { CliUsageError, resolveWorkspaceDir } from './cli-io';
import { keychainLookupFor } from './keys-keychain-source';
import { openWithPassphrase, ttyPrompter, type KeysIo } from './keys-passphrase';
import { tokenHostLaunch } from './token-host-launch';

export interface CeremonyAccessFlags {
  workspace?: string;
  module?: string;
  pinFile?: string;
  passphraseFile?: string;
  /** Operator-confirmed reference time (RFC 3339) used as the ceremony clock. */
  now?: string;
}

export type CeremonyIo = KeysIo & {
  confirm?: ((question: string) => Promise<string>) | null;
  /**
   * Called after each journal entry is durable. The shipped CLI never sets it; the crash acceptance
   * test builds its own CLI entry (test/support/crash-cli-entry.ts) that SIGKILLs itself here, so no
   * fault-injection switch exists in production code.
   */
  onJournalAppend?: (entry: JournalEntry) => void;
};

export interface CeremonyContext {
  service: CeremonyService;
  access: KeyAccess;
  workspaceDir: string;
  close(): Promise<void>;
}

const PROFILES: readonly string[] = ['ykcs11', 'opensc', 'softhsm2'];

export function ceremonyContext(flags: CeremonyAccessFlags, io: CeremonyIo): CeremonyContext {
  const workspaceDir = resolveWorkspaceDir(flags.workspace, io);
  const keysDir = path.join(workspaceDir, 'keys');
  const clock = referenceClock(flags.now);
  const keyStore = new KeyStore(keysDir, clock);
  const inventory = new InventoryStore(keysDir, clock);
  const service = new CeremonyService({
    workspaceDir,
    clock,
    crypto: new NodeCryptoProvider(),
    tokenClients: () => new TokenClient({ launch: tokenHostLaunch(io.env), modulePath: modulePath(flags.module ?? 'ykcs11', io) }),
    keyStore,
    inventory,
    journals: (file) => Journal.open(file, { clock }),
    ...(io.onJournalAppend === undefined ? {} : { onJournalAppend: io.onJournalAppend }),
  });
  const loggedIn = new Set<string>();
  const ensureTokenLogin = async (serial: string): Promise<void> => {
    if (loggedIn.has(serial)) return;
    const pin = await tokenPin(serial, flags, io);
    await service.tokens().login(serial, pin);
    loggedIn.add(serial);
  };
  const openSigner = async (ref: SignerRef, hint: { label: string; role?: string }): Promise<CeremonySigner> => {
    if (ref.kind === 'token') {
      await ensureTokenLogin(ref.tokenSerial);
      const key = (await service.tokens().listKeys(ref.tokenSerial)).find((k) => k.ckaId === ref.ckaId && k.spkiSha256 === ref.spkiSha256);
      if (!key) throw new CliUsageError(`token ${ref.tokenSerial} does not hold key ${ref.ckaId} any more (${hint.label})`);
      const holder = findTokenEntry(await inventory.list(), key)?.holder ?? null;
      // PIV slot 9c keys want the PIN again for every signature (CKA_ALWAYS_AUTHENTICATE).
      const pin = key.alwaysAuthenticate === true ? await tokenPin(ref.tokenSerial, flags, io) : null;
      return new TokenCeremonySigner(service.tokens(), key, { holder, pin });
    }
    if (ref.kind === 'file') {
      const stored = await findKeyFile(keyStore, ref.keyId);
      const role = hint.role ?? stored.envelope.key.role;
      const record = await inventory.get(stored.envelope.key.id);
      // A passphrase remembered with `keyrite keys remember` (online/delegation keys only; never root or targets).
      const keychain = keychainLookupFor(stored.envelope.key.id, [...(record?.roles ?? []), stored.envelope.key.role, role]);
      const request = { purpose: `the passphrase of key file ${ref.keyId.slice(0, 12)}… (${hint.label})`, file: flags.passphraseFile, envNames: ['KEYRITE_PASSPHRASE'], role, confirm: false, keychain };
      const { result: decrypted } = await openWithPassphrase(request, io, (value) => keyStore.load(stored.filePath, value));
      const holder = record?.holder ?? null;
      return new FileCeremonySigner(decrypted.privateKey, { keyId: ref.keyId, holder });
    }
    throw new CliUsageError(`${hint.label} is held elsewhere: it signs in another sitting (export a partial bundle)`);
  };
  return {
    service,
    access: { openSigner, ensureTokenLogin },
    workspaceDir,
    close: () => service.close(),
  };
}

function referenceClock(now: string | undefined): () => Date {
  if (now === undefined) return () => new Date();
  const at = new Date(now);
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/.test(now) || Number.isNaN(at.getTime())) throw new CliUsageError(`--now must be an RFC 3339 UTC time such as 2026-11-22T10:00:00Z, got "${now}"`);
  return () => new Date(at.getTime());
}

function modulePath(value: string, io: KeysIo): string {
  if (PROFILES.includes(value)) return resolveModulePath(value as ModuleProfileId);
  return resolveModulePath('custom', { customPath: path.resolve(io.cwd, value) });
}

async function tokenPin(serial: string, flags: CeremonyAccessFlags, io: KeysIo): Promise<Uint8Array> {
  if (flags.pinFile) {
    const bytes = await readFileCapped(path.resolve(io.cwd, flags.pinFile), 256);
    if (bytes === null) throw new CliUsageError(`PIN file ${flags.pinFile} does not exist`);
    const pin = Buffer.from(bytes).toString('utf8').replace(/\r?\n$/, '');
    if (pin === '') throw new CliUsageError(`PIN file ${flags.pinFile} is empty`);
    return new TextEncoder().encode(pin);
  }
  const fromEnv = io.env[`KEYRITE_PIN_${serial}`] ?? io.env['KEYRITE_PIN'];
  if (fromEnv) return new TextEncoder().encode(fromEnv);
  const prompt = io.prompt === undefined ? ttyPrompter() : io.prompt;
  if (prompt === null) throw new CliUsageError(`the PIN of token ${serial} is needed and there is no terminal to ask on: set KEYRITE_PIN (or KEYRITE_PIN_${serial}) or give --pin-file FILE`);
  const pin = await prompt(`PIN of token ${serial}: `);
  if (pin === '') throw new CliUsageError('empty PIN; nothing was signed');
  return new TextEncoder().encode(pin);
}

/**
 * Plumbing of `keyrite ceremony ...`: the CeremonyService over the workspace, and the KeyAccess
 * that reaches private keys at a sitting: token PINs through CeremonyPinGuard (ceremony-pin.ts:
 * KEYRITE_PIN_<SERIAL>, KEYRITE_PIN / --pin-file for one token only, or a hidden prompt per token;
 * never a default PIN) and key-file passphrases (as `keyrite keys`).
 */
import path from 'node:path';

import type { JournalEntry, SignerRef } from '../../shared/ceremony/types';
import type { ModuleProfileId } from '../../shared/token/module-profiles';
import { CeremonyService, FileCeremonySigner, findKeyFile, TokenCeremonySigner, type CeremonySigner, type KeyAccess } from '../core/ceremonies';
import { NodeCryptoProvider } from '../core/crypto/node-crypto-provider';
import { findTokenEntry, InventoryStore } from '../core/inventory';
import { Journal } from '../core/journal';
import { KeyStore } from '../core/keys';
import { resolveModulePath } from '../core/tokens/module-resolver';
import { TokenClient } from '../core/tokens/token-client';
import { CeremonyPinGuard } from './ceremony-pin';
import { CliUsageError, resolveWorkspaceDir } from './cli-io';
import { keychainLookupFor } from './keys-keychain-source';
import { openWithPassphrase, type KeysIo } from './keys-passphrase';
import { tokenHostLaunch } from './token-host-launch';

export interface CeremonyAccessFlags {
  workspace?: string;
  module?: string;
  pinFile?: string;
  passphraseFile?: string;
  /** Operator-confirmed reference time (RFC 3339) used as the ceremony clock. */
  now?: string;
  /** Use a token's last PIN try without the interactive confirmation. */
  finalTry?: boolean;
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
    onStaleLockRecovered: (holder) => io.stderr(`keyrite: recovered a stale lock left by ${holder.program} (pid ${holder.pid}, since ${holder.since}; that process has exited)\n`),
  });
  // Every ceremony token login goes through the PIN guard (tries left, final-try confirmation, locked stop, one PIN per token, no factory default).
  const pins = new CeremonyPinGuard(() => service.tokens(), { ...(flags.pinFile === undefined ? {} : { pinFile: flags.pinFile }), ...(flags.finalTry ? { finalTry: true } : {}) }, io);
  const ensureTokenLogin = (serial: string): Promise<void> => pins.login(serial);
  const openSigner = async (ref: SignerRef, hint: { label: string; role?: string }): Promise<CeremonySigner> => {
    if (ref.kind === 'token') {
      await ensureTokenLogin(ref.tokenSerial);
      const key = (await service.tokens().listKeys(ref.tokenSerial)).find((k) => k.ckaId === ref.ckaId && k.spkiSha256 === ref.spkiSha256);
      if (!key) throw new CliUsageError(`token ${ref.tokenSerial} does not hold key ${ref.ckaId} any more (${hint.label})`);
      const holder = findTokenEntry(await inventory.list(), key)?.holder ?? null;
      // PIV slot 9c keys want the PIN again for every signature (CKA_ALWAYS_AUTHENTICATE).
      const pin = key.alwaysAuthenticate === true ? await pins.pinFor(ref.tokenSerial) : null;
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

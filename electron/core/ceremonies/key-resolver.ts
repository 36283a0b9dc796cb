/**
 * Turns KeySpecs into CeremonyKeys: reads public keys from tokens and the key store, names them
 * from the inventory (holder, token serial), generates token keys, and mints the Notary root
 * certificate (CN = GUN) signed by the root key itself. The service journals every act.
 */
import { createHash, createPublicKey } from 'node:crypto';

import { ceremonyKeyFromObject, ceremonyKeyFromSpki, notaryRootKeyFromCert } from '../../../shared/ceremony';
import type { CeremonyKey, SignerRef } from '../../../shared/ceremony/types';
import type { CryptoProvider } from '../../../shared/tuf/crypto';
import type { Dialect } from '../../../shared/tuf/model';
import type { TokenKey } from '../../../shared/token/types';
import { findTokenEntry, tokenKeyRecord, type InventoryStore } from '../inventory';
import type { InventoryEntry } from '../inventory';
import { tufKeyId, type KeyStore, type StoredKey } from '../keys';
import type { TokenClient } from '../tokens/token-client';
import { CeremonyError } from './errors';
import type { KeySpec } from './key-specs';
import type { CeremonySigner } from './signers/ceremony-signer';
import { createNotaryRootCertificate } from './signers/root-cert';

export class KeyResolutionError extends CeremonyError {
  override readonly name = 'KeyResolutionError';
}

/** Opens a signer for a key (the CLI asks for the PIN or passphrase; the GUI passes it over IPC). */
export type SignerOpener = (ref: SignerRef, hint: { label: string; role?: string }) => Promise<CeremonySigner>;

export interface KeyResolverDeps {
  crypto: CryptoProvider;
  keyStore: KeyStore;
  inventory: InventoryStore;
  tokenClient: () => TokenClient;
  openSigner: SignerOpener;
  /** Logs in to a token (PIN from the caller) before a key is generated on it. */
  ensureTokenLogin: (tokenSerial: string) => Promise<void>;
  /** Keys already in the repository (spec kind `keyid`). */
  repoKeys: ReadonlyMap<string, CeremonyKey>;
}

export interface ResolveContext {
  dialect: Dialect;
  gun: string;
  role: string;
  now: Date;
  certValidityDays: number;
  /** Resuming an interrupted generation: a key with the CKA_ID is the one generated before the crash. */
  resumingAct?: boolean;
}

/** A public key as found, before it is shaped for the dialect. */
interface FoundKey {
  algorithm: CeremonyKey['algorithm'];
  spkiDer: Uint8Array;
  signer: SignerRef;
  holder?: string;
  tokenSerial?: string;
  label?: string;
}

export class KeyResolver {
  private inventoryCache: InventoryEntry[] | null = null;

  constructor(private readonly deps: KeyResolverDeps) {}

  /** True when resolving `spec` changes something outside the journal (a token key, a certificate). */
  static isAct(spec: KeySpec, ctx: Pick<ResolveContext, 'dialect' | 'role'>): boolean {
    if (spec.kind === 'token-generate') return true;
    return ctx.dialect === 'notary-v1' && ctx.role === 'root' && (spec.kind === 'token' || spec.kind === 'file');
  }

  async resolve(spec: KeySpec, ctx: ResolveContext): Promise<CeremonyKey> {
    if (spec.kind === 'keyid') {
      const key = this.deps.repoKeys.get(spec.keyid);
      if (!key) throw new KeyResolutionError(`key ${spec.keyid} is not in the repository`);
      return key;
    }
    if (spec.kind === 'public') {
      return ceremonyKeyFromObject(ctx.dialect, spec.keyObject, this.deps.crypto, { signer: { kind: 'external' }, ...(spec.holder ? { holder: spec.holder } : {}) });
    }
    if (spec.kind === 'spki') {
      const der = new Uint8Array(Buffer.from(spec.spkiDer, 'base64'));
      const algorithm = algorithmOfSpki(der);
      return ceremonyKeyFromSpki(ctx.dialect, { algorithm, spkiDer: der, signer: { kind: 'external' }, ...(spec.holder ? { holder: spec.holder } : {}) }, this.deps.crypto);
    }
    const found = spec.kind === 'file' ? await this.fileKey(spec.keyId) : await this.tokenKey(spec, ctx);
    if (ctx.dialect === 'notary-v1' && ctx.role === 'root') return this.notaryRootKey(found, ctx);
    return ceremonyKeyFromSpki(ctx.dialect, found, this.deps.crypto);
  }

  private async notaryRootKey(found: FoundKey, ctx: ResolveContext): Promise<CeremonyKey> {
    const signer = await this.deps.openSigner(found.signer, { label: describe(found), role: ctx.role });
    try {
      const notAfter = new Date(ctx.now.getTime() + ctx.certValidityDays * 86_400_000);
      const pem = await createNotaryRootCertificate(signer, { gun: ctx.gun, notBefore: ctx.now, notAfter });
      const extra = { ...(found.holder ? { holder: found.holder } : {}), ...(found.tokenSerial ? { tokenSerial: found.tokenSerial } : {}), ...(found.label ? { label: found.label } : {}) };
      return notaryRootKeyFromCert(pem, found.signer, this.deps.crypto, extra);
    } finally {
      await signer.close();
    }
  }

  private async tokenKey(spec: Extract<KeySpec, { kind: 'token' | 'token-generate' }>, ctx: ResolveContext): Promise<FoundKey> {
    const client = this.deps.tokenClient();
    let key = (await client.listKeys(spec.tokenSerial)).find((k) => k.ckaId === spec.ckaId) ?? null;
    if (key && spec.kind === 'token-generate' && ctx.resumingAct !== true) {
      throw new KeyResolutionError(`token ${spec.tokenSerial} already holds a key with CKA_ID ${spec.ckaId}; use token:${spec.tokenSerial}:${spec.ckaId} to use it, or pick a free CKA_ID`);
    }
    if (!key && spec.kind === 'token-generate') {
      await this.deps.ensureTokenLogin(spec.tokenSerial);
      key = await client.generateKey({ tokenSerial: spec.tokenSerial, ckaId: spec.ckaId, curve: spec.curve ?? 'P-256', label: spec.label ?? `keyrite ${spec.ckaId}` });
    }
    if (!key) throw new KeyResolutionError(`token ${spec.tokenSerial} has no key with CKA_ID ${spec.ckaId} (see "keyrite token list")`);
    return this.fromTokenKey(key, ctx);
  }

  private async fromTokenKey(key: TokenKey, ctx: ResolveContext): Promise<FoundKey> {
    let entry = findTokenEntry(await this.inventory(), key);
    if (!entry) {
      // A token key a ceremony uses is recorded, so later ceremonies find it (old root keys sign rotations).
      entry = await this.deps.inventory.upsert(tokenKeyRecord(key, null, { roles: [ctx.role], gun: ctx.gun }));
      this.inventoryCache = null;
    }
    return {
      algorithm: key.curve === 'P-384' ? 'ecdsa-p384' : 'ecdsa-p256',
      spkiDer: new Uint8Array(Buffer.from(key.spkiDer, 'hex')),
      signer: { kind: 'token', tokenSerial: key.tokenSerial, ckaId: key.ckaId, spkiSha256: key.spkiSha256 },
      tokenSerial: key.tokenSerial,
      ...(entry?.holder ? { holder: entry.holder } : {}),
      ...(entry?.label || key.label ? { label: entry?.label ?? key.label } : {}),
    };
  }

  private async fileKey(keyId: string): Promise<FoundKey> {
    const stored = await findKeyFile(this.deps.keyStore, keyId);
    const identity = stored.envelope.key;
    const spkiDer = new Uint8Array(Buffer.from(identity.publicKey, 'base64'));
    const entry = (await this.inventory()).find((e) => e.id === identity.id);
    return {
      algorithm: identity.algorithm,
      spkiDer,
      signer: { kind: 'file', keyId: identity.id },
      ...(entry?.holder ? { holder: entry.holder } : {}),
      ...(identity.label ? { label: identity.label } : {}),
    };
  }

  private async inventory(): Promise<InventoryEntry[]> {
    this.inventoryCache ??= await this.deps.inventory.list();
    return this.inventoryCache;
  }
}

/** The key file whose Notary or TUF key ID is `keyId` or starts with it (at least 7 hex characters). */
export async function findKeyFile(store: KeyStore, keyId: string): Promise<StoredKey> {
  const wanted = keyId.toLowerCase();
  if (!/^[0-9a-f]{7,64}$/.test(wanted)) throw new KeyResolutionError(`key ID must be 7 to 64 hex characters, got "${keyId}"`);
  const matches = (await store.list()).filter((item): item is StoredKey => {
    if (!('envelope' in item)) return false;
    const spki = createPublicKey({ key: Buffer.from(item.envelope.key.publicKey, 'base64'), format: 'der', type: 'spki' });
    return item.envelope.key.id.startsWith(wanted) || tufKeyId(spki).startsWith(wanted);
  });
  if (matches.length === 0) throw new KeyResolutionError(`no key ${keyId} in the key store ${store.dir} (see "keyrite keys list")`);
  if (matches.length > 1) throw new KeyResolutionError(`key ID prefix ${keyId} is ambiguous: ${matches.map((m) => m.envelope.key.id).join(', ')}`);
  return matches[0] as StoredKey;
}

function algorithmOfSpki(der: Uint8Array): CeremonyKey['algorithm'] {
  const key = createPublicKey({ key: Buffer.from(der), format: 'der', type: 'spki' });
  const curve = key.asymmetricKeyDetails?.namedCurve;
  if (key.asymmetricKeyType === 'ed25519') return 'ed25519';
  if (key.asymmetricKeyType === 'rsa') return 'rsa';
  if (key.asymmetricKeyType === 'ec' && (curve === 'prime256v1' || curve === 'secp384r1')) return curve === 'prime256v1' ? 'ecdsa-p256' : 'ecdsa-p384';
  throw new KeyResolutionError(`unsupported public key type ${key.asymmetricKeyType ?? 'unknown'}${curve ? ` (${curve})` : ''}`);
}

export function spkiSha256(spkiDer: Uint8Array): string {
  return createHash('sha256').update(spkiDer).digest('hex');
}

function describe(found: FoundKey): string {
  const where = found.signer.kind === 'token' ? `token ${found.signer.tokenSerial}` : found.signer.kind === 'file' ? `key file ${found.signer.keyId.slice(0, 12)}…` : 'external key';
  return found.holder ? `${where} (${found.holder})` : where;
}

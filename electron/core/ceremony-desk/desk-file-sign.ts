/**
 * Signing with a workspace key file from the GUI: the passphrase crosses once (or the keychain's
 * remembered one is used, which only ever exists for online and delegation keys), the key is
 * decrypted, every open task of the ceremony is signed (each signature verified and journalled),
 * and the decrypted key is dropped.
 */
import { createHash } from 'node:crypto';

import { keyIdentity, signingTasks } from '../../../shared/ceremony';
import type { SecretStore } from '../../../shared/secrets/secret-store';
import { findKeyFile, FileCeremonySigner, signCeremony, SignerNotRequiredError, type CeremonyService, type SignOutcome } from '../ceremonies';
import type { InventoryStore } from '../inventory';
import type { KeyStore } from '../keys';
import { passphraseKindForRoles } from '../secrets';
import { KeychainPassphraseMissingError } from './errors';

export type FilePassphrase = { source: 'passphrase'; passphrase: string } | { source: 'keychain' };

export interface FileSignDeps {
  service: CeremonyService;
  keyStore: KeyStore;
  inventory: InventoryStore;
  /** The OS keychain (keytar); absent where none is wired (then "keychain" is refused clearly). */
  secrets?: (() => Promise<SecretStore>) | undefined;
}

export async function signWithKeyFile(deps: FileSignDeps, id: string, keyId: string, secret: FilePassphrase): Promise<SignOutcome> {
  const stored = await findKeyFile(deps.keyStore, keyId);
  const identity = stored.envelope.key;
  // Cheap refusal before the KDF runs: the proposal must name this key.
  const spkiSha256 = createHash('sha256').update(Buffer.from(identity.publicKey, 'base64')).digest('hex');
  const view = await deps.service.open(id);
  const proposal = view.proposal;
  const keyids = (proposal?.keys ?? []).filter((k) => keyIdentity(k, deps.service.deps.crypto) === spkiSha256).map((k) => k.keyid);
  if (!proposal || keyids.length === 0) throw new SignerNotRequiredError(`key file ${identity.id.slice(0, 12)}… holds none of the keys this ceremony needs`);
  if (keyids.every((keyid) => signingTasks(proposal, keyid, view.signatures).length === 0)) {
    throw new SignerNotRequiredError(`key file ${identity.id.slice(0, 12)}… has nothing left to sign in this ceremony (its roles are signed or unchanged)`);
  }
  const passphrase = secret.source === 'passphrase' ? secret.passphrase : await remembered(deps, identity.id, identity.role ?? null);
  const decrypted = await deps.keyStore.load(stored.filePath, passphrase);
  const holder = (await deps.inventory.get(identity.id))?.holder ?? null;
  const signer = new FileCeremonySigner(decrypted.privateKey, { keyId: identity.id, holder });
  try {
    return await signCeremony(deps.service, id, signer);
  } finally {
    await signer.close();
  }
}

async function remembered(deps: FileSignDeps, keyId: string, fileRole: string | null): Promise<string> {
  const record = await deps.inventory.get(keyId);
  const roles = [...(record?.roles ?? []), ...(fileRole ? [fileRole] : [])];
  const decision = passphraseKindForRoles(roles);
  if (!decision.rememberable) throw new KeychainPassphraseMissingError(`no passphrase is remembered for key ${keyId.slice(0, 12)}…: ${decision.why}; type the passphrase`);
  if (!deps.secrets) throw new KeychainPassphraseMissingError('the OS keychain is not available in this window; type the passphrase');
  const store = await deps.secrets();
  let value: string | null;
  try {
    value = await store.get({ kind: decision.kind, keyId });
  } catch (error) {
    throw new KeychainPassphraseMissingError(`the OS keychain could not be read (${error instanceof Error ? error.message : String(error)}); type the passphrase`);
  }
  if (value === null) throw new KeychainPassphraseMissingError(`no passphrase is remembered for key ${keyId.slice(0, 12)}… (remember it with "keyrite keys remember ${keyId.slice(0, 12)}"); type the passphrase`);
  return value;
}

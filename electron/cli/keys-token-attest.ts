/**
 * `keyrite keys attest --token SERIAL --slot 9c`: reads the slot's attestation certificate and the
 * F9 device certificate from the token, verifies the chain to the bundled Yubico roots against the
 * key the token lists in that slot (and the token's serial), and records the result on the key's
 * inventory entry. No PIN is needed: attestation objects are public.
 */
import { KeyNotFoundError } from '../../shared/token/errors';
import { InventoryStore } from '../core/inventory';
import { findSlotKey, readTokenAttestation, recordAttestation } from '../core/tokens/token-enrollment';
import { TokenClient } from '../core/tokens/token-client';
import { CliUsageError, EXIT, resolveWorkspaceDir, type CliIo } from './cli-io';
import { formatAttestation } from './keys-attest';
import { parseSlot } from './keys-token-generate';
import { tokenHostLaunch } from './token-host-launch';
import { moduleFor } from './token-list';
import { findPresentToken } from './token-select';

export interface KeysTokenAttestFlags {
  token: string;
  slot?: string;
  module?: string;
  at?: Date;
  json?: boolean;
  workspace?: string;
}

/** Exit 0 attested on-device, 1 not (no attestation, bad chain, key mismatch...), 2 usage or token unusable. */
export async function runKeysAttestToken(flags: KeysTokenAttestFlags, io: CliIo): Promise<number> {
  const slot = parseSlot(flags.slot ?? '9c');
  const modulePath = moduleFor(flags.module ?? 'ykcs11', io);
  const inventory = InventoryStore.forWorkspace(resolveWorkspaceDir(flags.workspace, io));
  const client = new TokenClient({ launch: tokenHostLaunch(io.env), modulePath });
  try {
    const token = await findPresentToken(client, flags.token);
    const key = await findSlotKey(client, token.serial, slot).catch((error: unknown) => {
      if (error instanceof KeyNotFoundError) throw new CliUsageError(`${error.message} Generate one with "keyrite keys generate --token ${token.serial} --slot ${slot}".`);
      throw error;
    });
    const { result, record } = await readTokenAttestation(client, key, flags.at ? { at: flags.at } : {});
    const entry = await recordAttestation(inventory, key, record);
    if (flags.json) {
      io.stdout(`${JSON.stringify({ token: { serial: token.serial, label: token.label }, slot, key: { ckaId: key.ckaId, keyIds: key.keyIds, spkiSha256: key.spkiSha256 }, result, inventoryId: entry?.id ?? null }, null, 2)}\n`);
    } else {
      io.stdout(`Token ${token.serial} (${token.label}), slot ${slot}, key ${key.keyIds.notary}\n`);
      io.stdout(formatAttestation(result, true));
      io.stdout(entry ? `Recorded on inventory entry ${entry.id}\n` : 'This key is not in the workspace inventory; nothing recorded.\n');
    }
    return result.badge === 'attested-on-device' ? EXIT.ok : EXIT.findings;
  } finally {
    await client.close();
  }
}

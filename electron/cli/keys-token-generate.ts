/**
 * `keyrite keys generate --token SERIAL`: a non-extractable key generated on the token (P-256 in PIV
 * slot 9c by default), its attestation read and verified where the token offers one, and the key
 * recorded in the workspace inventory. The slot is checked before any PIN is asked for, so an
 * occupied slot never costs a PIN try; an existing key is never replaced.
 */
import { TokenRequestError } from '../../shared/token/errors';
import type { EcCurve, TokenInfo } from '../../shared/token/types';
import { ckaIdForSlot, type GeneratableSlot } from '../core/custody/piv-slots';
import { InventoryStore } from '../core/inventory';
import { enrollOnToken, GENERATABLE_SLOTS, type EnrollResult } from '../core/tokens/token-enrollment';
import { TokenClient } from '../core/tokens/token-client';
import { CliUsageError, EXIT, resolveWorkspaceDir } from './cli-io';
import { printable } from './table';
import { tokenHostLaunch } from './token-host-launch';
import { moduleFor } from './token-list';
import { describeTries, loginWithManagementKey, loginWithPin, printRefusal, TokenRefusedError, type PinFlags, type TokenIo } from './token-pin';
import { findPresentToken } from './token-select';

export interface KeysTokenGenerateFlags extends PinFlags {
  token: string;
  slot?: string;
  curve?: string;
  label?: string;
  holder?: string;
  role?: string;
  gun?: string;
  module?: string;
  json?: boolean;
  workspace?: string;
}

export const TOKEN_CURVES: readonly EcCurve[] = ['P-256', 'P-384'];

/** Exit 0 generated, 1 refused (PIN wrong/locked, final try not confirmed, slot occupied), 2 usage or token unusable. */
export async function runKeysGenerateOnToken(flags: KeysTokenGenerateFlags, io: TokenIo): Promise<number> {
  const slot = parseSlot(flags.slot ?? '9c');
  const curve = parseCurve(flags.curve ?? 'P-256');
  if ((flags.module ?? 'ykcs11') === 'opensc') throw new CliUsageError('OpenSC cannot write PIV keys (read and sign only): use --module ykcs11 for a YubiKey');
  if (flags.label !== undefined && Buffer.byteLength(flags.label) > 64) throw new CliUsageError('--label has at most 64 bytes');
  const roles = flags.role ? [flags.role] : [];
  const modulePath = moduleFor(flags.module ?? 'ykcs11', io);
  const inventory = InventoryStore.forWorkspace(resolveWorkspaceDir(flags.workspace, io));
  // A corrupt inventory stops us before the token is touched: the new key must be recordable.
  await inventory.list();
  const client = new TokenClient({ launch: tokenHostLaunch(io.env), modulePath });
  try {
    const token = await findPresentToken(client, flags.token);
    const ckaSlotTaken = (await client.listKeys(token.serial)).find((k) => k.ckaId === ckaIdForSlot(slot));
    if (ckaSlotTaken) {
      throw new TokenRefusedError(`Slot ${slot} of token ${token.serial} already holds key ${ckaSlotTaken.keyIds.notary}; Keyrite never replaces a key on a token.`, 'slot-occupied', token);
    }
    // ykcs11 generates only as SO (the PIV management key); other modules as the user.
    const pinState = isYubiKey(token) ? await loginWithManagementKey(client, token, flags, io) : await loginWithPin(client, token, flags, io);
    let result: EnrollResult;
    try {
      result = await enrollOnToken(
        { client, inventory },
        { tokenSerial: token.serial, tokenLabel: token.label || null, slot, curve, label: flags.label ?? null, holder: flags.holder ?? null, roles, gun: flags.gun ?? null },
      );
    } catch (error) {
      if (error instanceof TokenRequestError) throw new TokenRefusedError(error.message, 'token-refused', token, { cause: error });
      throw error;
    }
    if (flags.json) {
      io.stdout(`${JSON.stringify({ ok: true, token: tokenSummary(token, pinState), slot, key: result.key, attestation: result.attestation, entry: result.entry }, null, 2)}\n`);
    } else {
      io.stdout(formatGenerated(token, result, pinState));
    }
    return EXIT.ok;
  } catch (error) {
    if (!(error instanceof TokenRefusedError)) throw error;
    printRefusal(error, flags.json, io);
    return EXIT.findings;
  } finally {
    await client.close();
  }
}

function formatGenerated(token: TokenInfo, result: EnrollResult, pinState: TokenInfo['pinState']): string {
  const { key, entry, attestation } = result;
  return [
    `Generated ${key.curve} key on token ${printable(token.label)} (serial ${printable(token.serial)}), slot ${result.slot} (CKA_ID ${key.ckaId})`,
    `  Notary key ID: ${key.keyIds.notary}`,
    `  TUF key ID:    ${key.keyIds.tuf}`,
    `  label:         ${printable(key.label)}`,
    `  attestation:   ${attestation.badge}: ${attestation.reason}`,
    `  inventory:     ${entry.roles.join(',') || 'no role'}${entry.gun ? ` for ${printable(entry.gun)}` : ''}${entry.holder ? `, held by ${printable(entry.holder)}` : ''}`,
    `  ${describeTries({ pinState, flags: token.flags })}`,
    '',
  ].join('\n');
}

function tokenSummary(token: TokenInfo, pinState: TokenInfo['pinState']): Record<string, unknown> {
  return { serial: token.serial, label: token.label, model: token.model, manufacturer: token.manufacturer, pinState };
}

export function isYubiKey(token: TokenInfo): boolean {
  return /yubico/i.test(token.manufacturer) || /yubikey/i.test(token.model);
}

export function parseSlot(value: string): GeneratableSlot {
  const slot = value.toLowerCase();
  if (!(GENERATABLE_SLOTS as readonly string[]).includes(slot)) throw new CliUsageError(`--slot must be one of ${GENERATABLE_SLOTS.join(', ')}, got "${value}"`);
  return slot as GeneratableSlot;
}

function parseCurve(value: string): EcCurve {
  const curve = TOKEN_CURVES.find((c) => c.toLowerCase() === value.toLowerCase());
  if (!curve) throw new CliUsageError(`--curve must be P-256 or P-384, got "${value}"`);
  return curve;
}

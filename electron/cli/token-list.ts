/** `keyrite token list`: tokens of a PKCS#11 module with their PIN state, and the keys on each. */
import path from 'node:path';

import type { ModuleProfileId } from '../../shared/token/module-profiles';
import type { TokenInfo, TokenKey } from '../../shared/token/types';
import { findTokenEntry, InventoryStore, type InventoryEntry } from '../core/inventory';
import { resolveModulePath } from '../core/tokens/module-resolver';
import { TokenClient } from '../core/tokens/token-client';
import { EXIT, resolveWorkspaceDir, type CliIo } from './cli-io';
import { printable, shortId, table } from './table';
import { tokenHostLaunch } from './token-host-launch';
import { runTokenWatch } from './token-watch';

export interface TokenListFlags {
  module?: string;
  json?: boolean;
  workspace?: string;
  watch?: boolean;
}

type ListedKey = TokenKey & { inventory: InventoryEntry | null };
type ListedToken = TokenInfo & { keys: ListedKey[]; keysError: string | null };

const PROFILES: readonly ModuleProfileId[] = ['ykcs11', 'opensc', 'softhsm2'];

const PIN_TEXT: Record<TokenInfo['pinState'], string> = {
  ok: 'ok',
  'count-low': 'COUNT LOW (a wrong PIN was entered)',
  'final-try': 'FINAL TRY (one more wrong PIN locks it)',
  locked: 'LOCKED (unblock with the PUK / SO PIN)',
  'not-initialized': 'not initialized',
};

export async function runTokenList(flags: TokenListFlags, io: CliIo): Promise<number> {
  const modulePath = moduleFor(flags.module ?? 'ykcs11', io);
  if (flags.watch) return runTokenWatch({ modulePath, json: flags.json === true }, io);
  // Which listed keys the inventory knows (role, GUN, holder): read first, so a corrupt inventory stops us before the token is touched.
  const inventory = await InventoryStore.forWorkspace(resolveWorkspaceDir(flags.workspace, io)).list();
  const client = new TokenClient({ launch: tokenHostLaunch(io.env), modulePath });
  try {
    const tokens = await client.listTokens();
    const listed: ListedToken[] = [];
    for (const token of tokens) {
      try {
        const keys = await client.listKeys(token.serial);
        listed.push({ ...token, keys: keys.map((key) => ({ ...key, inventory: findTokenEntry(inventory, key) })), keysError: null });
      } catch (error) {
        // One unreadable token (removed mid-scan, broken) must not hide the others.
        listed.push({ ...token, keys: [], keysError: error instanceof Error ? error.message : String(error) });
      }
    }
    if (flags.json) io.stdout(`${JSON.stringify({ module: modulePath, tokens: listed }, null, 2)}\n`);
    else io.stdout(formatTokens(modulePath, listed));
    return EXIT.ok;
  } finally {
    await client.close();
  }
}

/** `--module`: a profile name (ykcs11, opensc, softhsm2) or the path of a PKCS#11 module. */
export function moduleFor(value: string, io: CliIo): string {
  if ((PROFILES as readonly string[]).includes(value)) return resolveModulePath(value as ModuleProfileId);
  return resolveModulePath('custom', { customPath: path.resolve(io.cwd, value) });
}

function formatTokens(modulePath: string, tokens: readonly ListedToken[]): string {
  if (tokens.length === 0) return `No tokens found through ${modulePath}.\n`;
  const parts = tokens.map((t) => {
    const header = [
      `Token ${printable(t.label)} (serial ${printable(t.serial)})`,
      `  model ${printable(t.model)}, ${printable(t.manufacturer)}, firmware ${t.firmware}`,
      `  PIN: ${PIN_TEXT[t.pinState]}${t.protectedAuthPath ? ' (entered on the device)' : ''}`,
    ];
    if (t.keysError) return [...header, `  keys: unreadable: ${t.keysError}`].join('\n');
    if (t.keys.length === 0) return [...header, '  keys: none'].join('\n');
    const keys = table(
      ['CKA_ID', 'LABEL', 'CURVE', 'NOTARY ID', 'TUF ID', 'INVENTORY'],
      t.keys.map((k) => [k.ckaId, printable(k.label), k.curve, shortId(k.keyIds.notary), shortId(k.keyIds.tuf), k.inventory ? printable(inventoryText(k.inventory)) : 'not recorded']),
    );
    return [...header, keys.replace(/^/gm, '  ')].join('\n');
  });
  return `Module: ${modulePath}\n\n${parts.join('\n\n')}\n`;
}

function inventoryText(entry: InventoryEntry): string {
  return [entry.roles.join(',') || 'no role', entry.gun, entry.holder ? `held by ${entry.holder}` : null].filter(Boolean).join(' ');
}

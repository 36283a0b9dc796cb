/** `keyrite token list`: tokens of a PKCS#11 module with their PIN state, and the keys on each. */
import path from 'node:path';

import type { ModuleProfileId } from '../../shared/token/module-profiles';
import type { TokenInfo, TokenKey } from '../../shared/token/types';
import { resolveModulePath } from '../core/tokens/module-resolver';
import { TokenClient } from '../core/tokens/token-client';
import { EXIT, type CliIo } from './cli-io';
import { printable, shortId, table } from './table';
import { tokenHostLaunch } from './token-host-launch';

export interface TokenListFlags {
  module?: string;
  json?: boolean;
}

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
  const client = new TokenClient({ launch: tokenHostLaunch(io.env), modulePath });
  try {
    const tokens = await client.listTokens();
    const listed: Array<TokenInfo & { keys: TokenKey[]; keysError: string | null }> = [];
    for (const token of tokens) {
      try {
        listed.push({ ...token, keys: await client.listKeys(token.serial), keysError: null });
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

function moduleFor(value: string, io: CliIo): string {
  if ((PROFILES as readonly string[]).includes(value)) return resolveModulePath(value as ModuleProfileId);
  return resolveModulePath('custom', { customPath: path.resolve(io.cwd, value) });
}

function formatTokens(modulePath: string, tokens: ReadonlyArray<TokenInfo & { keys: TokenKey[]; keysError: string | null }>): string {
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
      ['CKA_ID', 'LABEL', 'CURVE', 'NOTARY ID', 'TUF ID'],
      t.keys.map((k) => [k.ckaId, printable(k.label), k.curve, shortId(k.keyIds.notary), shortId(k.keyIds.tuf)]),
    );
    return [...header, keys.replace(/^/gm, '  ')].join('\n');
  });
  return `Module: ${modulePath}\n\n${parts.join('\n\n')}\n`;
}

/** Finds the token a `--token SERIAL` names among those the module lists now. */
import type { TokenInfo } from '../../shared/token/types';
import { CliUsageError } from './cli-io';
import { printable } from './table';

export async function findPresentToken(client: { listTokens(): Promise<TokenInfo[]> }, serial: string): Promise<TokenInfo> {
  const tokens = await client.listTokens();
  const token = tokens.find((t) => t.serial === serial);
  if (token) return token;
  const present = tokens.map((t) => `${printable(t.serial)} (${printable(t.label)})`).join(', ') || 'none';
  throw new CliUsageError(`token ${printable(serial)} is not present; tokens present: ${present} (see "keyrite token list")`);
}

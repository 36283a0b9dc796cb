/**
 * Finds the token host for the CLI. In the built app the CLI is dist/cli/index.cjs and the host
 * dist/token-host/index.cjs next to it; run from source (`npx tsx electron/cli/index.ts`) the
 * built host under dist/ is used when present, else the .ts entry through tsx. KEYRITE_TOKEN_HOST
 * overrides all of it (tests bundle a fresh host).
 */
import { existsSync, realpathSync } from 'node:fs';
import path from 'node:path';

import type { TokenHostLaunch } from '../core/tokens/host-process';
import { CliUsageError } from './cli-io';

export function tokenHostLaunch(env: Readonly<Record<string, string | undefined>>, scriptPath: string | undefined = process.argv[1]): TokenHostLaunch {
  const childEnv: NodeJS.ProcessEnv = { ...env };
  const override = env['KEYRITE_TOKEN_HOST'];
  if (override) return launchFor(path.resolve(override), childEnv);
  const scriptDir = scriptPath ? path.dirname(safeRealpath(scriptPath)) : process.cwd();
  const candidates = [
    path.join(scriptDir, '../token-host/index.cjs'), // dist/cli -> dist/token-host
    path.join(scriptDir, '../../dist/token-host/index.cjs'), // electron/cli -> dist/token-host
    path.join(scriptDir, '../token-host/index.ts'), // electron/cli -> electron/token-host (tsx)
  ];
  const found = candidates.find((candidate) => existsSync(candidate));
  if (!found) throw new CliUsageError(`cannot find the token host (tried ${candidates.join(', ')}); set KEYRITE_TOKEN_HOST to its index.cjs`);
  return launchFor(found, childEnv);
}

function launchFor(entry: string, env: NodeJS.ProcessEnv): TokenHostLaunch {
  return { entry, execArgv: entry.endsWith('.ts') ? ['--import', 'tsx'] : [], env };
}

function safeRealpath(p: string): string {
  try {
    return realpathSync(p);
  } catch {
    // A vanished script path only means we guess from the name we were given.
    return p;
  }
}

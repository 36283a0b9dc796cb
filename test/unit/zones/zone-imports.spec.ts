import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

// @ts-expect-error -- plain JS config module without type declarations
import { zoneRules } from '../../../eslint.zones.js';

// The zone table of ARCHITECTURE.md: each row is a file in a zone and an import it must never make.
const WRONG_WAY: Array<[file: string, source: string]> = [
  ['shared/tuf/x.ts', 'node:fs'],
  ['shared/tuf/x.ts', 'electron'],
  ['shared/tuf/x.ts', 'react'],
  ['shared/tuf/x.ts', '../../electron/core/workspace'],
  ['electron/core/x.ts', 'electron'],
  ['electron/core/x.ts', 'pkcs11js'],
  ['electron/core/x.ts', '../../renderer/app'],
  ['electron/token-host/x.ts', 'electron'],
  ['electron/token-host/x.ts', '../core/inspection'],
  ['electron/main/x.ts', '../../renderer/app'],
  ['electron/main/x.ts', 'pkcs11js'],
  ['electron/preload/x.ts', '../core/index'],
  ['electron/preload/x.ts', 'node:fs'],
  ['electron/cli/x.ts', 'electron'],
  ['electron/cli/x.ts', '../main/index'],
  ['renderer/x.tsx', 'electron'],
  ['renderer/x.tsx', 'node:path'],
  ['renderer/x.tsx', '../electron/core/index'],
];

const RIGHT_WAY: Array<[file: string, source: string]> = [
  ['shared/tuf/x.ts', 'zod'],
  ['electron/core/x.ts', 'node:fs'],
  ['electron/core/x.ts', '../../shared/tuf/model'],
  ['electron/main/x.ts', 'electron'],
  ['electron/main/x.ts', '../core/index'],
  ['electron/preload/x.ts', 'electron'],
  ['electron/preload/x.ts', '../../shared/ipc/contract'],
  ['electron/cli/x.ts', '../core/index'],
  ['renderer/x.tsx', '../shared/ipc/contract'],
];

const eslint = new ESLint({ overrideConfigFile: true, overrideConfig: zoneRules as never });

async function violations(file: string, source: string): Promise<number> {
  const [result] = await eslint.lintText(`import x from '${source}';\nexport default x;\n`, { filePath: file });
  return result?.messages.filter((m) => m.ruleId === 'no-restricted-imports').length ?? 0;
}

describe('zone import rules', () => {
  it.each(WRONG_WAY)('%s may not import %s', async (file, source) => {
    expect(await violations(file, source)).toBeGreaterThan(0);
  });
  it.each(RIGHT_WAY)('%s may import %s', async (file, source) => {
    expect(await violations(file, source)).toBe(0);
  });
});

import { describe, expect, it } from 'vitest';

import type { RoleView } from '../../../../shared/inspection/report';
import { decodeRoles, decodeRows, encodeRoles, encodeRows } from '../../../../electron/core/inspection/row-chunks';

const role = (i: number): RoleView => ({
  name: `bin-${i.toString(16).padStart(4, '0')}`,
  kind: 'delegation',
  parent: 'targets',
  version: 1,
  expires: '2036-01-01T00:00:00Z',
  threshold: 1,
  keyids: ['ab'.repeat(32)],
  validSignatures: 1,
  requiredSignatures: 1,
  signers: [],
  status: 'valid',
  paths: null,
  pathHashPrefixes: [i.toString(16).padStart(4, '0')],
  terminating: false,
  targetCount: 139,
  length: 40_000,
  sha256: 'cd'.repeat(32),
});

describe('report chunks between the inspect worker and the main thread', () => {
  it('carries 16,389 role views in chunks and gives them back in order, schema-checked', async () => {
    const roles = Array.from({ length: 16_389 }, (_, i) => role(i));
    const chunks = encodeRoles(roles);
    expect(chunks.length).toBeGreaterThan(10);
    expect(await decodeRoles(chunks)).toEqual(roles);
  });

  it('rejects a role chunk that does not match the report schema (an extra field, a wrong type)', async () => {
    const extra = new TextEncoder().encode(JSON.stringify([{ ...role(1), privateKey: 'x' }]));
    await expect(decodeRoles([extra])).rejects.toThrow();
    const wrong = new TextEncoder().encode(JSON.stringify([{ ...role(1), threshold: 'one' }]));
    await expect(decodeRoles([wrong])).rejects.toThrow();
  });

  it('gives rows back in order and refuses a chunk that is not an array', async () => {
    const rows = Array.from({ length: 20_000 }, (_, i) => ({ name: `t${i}`, length: i, hashes: {}, role: 'targets', signers: [], custom: null })) as never[];
    expect(await decodeRows(encodeRows(rows))).toEqual(rows);
    await expect(decodeRows([new TextEncoder().encode('{"a":1}')])).rejects.toThrow(/malformed row chunk/);
  });
});

/**
 * The wizard's PlanInput → the engine's plan: key kinds, per-role expiries and offline roles kept
 * for core, sign-targets files hashed by streaming (length, sha256, sha512), and which tokens and
 * key files a plan opens before the signing step (so PINs are asked for up front).
 */
import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { enginePlanOf, keyActsBeforeSigning, keySpecOf } from '../../../electron/core/ceremony-desk/plan-input';
import { PlanInput } from '../../../shared/ipc/ceremony-plans';

const HEX64 = 'd'.repeat(64);

describe('ceremony desk plan input', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'keyrite-plan-input-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('maps every key kind to its KeySpec', () => {
    expect(keySpecOf({ kind: 'token', tokenSerial: 's1', ckaId: '01' })).toEqual({ kind: 'token', tokenSerial: 's1', ckaId: '01' });
    expect(keySpecOf({ kind: 'token-new', tokenSerial: 's1', ckaId: '02', curve: 'P-384', label: 'root B' })).toEqual({ kind: 'token-generate', tokenSerial: 's1', ckaId: '02', curve: 'P-384', label: 'root B' });
    expect(keySpecOf({ kind: 'token-new', tokenSerial: 's1', ckaId: '02' })).toEqual({ kind: 'token-generate', tokenSerial: 's1', ckaId: '02' });
    expect(keySpecOf({ kind: 'file', keyId: HEX64 })).toEqual({ kind: 'file', keyId: HEX64 });
    expect(keySpecOf({ kind: 'keyid', keyid: 'abcdef01' })).toEqual({ kind: 'keyid', keyid: 'abcdef01' });
  });

  it('keeps per-role expiries and offline roles on every kind (core reads them from the plan)', async () => {
    const input = PlanInput.parse({ kind: 'rotate-root', add: [], remove: ['abcdef0123'], threshold: 1, expires: { root: '2027-06-01T00:00:00Z' }, offlineRoles: ['snapshot'] });
    expect(await enginePlanOf(input)).toEqual({ kind: 'rotate-root', remove: ['abcdef0123'], threshold: 1, expires: { root: '2027-06-01T00:00:00Z' }, offlineRoles: ['snapshot'] });
    const refresh = PlanInput.parse({ kind: 'refresh' });
    expect(await enginePlanOf(refresh)).toEqual({ kind: 'refresh' });
  });

  it('sign-targets: add changes are hashed from the picked file, removes pass through, no changes → the request\'s', async () => {
    const file = path.join(dir, 'app.tgz');
    const bytes = Buffer.alloc(3 * 1024 * 1024 + 7, 7);
    await writeFile(file, bytes);
    const input = PlanInput.parse({ kind: 'sign-targets', changes: [{ action: 'add', role: 'targets/releases', path: 'app.tgz', filePickId: 'pick-00000001' }, { action: 'remove', role: 'targets', path: 'old' }] });
    expect(await enginePlanOf(input, { 'pick-00000001': file })).toEqual({
      kind: 'sign-targets',
      changes: [
        { role: 'targets/releases', action: 'add', path: 'app.tgz', length: bytes.length, hashes: { sha256: createHash('sha256').update(bytes).digest('hex'), sha512: createHash('sha512').update(bytes).digest('hex') } },
        { role: 'targets', action: 'remove', path: 'old' },
      ],
    });
    expect(await enginePlanOf(PlanInput.parse({ kind: 'sign-targets' }))).toEqual({ kind: 'sign-targets' });
    await expect(enginePlanOf(input, {})).rejects.toMatchObject({ name: 'PlanInputError' });
    await expect(enginePlanOf(input, { 'pick-00000001': path.join(dir, 'gone.tgz') })).rejects.toMatchObject({ name: 'TargetFileError' });
    await expect(enginePlanOf(input, { 'pick-00000001': dir })).rejects.toMatchObject({ name: 'TargetFileError' });
  });

  it('names the tokens and key files a plan opens before signing', async () => {
    const init = await enginePlanOf(
      PlanInput.parse({
        kind: 'init',
        rootKeys: [{ kind: 'token', tokenSerial: 'root-1', ckaId: '01' }, { kind: 'file', keyId: HEX64 }],
        rootThreshold: 1,
        targetsKeys: [{ kind: 'token-new', tokenSerial: 'tgt-1', ckaId: '05' }],
      }),
    );
    expect(keyActsBeforeSigning(init, 'notary-v1')).toEqual({ tokens: ['root-1', 'tgt-1'], files: [HEX64] });
    // TUF root keys carry no certificate: only the generated key needs its token before signing.
    expect(keyActsBeforeSigning(init, 'tuf-1.0')).toEqual({ tokens: ['tgt-1'], files: [] });
    const recover = await enginePlanOf(PlanInput.parse({ kind: 'recover', compromised: ['abcdef0123'], replacements: { root: [{ kind: 'token', tokenSerial: 'root-2', ckaId: '01' }] } }));
    expect(keyActsBeforeSigning(recover, 'notary-v1')).toEqual({ tokens: ['root-2'], files: [] });
    await expect(enginePlanOf(PlanInput.parse({ kind: 'recover', compromised: [] }))).rejects.toMatchObject({ name: 'PlanInputError' });
  });
});

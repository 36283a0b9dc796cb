/**
 * `keyrite keys ...` as a real process (the CLI bundled as scripts/build.mjs does): software key
 * generation, listing, Notary export/import round trip, the notary-compat fixtures, passphrase
 * errors, no-overwrite, passphrase change, removal with a verified backup, and attestation.
 */
import { existsSync, promises as fsp } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { bundleCli } from '../support/bundle-cli';
import { run, type RunResult } from '../support/processes';

const repoRoot = path.resolve(__dirname, '../..');
const fixtures = path.resolve(repoRoot, '../shared/fixtures');
const compat = path.join(fixtures, 'notary-compat');
const attestation = path.join(fixtures, 'yubikey-attestation/sigstore-2021-06-18');
const HAVE_FIXTURES = existsSync(compat) && existsSync(attestation);
if (!HAVE_FIXTURES) console.warn(`cli-keys.spec: fixture tests skipped, ${fixtures} is absent`);

/** The CLI's environment without any passphrase variables from the developer's shell. */
function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) if (!/PASSPHRASE|^KEYRITE_/.test(name)) env[name] = value;
  return { ...env, ...extra };
}

function keyrite(args: string[], env: Record<string, string>): Promise<RunResult> {
  return run(process.execPath, [cliBundle, ...args], { cwd: repoRoot, env: cleanEnv(env) });
}

interface ListJson {
  keys: Array<{ id: string; tufKeyId: string; algorithm: string; roles: string[]; gun: string | null; label: string | null; holder: string | null; location: string; status: string }>;
  unreadable: unknown[];
}

async function listJson(workspace: string): Promise<ListJson> {
  const result = await keyrite(['keys', 'list', '--json', '--workspace', workspace], {});
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  return JSON.parse(result.stdout) as ListJson;
}

let tmp: string;
let cliBundle: string;
beforeAll(async () => {
  tmp = await fsp.mkdtemp(path.join(os.tmpdir(), 'keyrite-cli-keys-'));
  cliBundle = await bundleCli(path.join(tmp, 'app'));
});
afterAll(async () => {
  await fsp.rm(tmp, { recursive: true, force: true });
});

describe('keyrite keys: software keys (real process)', () => {
  it('generate -> list -> export to notary format -> import back with the same ID; export never overwrites', async () => {
    const ws = path.join(tmp, 'ws-roundtrip');
    const gen = await keyrite(['keys', 'generate', '--algorithm', 'ecdsa-p256', '--role', 'targets', '--gun', 'example.com/app', '--label', 'release', '--holder', 'alice', '--json', '--workspace', ws], {
      KEYRITE_PASSPHRASE: 'correct horse battery',
    });
    expect(gen.stderr).toBe('');
    expect(gen.code).toBe(0);
    const generated = JSON.parse(gen.stdout) as { key: { id: string; keyIds: { tuf: string } }; file: string };
    expect(generated.file.startsWith(path.join(ws, 'keys', generated.key.id))).toBe(true);
    // Encrypted at rest: the key file holds no PEM private key.
    expect(await fsp.readFile(generated.file, 'utf8')).not.toContain('PRIVATE KEY');

    const listed = await listJson(ws);
    expect(listed.keys).toEqual([
      expect.objectContaining({ id: generated.key.id, tufKeyId: generated.key.keyIds.tuf, algorithm: 'ecdsa-p256', roles: ['targets'], gun: 'example.com/app', label: 'release', holder: 'alice', status: 'active', location: generated.file }),
    ]);

    const exported = path.join(tmp, 'targets.key');
    const exp = await keyrite(['keys', 'export', generated.key.id.slice(0, 10), '--format', 'notary', '-o', exported, '--workspace', ws], { KEYRITE_PASSPHRASE: 'correct horse battery' });
    expect(exp.code).toBe(0);
    const pem = await fsp.readFile(exported, 'utf8');
    expect(pem).toMatch(/^-----BEGIN ENCRYPTED PRIVATE KEY-----\n/);
    expect(pem).toContain('role: targets');
    expect(pem).toContain('gun: example.com/app');

    // Never overwrites: the second export fails with exit 2 and the first file is untouched.
    const again = await keyrite(['keys', 'export', generated.key.id, '--format', 'keyrite', '-o', exported, '--workspace', ws], {});
    expect(again.code).toBe(2);
    expect(again.stderr).toContain(`${exported}: a key file already exists here; key files are never overwritten`);
    expect(await fsp.readFile(exported, 'utf8')).toBe(pem);

    // Import into another workspace with notary's env name for the role: same ID, role and GUN.
    const ws2 = path.join(tmp, 'ws-roundtrip-2');
    const imp = await keyrite(['keys', 'import', exported, '--workspace', ws2, '--json'], { NOTARY_TARGETS_PASSPHRASE: 'correct horse battery' });
    expect(imp.stderr).toBe('');
    expect(imp.code).toBe(0);
    expect(JSON.parse(imp.stdout)).toEqual({ keys: [{ file: exported, id: generated.key.id, role: 'targets', gun: 'example.com/app', status: 'imported' }] });
    expect((await listJson(ws2)).keys).toEqual([expect.objectContaining({ id: generated.key.id, tufKeyId: generated.key.keyIds.tuf, roles: ['targets'], status: 'active' })]);

    // A Keyrite-format copy imports too (identity from its authenticated header).
    const copy = path.join(tmp, 'targets.krkey');
    expect((await keyrite(['keys', 'export', generated.key.id, '--format', 'keyrite', '-o', copy, '--workspace', ws], {})).code).toBe(0);
    const ws3 = path.join(tmp, 'ws-roundtrip-3');
    const fromCopy = await keyrite(['keys', 'import', copy, '--json', '--workspace', ws3], { KEYRITE_PASSPHRASE: 'correct horse battery' });
    expect(fromCopy.stderr).toBe('');
    expect(JSON.parse(fromCopy.stdout)).toEqual({ keys: [{ file: copy, id: generated.key.id, role: 'targets', gun: 'example.com/app', status: 'imported' }] });

    // Back into the original workspace: recognised, not duplicated.
    const back = await keyrite(['keys', 'import', exported, '--workspace', ws], { KEYRITE_PASSPHRASE: 'correct horse battery' });
    expect(back.code).toBe(0);
    expect(back.stdout).toContain(`Already present targets key ${generated.key.id}`);
    expect((await listJson(ws)).keys).toHaveLength(1);
  });

  it('without a TTY and without any passphrase source, exits 2 naming the sources', async () => {
    const result = await keyrite(['keys', 'generate', '--algorithm', 'ed25519', '--role', 'root', '--workspace', path.join(tmp, 'ws-nopass')], {});
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('there is no terminal to ask on: give --passphrase-file FILE or set KEYRITE_PASSPHRASE / NOTARY_ROOT_PASSPHRASE / DOCKER_CONTENT_TRUST_ROOT_PASSPHRASE');
    expect(existsSync(path.join(tmp, 'ws-nopass', 'keys'))).toBe(false);
  });

  it('passwd (passphrase files) moves the old file to quarantine; remove needs a verified backup and quarantines', async () => {
    const ws = path.join(tmp, 'ws-custody');
    const oldFile = path.join(tmp, 'old-pass');
    const newFile = path.join(tmp, 'new-pass');
    await fsp.writeFile(oldFile, 'first passphrase\n');
    await fsp.writeFile(newFile, 'second passphrase\n');
    const gen = await keyrite(['keys', 'generate', '--algorithm', 'ed25519', '--role', 'root', '--passphrase-file', oldFile, '--json', '--workspace', ws], {});
    expect(gen.code).toBe(0);
    const id = (JSON.parse(gen.stdout) as { key: { id: string } }).key.id;

    const passwd = await keyrite(['keys', 'passwd', id, '--passphrase-file', oldFile, '--new-passphrase-file', newFile, '--workspace', ws], {});
    expect(passwd.stderr).toBe('');
    expect(passwd.code).toBe(0);
    expect(await fsp.readdir(path.join(ws, 'keys', 'quarantine'))).toHaveLength(1);
    const afterPasswd = (await listJson(ws)).keys;
    expect(afterPasswd).toHaveLength(1);
    expect(afterPasswd[0]?.location).toBe(path.join(ws, 'keys', (await fsp.readdir(path.join(ws, 'keys'))).find((n) => n.endsWith('.krkey')) ?? 'missing'));

    // The old passphrase no longer opens the key.
    const wrong = await keyrite(['keys', 'export', id, '--format', 'notary', '-o', path.join(tmp, 'never.key'), '--passphrase-file', oldFile, '--workspace', ws], {});
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain(`wrong passphrase (the passphrase came from ${oldFile})`);
    expect(existsSync(path.join(tmp, 'never.key'))).toBe(false);

    const noBackup = await keyrite(['keys', 'remove', id, '--passphrase-file', newFile, '--workspace', ws], {});
    expect(noBackup.code).toBe(2);
    expect(noBackup.stderr).toContain("required option '--backup <file>'");

    const backup = path.join(tmp, 'root-backup.krkey');
    expect((await keyrite(['keys', 'export', id, '--format', 'keyrite', '-o', backup, '--workspace', ws], {})).code).toBe(0);
    const removed = await keyrite(['keys', 'remove', id, '--backup', backup, '--passphrase-file', newFile, '--workspace', ws], {});
    expect(removed.stderr).toBe('');
    expect(removed.code).toBe(0);
    expect(await fsp.readdir(path.join(ws, 'keys', 'quarantine'))).toHaveLength(2);
    expect((await listJson(ws)).keys).toEqual([expect.objectContaining({ id, status: 'quarantined' })]);
  });
});

describe.skipIf(!HAVE_FIXTURES)('keyrite keys: notary-compat and attestation fixtures (real process)', () => {
  it('imports the notary 0.1 legacy keys (no headers) with NOTARY_*_PASSPHRASE=randompass: IDs, roles and GUN from the layout', async () => {
    const ws = path.join(tmp, 'ws-notary01');
    const files = [
      path.join(compat, 'notary0.1/private/root_keys/d0c623c8e70c70d42a8a8125c44a8598588b3f6e31d5c21a83cbc338dfde8a68_root.key'),
      path.join(compat, 'notary0.1/private/tuf_keys/docker.com/notary0.1/samplerepo/7fc757801b9bab4ec9e35bfe7a6b61668ff6f4c81b5632af19e6c728ab799599_targets.key'),
      path.join(compat, 'notary0.1/private/tuf_keys/docker.com/notary0.1/samplerepo/a55ccf652b0be4b6c4d356cbb02d9ea432bb84a2571665be3df7c7396af8e8b8_snapshot.key'),
    ];
    const result = await keyrite(['keys', 'import', ...files, '--json', '--workspace', ws], {
      NOTARY_ROOT_PASSPHRASE: 'randompass',
      NOTARY_TARGETS_PASSPHRASE: 'randompass',
      NOTARY_SNAPSHOT_PASSPHRASE: 'randompass',
    });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const gun = 'docker.com/notary0.1/samplerepo';
    expect((JSON.parse(result.stdout) as { keys: unknown[] }).keys).toEqual([
      expect.objectContaining({ id: 'd0c623c8e70c70d42a8a8125c44a8598588b3f6e31d5c21a83cbc338dfde8a68', role: 'root', gun: null }),
      expect.objectContaining({ id: '7fc757801b9bab4ec9e35bfe7a6b61668ff6f4c81b5632af19e6c728ab799599', role: 'targets', gun }),
      expect.objectContaining({ id: 'a55ccf652b0be4b6c4d356cbb02d9ea432bb84a2571665be3df7c7396af8e8b8', role: 'snapshot', gun }),
    ]);
    expect((await listJson(ws)).keys.map((k) => k.roles[0])).toEqual(['root', 'targets', 'snapshot']);
  });

  it('imports the notary 0.3 trust dir (role headers, RSA delegation key) with password; a wrong passphrase is exit 2 naming file and source', async () => {
    const ws = path.join(tmp, 'ws-notary03');
    const dir = path.join(compat, 'notary0.3/private');
    const delegation = path.join(dir, 'tuf_keys/fa842f66cac2dc898677a8660789dcff0e3b0b93b73f8952491f6493199936d3.key');
    const root = path.join(dir, 'root_keys/f4eaf871a74aa3b3a0ff95cef2455a1e4d461639f5625418e76756fc5c948690.key');

    const bad = await keyrite(['keys', 'import', root, '--workspace', ws], { NOTARY_ROOT_PASSPHRASE: 'not-the-password' });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe(`keyrite: error: ${root}: wrong passphrase (the passphrase came from $NOTARY_ROOT_PASSPHRASE)\n`);
    expect(existsSync(path.join(ws, 'keys'))).toBe(false);

    // The whole trust dir: every key under private/, role and GUN from headers and layout.
    const result = await keyrite(['keys', 'import', path.join(compat, 'notary0.3'), '--json', '--workspace', ws], { KEYRITE_PASSPHRASE: 'password' });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const imported = (JSON.parse(result.stdout) as { keys: Array<{ id: string; role: string; gun: string | null; file: string }> }).keys;
    const gun = 'docker.com/notary0.3/tst';
    expect(imported.map((k) => [k.role, k.gun, k.id]).sort()).toEqual(
      [
        ['root', null, 'f4eaf871a74aa3b3a0ff95cef2455a1e4d461639f5625418e76756fc5c948690'],
        ['snapshot', gun, '85559599cf3cf681ff193f432a7ca6d128182bd1cfa8ede2c70761deac8bc2dc'],
        ['targets', gun, '041b64dab281324ef2b62fd2d04f4758269e120ff063b7bc78709272821a0a02'],
        ['targets/releases', null, 'fa842f66cac2dc898677a8660789dcff0e3b0b93b73f8952491f6493199936d3'],
      ].sort(),
    );
    expect(imported.map((k) => k.file)).toContain(delegation);
    const listed = await listJson(ws);
    expect(listed.keys.find((k) => k.roles[0] === 'targets/releases')?.algorithm).toBe('rsa');
    expect(listed.keys.find((k) => k.roles[0] === 'root')?.algorithm).toBe('ecdsa-p256');
  });

  it('keys attest verifies YubiKey 13078778: badge, serial, firmware, PIN and touch policy; a foreign key is exit 1', async () => {
    const dir = path.join(attestation, '13078778');
    const args = ['keys', 'attest', '--slot-cert', path.join(dir, '13078778_key_cert.pem'), '--device-cert', path.join(dir, '13078778_device_cert.pem')];
    const ok = await keyrite([...args, '--pubkey', path.join(dir, '13078778_pubkey.pem'), '--serial', '13078778'], {});
    expect(ok.stderr).toBe('');
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain('Badge:        attested-on-device');
    expect(ok.stdout).toContain('Serial:       13078778');
    expect(ok.stdout).toContain('Firmware:     5.2.6');
    expect(ok.stdout).toContain('PIN policy:   always');
    expect(ok.stdout).toContain('Touch policy: always');

    const foreign = await keyrite([...args, '--pubkey', path.join(attestation, '14454335/14454335_pubkey.pem'), '--json'], {});
    expect(foreign.code).toBe(1);
    expect(JSON.parse(foreign.stdout)).toMatchObject({ badge: 'unverifiable', failure: 'key-mismatch' });
  });
});

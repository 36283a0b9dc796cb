/**
 * `keyrite bundle inspect|verify` and `keyrite ceremony verify-journal` as a real process (the CLI
 * bundled as scripts/build.mjs does): text and --json output, exit codes 0/1/2.
 */
import { promises as fsp } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { writeBundleFile } from '../../../electron/core/bundles';
import { Journal } from '../../../electron/core/journal';
import { bundleCli } from '../../support/bundle-cli';
import { run, type RunResult } from '../../support/processes';
import { rawZip } from '../../unit/bundles/support/raw-zip';
import { requestEntries, signedContent } from '../../unit/bundles/support/sample-bundle';

let tmp: string;
let cli: string;
let signed: string;
let traversal: string;
let journalFile: string;
let journalHead: string;
let journalWords: string[];

function keyrite(...args: string[]): Promise<RunResult> {
  return run(process.execPath, [cli, ...args], { cwd: tmp });
}

beforeAll(async () => {
  tmp = await fsp.mkdtemp(path.join(os.tmpdir(), 'keyrite-cli-bundle-'));
  cli = await bundleCli(path.join(tmp, 'app'));
  signed = path.join(tmp, 'signed.zip');
  await writeBundleFile(signed, 'signed', await signedContent());
  traversal = path.join(tmp, 'evil.zip');
  await fsp.writeFile(traversal, rawZip(requestEntries([{ name: '../../x', data: Buffer.from('pwn') }])));
  journalFile = path.join(tmp, 'ws', 'ceremonies', 'c1', 'journal.jsonl');
  const journal = await Journal.open(journalFile);
  await journal.append('plan', { kind: 'init' });
  await journal.append('sign-intent', { role: 'root', version: 1, payloadSha256: 'a'.repeat(64) });
  journalHead = journal.head;
  journalWords = journal.headWords;
}, 120_000);
afterAll(async () => {
  await fsp.rm(tmp, { recursive: true, force: true });
});

describe('keyrite bundle inspect', () => {
  it('shows roles, proposal, signatures and the journal head as words', async () => {
    const result = await keyrite('bundle', 'inspect', 'signed.zip');
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^signed bundle for example.com\/test\/repo \(notary-v1\)/);
    expect(result.stdout).toMatch(/targets\/releases\s+v1\s+expires/);
    expect(result.stdout).toContain('· root: threshold 1 → 2');
    expect(result.stdout).toContain('by YubiKey 12345678 (Alice)');
    expect(result.stdout).toMatch(/journal head [0-9a-f]{64}/);
  });

  it('prints the summary as JSON', async () => {
    const result = await keyrite('bundle', 'inspect', 'signed.zip', '--json');
    expect(result.code).toBe(0);
    const json = JSON.parse(result.stdout) as { ok: boolean; kind: string; metadata: { role: string }[]; journal: { headWords: string[] } };
    expect(json.ok).toBe(true);
    expect(json.kind).toBe('signed');
    expect(json.metadata.map((m) => m.role)).toEqual(['root', 'targets', 'targets/releases']);
    expect(json.journal.headWords).toHaveLength(32);
  });

  it('exits 1 with the reason for a refused bundle', async () => {
    const result = await keyrite('bundle', 'inspect', 'evil.zip');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('bundle rejected (PATH_TRAVERSAL) at "../../x"');
  });
});

describe('keyrite bundle verify', () => {
  it('verifies a good bundle (exit 0)', async () => {
    const result = await keyrite('bundle', 'verify', signed);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/ok\s+JOURNAL_HEAD\s+the manifest's journal head matches/);
    expect(result.stdout.trim().endsWith('result: VERIFIED')).toBe(true);
  });

  it('fails a refused bundle (exit 1), in text and JSON', async () => {
    const text = await keyrite('bundle', 'verify', traversal);
    expect(text.code).toBe(1);
    expect(text.stderr).toMatch(/FAIL\s+PATH_TRAVERSAL/);
    expect(text.stderr).toContain('result: FAILED (1 of 1 checks)');
    const json = await keyrite('bundle', 'verify', traversal, '--json');
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toMatchObject({ ok: false, checks: [{ code: 'PATH_TRAVERSAL', passed: false, entry: '../../x' }] });
  });

  it('exits 2 for a missing file or missing argument', async () => {
    const missing = await keyrite('bundle', 'verify', 'nope.zip');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('nope.zip: no such file');
    expect((await keyrite('bundle', 'verify')).code).toBe(2);
  });
});

describe('keyrite ceremony verify-journal', () => {
  it('verifies a journal.jsonl and prints its head as hex and the same PGP words', async () => {
    const result = await keyrite('ceremony', 'verify-journal', journalFile);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('2 journal entries, hash chain intact');
    expect(result.stdout).toContain(`head     ${journalHead}`);
    expect(result.stdout).toContain(journalWords.slice(0, 8).join(' '));
    const json = JSON.parse((await keyrite('ceremony', 'verify-journal', journalFile, '--json')).stdout) as { ok: boolean; head: string; headWords: string[] };
    expect(json).toMatchObject({ ok: true, head: journalHead, headWords: journalWords });
  });

  it('verifies the journal inside a bundle against its manifest', async () => {
    const result = await keyrite('ceremony', 'verify-journal', signed);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('5 journal entries, hash chain intact, matches the bundle manifest');
  });

  it('names the tampered line (exit 1)', async () => {
    const tampered = path.join(tmp, 'tampered.jsonl');
    await fsp.writeFile(tampered, (await fsp.readFile(journalFile, 'utf8')).replace('"version":1', '"version":2'));
    const result = await keyrite('ceremony', 'verify-journal', tampered);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/journal does not verify: tampered.jsonl line 2: hash [0-9a-f]{64} does not match the entry's content/);
  });

  it('reports a torn last line as not clean (exit 1)', async () => {
    const torn = path.join(tmp, 'torn.jsonl');
    await fsp.writeFile(torn, `${await fsp.readFile(journalFile, 'utf8')}{"at":"2026`);
    const result = await keyrite('ceremony', 'verify-journal', torn, '--json');
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout)).toMatchObject({ ok: false, entries: 2, head: journalHead, tornTail: { line: 3, length: 11 } });
  });
});

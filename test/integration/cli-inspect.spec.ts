import { existsSync, promises as fsp } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { InspectionReport } from '../../shared/inspection/report';
import { runCli } from '../../electron/cli/cli';
import type { CliIo } from '../../electron/cli/cli-io';
import { run } from '../support/processes';
import { buildTufRepo } from '../support/repo-builder';
import { serveDir } from '../support/serve-dir';

const repoRoot = path.resolve(__dirname, '../..');
const fixtures = path.resolve(repoRoot, '../shared/fixtures');
const compat = path.join(fixtures, 'notary-compat');
const HAVE_FIXTURES = existsSync(compat);
if (!HAVE_FIXTURES) console.warn(`cli-inspect.spec: fixture tests skipped, ${compat} is absent`);

let tmp: string;
beforeAll(async () => {
  tmp = await fsp.mkdtemp(path.join(os.tmpdir(), 'keyrite-cli-'));
});
afterAll(async () => {
  await fsp.rm(tmp, { recursive: true, force: true });
});

function io(): CliIo & { out: () => string; err: () => string } {
  const out: string[] = [];
  const err: string[] = [];
  return {
    stdout: (t) => out.push(t),
    stderr: (t) => err.push(t),
    env: { KEYRITE_HOME: path.join(tmp, 'default-home') },
    cwd: repoRoot,
    homedir: tmp,
    out: () => out.join(''),
    err: () => err.join(''),
  };
}

async function inspectJson(args: string[]): Promise<{ code: number; report: InspectionReport; text: string }> {
  const cli = io();
  const code = await runCli(['inspect', ...args, '--json'], cli);
  return { code, report: InspectionReport.parse(JSON.parse(cli.out())), text: cli.err() };
}

describe.skipIf(!HAVE_FIXTURES)('keyrite inspect on the notary-compat fixtures', () => {
  it('notary 0.3 trust dir is healthy on 2026-01-01 (exit 0) with its delegation, targets and listed keys', async () => {
    const workspace = path.join(tmp, 'ws-03');
    const { code, report } = await inspectJson([path.join(compat, 'notary0.3'), '--at', '2026-01-01T00:00:00Z', '--workspace', workspace]);
    expect(code).toBe(0);
    expect(report.health).toBe('healthy');
    expect(report.name).toBe('docker.com/notary0.3/tst');
    expect(report.source.kind).toBe('trust-dir');
    expect(report.roles.map((r) => r.name).sort()).toEqual(['root', 'snapshot', 'targets', 'targets/releases', 'timestamp']);
    expect(report.targets.find((t) => t.name === 'LICENSE')?.length).toBe(11309);
    expect(report.privateKeys).toHaveLength(4);
    expect(report.privateKeys.find((k) => k.role === 'targets/releases')?.id).toBe('fa842f66cac2dc898677a8660789dcff0e3b0b93b73f8952491f6493199936d3');
    // The verified root became the trusted state.
    const repos = await fsp.readdir(path.join(workspace, 'repos'));
    expect(repos).toHaveLength(1);
    const files = await fsp.readdir(path.join(workspace, 'repos', repos[0] as string));
    // The report's rows are stored beside its head (electron/core/workspace/report-files.ts).
    const rowsFiles = files.filter((f) => /^targets-[0-9a-f]{16}\.jsonl$/.test(f));
    expect(rowsFiles).toHaveLength(1);
    expect(files.filter((f) => !rowsFiles.includes(f)).sort()).toEqual(['repo.json', 'report.json', 'root-history', 'trusted-root.json', 'trusted.json']);
  });

  it('notary 0.3 is flagged CERT_EXPIRED on 2026-11-21 (exit 1) and its trusted state is not written', async () => {
    const workspace = path.join(tmp, 'ws-03-expired');
    const cli = io();
    const code = await runCli(['inspect', path.join(compat, 'notary0.3'), '--at', '2026-11-21T00:00:00Z', '--workspace', workspace], cli);
    expect(code).toBe(1);
    expect(cli.out()).toMatch(/ERROR\s+CERT_EXPIRED\s+root/);
    expect(cli.out()).toContain('Trusted state: NOT updated');
    const [id] = await fsp.readdir(path.join(workspace, 'repos'));
    expect(existsSync(path.join(workspace, 'repos', id as string, 'trusted.json'))).toBe(false);
  });

  it('notary 0.1 legacy layout is healthy and its legacy key files are listed', async () => {
    const { code, report } = await inspectJson([path.join(compat, 'notary0.1'), '--at', '2026-01-01T00:00:00Z', '--no-save']);
    expect(code).toBe(0);
    expect(report.name).toBe('docker.com/notary0.1/samplerepo');
    expect(report.privateKeys.map((k) => k.role).sort()).toEqual(['root', 'snapshot', 'targets']);
  });

  it('a metadata dir inside the trust dir names its GUN from the path and shows the same targets', async () => {
    const dir = path.join(compat, 'notary0.3/tuf/docker.com/notary0.3/tst/metadata');
    const { code, report } = await inspectJson([dir, '--at', '2026-01-01T00:00:00Z', '--no-save']);
    expect(code).toBe(0);
    expect(report.source.kind).toBe('metadata-dir');
    expect(report.name).toBe('docker.com/notary0.3/tst');
    expect(report.targets.map((t) => t.name).sort()).toEqual(['LICENSE', 'change', 'hello']);
  });

  it('text output has every section, days left and the signers table', async () => {
    const cli = io();
    expect(await runCli(['inspect', path.join(compat, 'notary0.3'), '--at', '2026-01-01T00:00:00Z', '--no-save'], cli)).toBe(0);
    const text = cli.out();
    for (const heading of ['ROLES', 'KEYS', 'SIGNED TARGETS (3)', 'SIGNERS', 'EXPIRY TIMELINE', 'ROOT HISTORY', 'FINDINGS', 'PRIVATE KEYS']) {
      expect(text).toContain(heading);
    }
    expect(text).toMatch(/2026-07-25T22:56:32.000Z\s+205\s+certificate CN=docker.com\/notary0.3\/tst/);
    expect(text).toContain('Trusted state: not saved (--no-save).');
  });

  it('--gun picks a GUN and names the ones a trust dir holds when it is wrong', async () => {
    const cli = io();
    expect(await runCli(['inspect', path.join(compat, 'notary0.3'), '--gun', 'docker.com/other', '--no-save'], cli)).toBe(2);
    expect(cli.err()).toContain('it holds: docker.com/notary0.3/tst');
  });
});

describe('keyrite inspect on TUF repositories', () => {
  it('an http URL: walks the root chain over HTTP and prints the report (exit 0)', async () => {
    const repo = await buildTufRepo({ targets: { 'a.txt': 'a' }, rootRotations: [{ rootKeys: 2, threshold: 2 }] });
    const dir = path.join(tmp, 'served-tuf');
    await repo.writeTo(dir);
    const server = await serveDir(dir);
    try {
      const { code, report } = await inspectJson([`${server.url}/metadata/`, '--workspace', path.join(tmp, 'ws-tuf')]);
      expect(code).toBe(0);
      expect(report.source.kind).toBe('tuf-url');
      expect(report.health).toBe('healthy');
      expect(report.rootHistory.map((s) => s.version)).toEqual([1, 2]);
      expect(report.targets.map((t) => t.name)).toEqual(['a.txt']);
    } finally {
      await server.close();
    }
  });

  it.skipIf(!existsSync(path.join(fixtures, 'sigstore-root-history')))('the Sigstore root history directory: 15 verified steps, v11 keyid mismatch', async () => {
    const { code, report } = await inspectJson([path.join(fixtures, 'sigstore-root-history'), '--at', '2021-08-01T00:00:00Z', '--no-save']);
    expect(report.rootHistory).toHaveLength(15);
    expect(report.rootHistory.every((s) => s.ok)).toBe(true);
    expect(report.findings.find((f) => f.code === 'KEYID_MISMATCH')?.message).toContain('v11');
    // Only the roots are published there: the other roles are missing, an error (exit 1), not unusable input.
    expect(report.findings.filter((f) => f.code === 'MISSING_ROLE').map((f) => f.role).sort()).toEqual(['snapshot', 'targets', 'timestamp']);
    expect(code).toBe(1);
  });
});

describe('keyrite inspect: bad input and usage (exit 2)', () => {
  it('a missing directory', async () => {
    const cli = io();
    expect(await runCli(['inspect', path.join(tmp, 'does-not-exist')], cli)).toBe(2);
    expect(cli.err()).toMatch(/^keyrite: error: directory .*does-not-exist does not exist/);
  });

  it('a garbage root.json', async () => {
    const dir = path.join(tmp, 'garbage');
    await fsp.mkdir(dir, { recursive: true });
    await fsp.writeFile(path.join(dir, 'root.json'), '{"signed": garbage');
    const cli = io();
    expect(await runCli(['inspect', dir, '--no-save'], cli)).toBe(2);
    expect(cli.err()).toMatch(/root\.json .*cannot be parsed/);
  });

  it('a directory without metadata', async () => {
    const dir = path.join(tmp, 'empty');
    await fsp.mkdir(dir, { recursive: true });
    const cli = io();
    expect(await runCli(['inspect', dir], cli)).toBe(2);
    expect(cli.err()).toMatch(/no root\.json or N\.root\.json/);
  });

  it.each([
    [['inspect'], /missing <source>/],
    [['inspect', '--server', 'http://127.0.0.1:9'], /--server needs --gun/],
    [['inspect', '.', '--at', 'tomorrow'], /--at must be an RFC 3339 time/],
    [['inspect', '.', '--warn-days', '-3'], /--warn-days|unknown option/],
    [['inspect', 'ftp://example.com/repo'], /unsupported URL scheme/],
    [['frobnicate'], /unknown command/],
    [[], /Usage: keyrite/],
  ])('usage error %j', async (argv, message) => {
    const cli = io();
    expect(await runCli(argv, cli)).toBe(2);
    expect(cli.err()).toMatch(message);
  });

  it('--help and inspect --help print usage with examples (exit 0)', async () => {
    const top = io();
    expect(await runCli(['--help'], top)).toBe(0);
    expect(top.out()).toContain('inspect');
    const sub = io();
    expect(await runCli(['inspect', '--help'], sub)).toBe(0);
    expect(sub.out()).toContain('Examples:');
    expect(sub.out()).toContain('Exit codes: 0 healthy or warnings only, 1 error-level findings, 2 unusable input or usage.');
  });

  const bundled = path.join(repoRoot, 'dist/cli/index.cjs');
  // Skip reason: bin/keyrite.cjs loads the bundle that `npm run build` writes; `npm test` builds before this runs.
  it.skipIf(!existsSync(bundled))('bin/keyrite.cjs (built bundle): exit 0 on a healthy fixture, 2 on bad input', async () => {
    if (!HAVE_FIXTURES) return;
    const env = { ...process.env, KEYRITE_HOME: path.join(tmp, 'bin-home') };
    const ok = await run(process.execPath, [path.join(repoRoot, 'bin/keyrite.cjs'), 'inspect', path.join(compat, 'notary0.1'), '--at', '2026-01-01T00:00:00Z', '--no-save'], { env });
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain('Health       HEALTHY');
    const bad = await run(process.execPath, [path.join(repoRoot, 'bin/keyrite.cjs'), 'inspect', path.join(tmp, 'nope')], { env });
    expect(bad.code).toBe(2);
  });

  it('the real process exits 2 on a missing directory (tsx entry point)', async () => {
    const result = await run(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'electron/cli/index.ts'), 'inspect', path.join(tmp, 'nope')], {
      cwd: repoRoot,
      env: { ...process.env, KEYRITE_HOME: path.join(tmp, 'proc-home') },
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('does not exist');
  });
});

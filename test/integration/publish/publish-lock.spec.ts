/**
 * One publish at a time per TUF directory (issue #4): two real `keyrite publish` processes (the
 * bundled CLI, with a test-only entry that pauses inside the locked publish) race into one
 * directory → exactly one publishes, the other gets PublishLockedError's refusal naming it and
 * writes nothing; tuf-js then trusts the directory. A publish SIGKILLed after its target files
 * (before any metadata) leaves a stale lock and a directory that still verifies; the next publish
 * recovers the lock. Another host's lock needs `keyrite publish --unlock-tuf-dir DIR --force`; a
 * live holder is never unlocked.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { Updater } from 'tuf-js';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

import { PUBLISH_LOCK_NAME, PublishLockedError, publishTufDir, tufDirLockPath, withTufDirLock } from '../../../electron/core/publish';
import { bundleCli } from '../../support/bundle-cli';
import { serveDir, type TestServer } from '../../support/serve-dir';
import { startCli, stopCli, type CliProcess } from './support/cli-process';
import { keyrite, signedBundle } from './support/cli';
import { signedRoot, signedTargets, tufKey, type RootSpec } from './support/tuf-metadata';

const sha256 = (content: string): string => createHash('sha256').update(content).digest('hex');

describe('keyrite publish --tuf-dir: one publish at a time per directory', () => {
  let work: string;
  let cli: string;
  let repo: string;
  let spec: RootSpec;
  let v1Root: Uint8Array;
  let server: TestServer;
  const live: ChildProcess[] = [];
  const online = ['--online-key', 'snapshot.pem', '--online-key', 'timestamp.pem'];

  const start = (args: string[], hold: { ms: number; stage?: string } | null = null): CliProcess => {
    const extra = hold ? { KEYRITE_TEST_HOLD_MS: String(hold.ms), KEYRITE_TEST_HOLD_STAGE: hold.stage ?? 'checked' } : {};
    const proc = startCli(cli, args, { cwd: work, env: { ...process.env, KEYRITE_HOME: path.join(work, 'home'), ...extra } });
    live.push(proc.child);
    return proc;
  };
  const lockFile = (): string => path.join(repo, PUBLISH_LOCK_NAME);
  const fakeLock = (fields: Record<string, unknown>): Promise<void> =>
    fsp.writeFile(lockFile(), JSON.stringify({ pid: 999_999, hostname: os.hostname(), program: 'keyrite publish old.bundle', since: '2026-11-22T06:00:00.000Z', purpose: 'the TUF repository', token: 'fake', bootId: null, procStart: null, ...fields }));

  /** What a tuf-js client that trusts root v1 sees in the served directory (refresh verifies the whole chain). */
  async function clientView(names: string[]): Promise<Record<string, string | null>> {
    const cache = await fsp.mkdtemp(path.join(work, 'client-'));
    await fsp.writeFile(path.join(cache, 'root.json'), v1Root);
    const client = new Updater({ metadataBaseUrl: server.url, metadataDir: cache, targetDir: cache, targetBaseUrl: `${server.url}/targets`, config: { fetchRetries: 0, fetchTimeout: 5000 } });
    await client.refresh();
    const out: Record<string, string | null> = {};
    for (const name of names) {
      const info = await client.getTargetInfo(name);
      out[name] = info ? await fsp.readFile(await client.downloadTarget(info, path.join(cache, `dl-${name}`)), 'utf8') : null;
    }
    return out;
  }

  async function metadataNames(): Promise<string[]> {
    return (await fsp.readdir(repo)).filter((n) => n !== 'targets').sort();
  }

  beforeAll(async () => {
    work = await fsp.mkdtemp(path.join(os.tmpdir(), 'keyrite-publish-lock-'));
    cli = await bundleCli(path.join(work, 'app'), { entry: 'test/integration/publish/support/publish-hold-cli-entry.ts' });
    repo = path.join(work, 'repo');
    spec = { version: 1, root: [await tufKey()], targets: await tufKey(), snapshot: await tufKey(), timestamp: await tufKey() };
    v1Root = signedRoot(spec, spec.root);
    await fsp.writeFile(path.join(work, 'snapshot.pem'), spec.snapshot.privateKey.export({ type: 'pkcs8', format: 'pem' }));
    await fsp.writeFile(path.join(work, 'timestamp.pem'), spec.timestamp.privateKey.export({ type: 'pkcs8', format: 'pem' }));
    await fsp.mkdir(path.join(work, 'src'));
    for (const name of ['a.txt', 'b.txt', 'c.txt', 'd.txt']) await fsp.writeFile(path.join(work, 'src', name), `${name} bytes\n`);
    const targets = (version: number, names: string[]): Uint8Array => signedTargets(version, Object.fromEntries(names.map((n) => [n, `${n} bytes\n`])), spec.targets);
    await signedBundle(path.join(work, 'v1.bundle'), 'tuf-1.0', 'repo', { root: v1Root, targets: targets(1, ['a.txt']) });
    // Two different version-2 bundles: interleaved, their writes would mix two histories.
    await signedBundle(path.join(work, 'race-a.bundle'), 'tuf-1.0', 'repo', { targets: targets(2, ['a.txt', 'b.txt']) });
    await signedBundle(path.join(work, 'race-b.bundle'), 'tuf-1.0', 'repo', { targets: targets(2, ['a.txt', 'c.txt']) });
    await signedBundle(path.join(work, 'v3.bundle'), 'tuf-1.0', 'repo', { targets: targets(3, ['a.txt', 'd.txt']) });
    await signedBundle(path.join(work, 'v4.bundle'), 'tuf-1.0', 'repo', { targets: targets(4, ['a.txt']) });
    await signedBundle(path.join(work, 'v5.bundle'), 'tuf-1.0', 'repo', { targets: targets(5, ['a.txt', 'b.txt']) });
    const first = await keyrite(['publish', 'v1.bundle', '--tuf-dir', 'repo', '--targets-dir', 'src', ...online], work);
    expect(first.code, first.stderr).toBe(0);
    server = await serveDir(repo);
  }, 60_000);

  afterEach(async () => {
    for (const child of live.splice(0)) await stopCli(child);
  });

  afterAll(async () => {
    await server?.close();
    if (work) await fsp.rm(work, { recursive: true, force: true });
  });

  it('two processes race into one directory: exactly one publishes, the other is refused naming it and writes nothing', async () => {
    const args = (bundle: string): string[] => ['publish', bundle, '--tuf-dir', 'repo', '--targets-dir', 'src', ...online];
    const a = start(args('race-a.bundle'), { ms: 3000 });
    const b = start(args('race-b.bundle'), { ms: 3000 });
    const both = Promise.all([a.done, b.done]);
    await Promise.race([a.holding, b.holding, both]);
    // While one holds it: the lock is a private dot-file in DIR naming that process.
    const during = JSON.parse(await fsp.readFile(lockFile(), 'utf8')) as { pid: number; program: string };
    expect([a.child.pid, b.child.pid]).toContain(during.pid);
    expect((await fsp.stat(lockFile())).mode & 0o777).toBe(0o600);
    const [ra, rb] = await both;
    const runs = [
      { r: ra, p: a, bundle: 'race-a.bundle', target: 'b.txt' },
      { r: rb, p: b, bundle: 'race-b.bundle', target: 'c.txt' },
    ];
    const winners = runs.filter((x) => x.r.code === 0);
    const losers = runs.filter((x) => x.r.code !== 0);
    expect(winners, `${ra.stderr}\n${rb.stderr}`).toHaveLength(1);
    expect(losers).toHaveLength(1);
    const [winner, loser] = [winners[0], losers[0]] as [(typeof runs)[number], (typeof runs)[number]];
    expect(during).toMatchObject({ pid: winner.p.child.pid, program: `keyrite publish ${winner.bundle}` });
    expect(loser.r.code).toBe(1);
    expect(loser.r.stderr).toContain(`keyrite: publish refused: ${repo} is locked by keyrite publish ${winner.bundle} (pid ${winner.p.child.pid}, since 20`);
    expect(loser.r.stderr).toContain('another publish is writing into it. Wait for it to finish, then publish again');
    expect(loser.r.stderr).toContain('Nothing was written.');
    expect(loser.r.stdout).toBe('');
    expect(winner.r.stdout).toContain('written    2.targets.json, 2.snapshot.json, timestamp.json');

    // The winner's history only, no lock left, and a real client trusts it.
    expect(await metadataNames()).toEqual(['1.root.json', '1.snapshot.json', '1.targets.json', '2.snapshot.json', '2.targets.json', 'root.json', 'timestamp.json']);
    await expect(fsp.stat(path.join(repo, 'targets', `${sha256(`${loser.target} bytes\n`)}.${loser.target}`))).rejects.toMatchObject({ code: 'ENOENT' });
    expect(await clientView(['a.txt', winner.target, loser.target])).toEqual({ 'a.txt': 'a.txt bytes\n', [winner.target]: `${winner.target} bytes\n`, [loser.target]: null });
    // Run again, the loser's bundle is a conflict with the published version 2 (the lock kept it from mixing in).
    const again = await keyrite(args(loser.bundle), work);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('2.targets.json already exists with different content');
  }, 60_000);

  it('a publish killed after its target files, before any metadata, leaves a stale lock; the directory still verifies and the next publish recovers it', async () => {
    const before = await metadataNames();
    const holder = start(['publish', 'v3.bundle', '--tuf-dir', 'repo', '--targets-dir', 'src', ...online], { ms: 30_000, stage: 'targets-written' });
    await holder.holding;
    const pid = holder.child.pid as number;
    await stopCli(holder.child);
    expect(JSON.parse(await fsp.readFile(lockFile(), 'utf8'))).toMatchObject({ pid, program: 'keyrite publish v3.bundle', hostname: os.hostname() });
    // Its target file is there, no metadata names it: clients still see (and verify) the previous version.
    await expect(fsp.stat(path.join(repo, 'targets', `${sha256('d.txt bytes\n')}.d.txt`))).resolves.toBeTruthy();
    expect(await metadataNames()).toEqual([...before, PUBLISH_LOCK_NAME].sort());
    expect(await clientView(['d.txt'])).toEqual({ 'd.txt': null });

    const next = await start(['publish', 'v3.bundle', '--tuf-dir', 'repo', '--targets-dir', 'src', ...online]).done;
    expect(next.code, next.stderr).toBe(0);
    expect(next.stderr).toContain(`keyrite: recovered a stale publish lock left by keyrite publish v3.bundle (pid ${pid}, since 20`);
    expect(next.stdout).toContain('written    3.targets.json, 3.snapshot.json, timestamp.json');
    expect(next.stdout).toContain('unchanged  2 target file(s) already published');
    await expect(fsp.stat(lockFile())).rejects.toMatchObject({ code: 'ENOENT' });
    expect(await clientView(['d.txt'])).toEqual({ 'd.txt': 'd.txt bytes\n' });
  }, 60_000);

  it('another host\'s lock needs "keyrite publish --unlock-tuf-dir DIR --force" (with a warning); a live holder is never unlocked', async () => {
    await fakeLock({ hostname: 'publish-box-2', pid: 4242 });
    const refused = await keyrite(['publish', 'v4.bundle', '--tuf-dir', 'repo', ...online], work);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`keyrite: publish refused: ${repo} is locked by keyrite publish old.bundle (pid 4242 on host publish-box-2, since 2026-11-22T06:00:00.000Z)`);
    expect(refused.stderr).toContain(`remove the lock with "keyrite publish --unlock-tuf-dir ${repo} --force"`);
    const plain = await keyrite(['publish', '--unlock-tuf-dir', 'repo'], work);
    expect(plain.code).toBe(1);
    expect(plain.stderr).toContain('if you are sure it has, run again with --force');
    const forced = await keyrite(['publish', '--unlock-tuf-dir', 'repo', '--force'], work);
    expect(forced.code, forced.stderr).toBe(0);
    expect(forced.stderr).toContain('keyrite: WARNING: removed a lock by keyrite publish old.bundle (pid 4242 on host publish-box-2');
    expect(forced.stderr).toContain('two publishes can now interleave their writes');
    expect(forced.stdout).toContain(`Removed the lock of the TUF repository ${repo}`);

    const sleeper = spawn('sleep', ['60'], { stdio: 'ignore' });
    live.push(sleeper);
    await fakeLock({ pid: sleeper.pid });
    const liveRefused = await keyrite(['publish', 'v4.bundle', '--tuf-dir', 'repo', ...online], work);
    expect(liveRefused.code).toBe(1);
    expect(liveRefused.stderr).toContain(`if it hangs, stop that process (pid ${sleeper.pid})`);
    const never = await keyrite(['publish', '--unlock-tuf-dir', 'repo', '--force'], work);
    expect(never.code).toBe(1);
    expect(never.stderr).toContain('A live lock is never removed, even with --force.');
    await stopCli(sleeper);
    // Its process is gone: removable without --force (the next publish would recover it by itself).
    const stale = await keyrite(['publish', '--unlock-tuf-dir', 'repo'], work);
    expect(stale.code, stale.stderr).toBe(0);
    const free = await keyrite(['publish', '--unlock-tuf-dir', 'repo'], work);
    expect(free.stdout).toContain('is not locked');
    const published = await keyrite(['publish', 'v4.bundle', '--tuf-dir', 'repo', ...online], work);
    expect(published.code, published.stderr).toBe(0);
    const usage = await keyrite(['publish', 'v4.bundle', '--unlock-tuf-dir', 'repo'], work);
    expect(usage.code).toBe(2);
  });

  it('core: PublishLockedError carries the holder; a refused first publish leaves no directory behind', async () => {
    // Missing online keys: refused after the lock was taken; the directory it created is removed again.
    const fresh = path.join(work, 'fresh', 'metadata');
    const refused = await publishTufDir({ root: v1Root, targets: signedTargets(1, { 'a.txt': 'a.txt bytes\n' }, spec.targets) }, fresh).catch((e: unknown) => e);
    expect((refused as Error).name).toBe('OnlineKeyMissingError');
    await expect(fsp.stat(fresh)).rejects.toMatchObject({ code: 'ENOENT' });
    const other = path.join(work, 'other');
    const lock = await withTufDirLock(other, { program: 'keyrite publish held.bundle' }, async () => JSON.parse(await fsp.readFile(tufDirLockPath(other), 'utf8')) as unknown);
    expect(lock).toMatchObject({ pid: process.pid, program: 'keyrite publish held.bundle', hostname: os.hostname() });
    expect((await fsp.stat(other)).mode & 0o777).toBe(0o755 & ~process.umask());
    expect(await fsp.readdir(other)).toEqual([]);

    await fakeLock({ hostname: 'publish-box-3', pid: 77 });
    const error = await publishTufDir({ targets: signedTargets(5, { 'a.txt': 'a.txt bytes\n' }, spec.targets) }, repo, { onlineKeys: [spec.snapshot.privateKey, spec.timestamp.privateKey] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PublishLockedError);
    expect(error).toMatchObject({ dir: repo, lockPath: lockFile(), state: 'foreign', holder: { pid: 77, hostname: 'publish-box-3' } });
    await fsp.rm(lockFile());
  });

  it('a publish interrupted between its snapshot and its timestamp can simply be run again (the orphan snapshot version is skipped)', async () => {
    // The crash state, byte for byte: the same publish completed in a copy, then only its
    // versioned files (not timestamp.json) carried over, as if it died before the last write.
    const copy = path.join(work, 'repo-copy');
    await fsp.cp(repo, copy, { recursive: true });
    const done = await keyrite(['publish', 'v5.bundle', '--tuf-dir', 'repo-copy', '--targets-dir', 'src', ...online], work);
    expect(done.code, done.stderr).toBe(0);
    const orphan = /written {4}5\.targets\.json, (\d+)\.snapshot\.json, timestamp\.json/.exec(done.stdout)?.[1];
    expect(orphan, done.stdout).toBeDefined();
    for (const name of ['5.targets.json', `${orphan}.snapshot.json`]) await fsp.copyFile(path.join(copy, name), path.join(repo, name));
    expect(await clientView(['b.txt'])).toEqual({ 'b.txt': null });

    const rerun = await keyrite(['publish', 'v5.bundle', '--tuf-dir', 'repo', '--targets-dir', 'src', ...online], work);
    expect(rerun.code, rerun.stderr).toBe(0);
    const next = Number(orphan) + 1;
    expect(rerun.stdout).toContain(`written    ${next}.snapshot.json, timestamp.json`);
    expect(rerun.stdout).toContain('unchanged  5.targets.json');
    expect(rerun.stdout).toContain(`warning    snapshot version ${orphan} skipped: ${orphan}.snapshot.json was left by an interrupted publish (no timestamp names it)`);
    expect(await clientView(['b.txt'])).toEqual({ 'b.txt': 'b.txt bytes\n' });
  });

  it('a root rotation of the timestamp key interrupted after its root files is finished by running it again (snapshot and timestamp re-signed)', async () => {
    const timestamp2 = await tufKey();
    await fsp.writeFile(path.join(work, 'timestamp2.pem'), timestamp2.privateKey.export({ type: 'pkcs8', format: 'pem' }));
    await signedBundle(path.join(work, 'root2.bundle'), 'tuf-1.0', 'repo', { root: signedRoot({ ...spec, version: 2, timestamp: timestamp2 }, spec.root) });
    const args = (dir: string): string[] => ['publish', 'root2.bundle', '--tuf-dir', dir, '--online-key', 'snapshot.pem', '--online-key', 'timestamp2.pem'];
    const copy = path.join(work, 'repo-copy-2');
    await fsp.cp(repo, copy, { recursive: true });
    const done = await keyrite(args('repo-copy-2'), work);
    expect(done.code, done.stderr).toBe(0);
    expect(done.stdout).toMatch(/written {4}2\.root\.json, root\.json, \d+\.snapshot\.json, timestamp\.json/);
    // Died right after the root files: the published timestamp is still signed by the old key.
    for (const name of ['2.root.json', 'root.json']) await fsp.copyFile(path.join(copy, name), path.join(repo, name));

    const rerun = await keyrite(args('repo'), work);
    expect(rerun.code, rerun.stderr).toBe(0);
    expect(rerun.stdout).toMatch(/written {4}root\.json, \d+\.snapshot\.json, timestamp\.json/);
    expect(rerun.stdout).toContain('unchanged  2.root.json');
    expect(await clientView(['a.txt'])).toEqual({ 'a.txt': 'a.txt bytes\n' });
  });
});

// Runs one measurement in a fresh child process, with a hard timeout (the child is killed by its pid).
import { spawn } from 'node:child_process';
import { existsSync, openSync, closeSync, readFileSync, rmSync } from 'node:fs';

const TIME_BIN = '/usr/bin/time';

/**
 * A child that prints one JSON line with its own measurements (Keyrite and tuf-js children).
 * @returns {Promise<object>} the child's JSON, or `{ok:false, timedOut, error}`
 */
export function runJsonChild(command, args, { timeoutMs, cwd }) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr = (stderr + d).slice(-4000)));
    child.on('close', (code) => {
      clearTimeout(timer);
      if (timedOut) return resolve({ ok: false, timedOut: true, error: `did not finish in ${Math.round(timeoutMs / 1000)} s` });
      const line = stdout.trim().split('\n').at(-1) ?? '';
      try {
        resolve(JSON.parse(line));
      } catch {
        resolve({ ok: false, error: `exit ${code}: ${(stderr || stdout).trim().split('\n').slice(-3).join(' | ')}` });
      }
    });
  });
}

/**
 * An external program (notary, the keyrite CLI) timed from outside: wall from spawn to exit, peak
 * RSS from GNU time (`%M`, KiB) when /usr/bin/time exists. stdout goes to `stdoutFile`.
 */
export function runExternal(command, args, { timeoutMs, cwd, stdoutFile, env }) {
  const rssFile = `${stdoutFile}.rss`;
  const useTime = existsSync(TIME_BIN);
  const [cmd, argv] = useTime ? [TIME_BIN, ['-o', rssFile, '-f', '%M %U %S', command, ...args]] : [command, args];
  return new Promise((resolve) => {
    const out = openSync(stdoutFile, 'w');
    const started = performance.now();
    const child = spawn(cmd, argv, { cwd, env: env ?? process.env, stdio: ['ignore', out, 'pipe'] });
    closeSync(out);
    let stderr = '';
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.stderr.on('data', (d) => (stderr = (stderr + d).slice(-4000)));
    child.on('close', (code) => {
      const wallMs = performance.now() - started;
      clearTimeout(timer);
      let peakRssKiB = null;
      let cpuMs = null;
      if (useTime && existsSync(rssFile)) {
        // GNU time writes "Command exited with non-zero status N" before the figures on failure.
        const [rss, user, sys] = (readFileSync(rssFile, 'utf8').trim().split('\n').at(-1) ?? '').split(' ').map(Number);
        peakRssKiB = rss || null;
        cpuMs = Number.isFinite(user + sys) ? (user + sys) * 1000 : null;
        rmSync(rssFile, { force: true });
      }
      if (timedOut) return resolve({ ok: false, timedOut: true, error: `did not finish in ${Math.round(timeoutMs / 1000)} s`, wallMs, peakRssKiB, cpuMs });
      resolve({ ok: true, exitCode: code, wallMs, cpuMs, peakRssKiB, stderrTail: stderr.trim().split('\n').slice(-2).join(' | ') });
    });
  });
}

/** Median of the runs' walls; worst peak RSS; the first failure wins. */
export function combineRuns(runs) {
  const failed = runs.find((r) => !r.ok);
  if (failed) return failed;
  const sorted = [...runs].sort((a, b) => a.wallMs - b.wallMs);
  const median = sorted[Math.floor(sorted.length / 2)];
  return { ...median, runs: runs.map((r) => Math.round(r.wallMs)), peakRssKiB: Math.max(...runs.map((r) => r.peakRssKiB ?? 0)) || null };
}

import { spawn } from 'node:child_process';
import { promises as fsp } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { Journal, verifyJournal } from '../../../electron/core/journal';

let dir: string;
let script: string;

beforeAll(async () => {
  dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'keyrite-journal-kill-'));
  // Bundled once so the child starts in ~50 ms (tsx would take seconds per start).
  script = path.join(dir, 'append-loop.mjs');
  await build({ entryPoints: [path.join(__dirname, 'support/append-loop.ts')], bundle: true, platform: 'node', format: 'esm', target: 'node20', outfile: script, logLevel: 'silent' });
});
afterAll(async () => {
  await fsp.rm(dir, { recursive: true, force: true });
});

/** Starts the append loop, waits until `acks` entries were acknowledged, SIGKILLs it by PID. */
async function appendThenKill(file: string, acks: number): Promise<number> {
  const child = spawn(process.execPath, [script, file], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const lastAcked = await new Promise<number>((resolve, reject) => {
    // Never leave the child running if it stalls: stop it by PID and fail.
    const guard = setTimeout(() => {
      if (child.pid !== undefined && child.exitCode === null) process.kill(child.pid, 'SIGKILL');
      reject(new Error(`append loop made no progress to ${acks} entries: ${stderr}`));
    }, 20_000);
    child.once('exit', () => clearTimeout(guard));
    let last = 0;
    let buffered = '';
    child.stdout.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const parts = buffered.split('\n');
      buffered = parts.pop() ?? '';
      for (const part of parts) last = Number(part);
      if (last >= acks && child.pid !== undefined && child.signalCode === null) {
        process.kill(child.pid, 'SIGKILL');
        resolve(last);
      }
    });
    child.once('exit', (code, signal) => {
      if (signal !== 'SIGKILL') reject(new Error(`append loop exited early (${code ?? signal}): ${stderr}`));
    });
  });
  if (child.exitCode === null && child.signalCode === null) await new Promise((resolve) => child.once('exit', resolve));
  return lastAcked;
}

describe('SIGKILL during append', () => {
  it('every acknowledged entry survives and the reopened chain is valid, across repeated kills', async () => {
    const file = path.join(dir, 'ceremonies', 'kill', 'journal.jsonl');
    let target = 40;
    for (let round = 0; round < 3; round++) {
      const acked = await appendThenKill(file, target);
      const journal = await Journal.open(file);
      // A SIGKILL can only cut the one in-flight line; everything acknowledged before it is there.
      expect(journal.entries.length).toBeGreaterThanOrEqual(acked);
      expect(verifyJournal(await fsp.readFile(file)).head).toBe(journal.head);
      target = journal.entries.length + 40;
    }
  });
});

import { setImmediate as nextTurn } from 'node:timers/promises';

import { z } from 'zod';

import type { VerifiedFile } from '../../../shared/inspection/input';
import { VerifiedFileEntry } from './repo-record';

/**
 * verified-files.json holds one record per PEP 458 bin (16,384): checking them with one zod call
 * held the Electron main thread ~150 ms on every save and re-inspection. They are checked a batch
 * per event-loop turn instead; the file's shape is the same (VerifiedFilesRecord).
 */
const BATCH = 1024;

/** `files` passes through as parsed (z.record would drop a role named "__proto__"); entries are checked below. */
const Envelope = z.strictObject({
  schemaVersion: z.literal(1),
  files: z.custom<Record<string, unknown>>((value) => typeof value === 'object' && value !== null && !Array.isArray(value), 'files must be an object'),
});

export type VerifiedFiles = Readonly<Record<string, VerifiedFile>>;

/** The records of a parsed verified-files.json, each checked. */
export async function acceptVerifiedFiles(value: unknown): Promise<VerifiedFiles> {
  return checkInTurns(Envelope.parse(value).files);
}

/** The record to store: every entry checked, so nothing malformed is ever written. */
export async function verifiedFilesRecord(files: VerifiedFiles): Promise<string> {
  return JSON.stringify({ schemaVersion: 1, files: await checkInTurns(files) });
}

async function checkInTurns(files: Readonly<Record<string, unknown>>): Promise<VerifiedFiles> {
  const checked: Array<[string, VerifiedFile]> = [];
  for (const [index, [name, entry]] of Object.entries(files).entries()) {
    if (index > 0 && index % BATCH === 0) await nextTurn();
    checked.push([name, VerifiedFileEntry.parse(entry)]);
  }
  // fromEntries defines own properties: a role named "__proto__" stays a record, not a prototype.
  return Object.fromEntries(checked);
}

import { createHash } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import {
  EquivocationError,
  GENESIS_PREV,
  Journal,
  JournalClosedError,
  JournalCorruptError,
  JournalEntryError,
  ceremonyPaths,
  entryHash,
  listCeremonies,
  readCeremonyState,
  verifyJournal,
  writeCeremonyState,
} from '../../../electron/core/journal';
import { UnsafeNameError } from '../../../electron/core/fs/safe-names';
import { canonicalize } from '../../../shared/tuf/canonical-json';

let dir: string;
let file: string;
let tick = 0;
const clock = (): Date => new Date(Date.UTC(2026, 10, 22, 2, 0, tick++));

beforeEach(async () => {
  dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'keyrite-journal-'));
  file = path.join(dir, 'ceremonies', 'c1', 'journal.jsonl');
  tick = 0;
});
afterEach(async () => {
  await fsp.rm(dir, { recursive: true, force: true });
});

async function threeEntries(): Promise<Journal> {
  const journal = await Journal.open(file, { clock });
  await journal.append('plan', { kind: 'rotate-root', repository: 'example.com/app' });
  await journal.append('sign-intent', { role: 'root', version: 4, payloadSha256: 'a'.repeat(64) });
  await journal.append('note', { text: 'witness: Bob' });
  return journal;
}

function lines(bytes: Buffer): string[] {
  return bytes.toString('utf8').split('\n');
}

describe('journal hash chain', () => {
  it('chains each entry to the previous head with sha256(prev ‖ canonical(entry without hash))', async () => {
    const journal = await threeEntries();
    const [first, second, third] = journal.entries;
    expect(first?.seq).toBe(1);
    expect(first?.prev).toBe(GENESIS_PREV);
    expect(second?.prev).toBe(first?.hash);
    expect(third?.prev).toBe(second?.hash);
    expect(journal.head).toBe(third?.hash);
    // Recompute the first hash independently of entryHash().
    const { hash: _hash, ...body } = first as NonNullable<typeof first>;
    const expected = createHash('sha256').update(GENESIS_PREV).update(canonicalize(body)).digest('hex');
    expect(first?.hash).toBe(expected);
    expect(entryHash(body)).toBe(expected);
    // One canonical line per entry, newline-terminated.
    const bytes = await fsp.readFile(file);
    expect(lines(bytes)).toHaveLength(4);
    expect(lines(bytes)[3]).toBe('');
    expect(journal.lastAt).toBe('2026-11-22T02:00:02.000Z');
  });

  it('reopens to the same head and keeps chaining', async () => {
    const before = (await threeEntries()).head;
    const reopened = await Journal.open(file, { clock });
    expect(reopened.head).toBe(before);
    expect(reopened.recovery).toBeNull();
    const next = await reopened.append('finalized', {});
    expect(next.seq).toBe(4);
    expect(next.prev).toBe(before);
    expect(verifyJournal(await fsp.readFile(file)).head).toBe(next.hash);
  });

  it('shows the head as 32 PGP words that decode back to it', async () => {
    const journal = await threeEntries();
    expect(journal.headWords).toHaveLength(32);
    expect(verifyJournal(await fsp.readFile(file)).headWords).toEqual(journal.headWords);
  });

  it.runIf(process.platform === 'linux')('fsyncs every append, and the file and its directory when it creates the journal', async () => {
    const probe = await fsp.open(path.join(dir, 'probe'), 'w');
    const proto = Object.getPrototypeOf(probe) as { sync: () => Promise<void> };
    await probe.close();
    const synced: string[] = [];
    const original = proto.sync;
    const spy = vi.spyOn(proto, 'sync').mockImplementation(async function (this: { fd: number }) {
      synced.push(await fsp.readlink(`/proc/self/fd/${this.fd}`).catch(() => `fd ${this.fd}`));
      return original.call(this);
    });
    try {
      const journal = await Journal.open(file);
      // The file, and each new directory entry in its parent: c1 in ceremonies/, ceremonies/ in the workspace.
      expect(synced).toContain(file);
      expect(synced).toContain(path.dirname(file));
      expect(synced).toContain(path.dirname(path.dirname(file)));
      expect(synced).toContain(dir);
      synced.length = 0;
      await journal.append('note', { n: 1 });
      await journal.append('note', { n: 2 });
      expect(synced).toEqual([file, file]);
    } finally {
      spy.mockRestore();
    }
  });

  it('keeps an entry whose data holds newlines and control characters (a PEM) on one escaped line', async () => {
    const pem = '-----BEGIN CERTIFICATE-----\nMIIB\r\n\t\u0001\b\f-----END CERTIFICATE-----\n';
    const journal = await Journal.open(file);
    const entry = await journal.append('key-generated', { certificate: pem });
    const bytes = await fsp.readFile(file);
    expect(lines(bytes)).toHaveLength(2);
    expect(bytes.subarray(0, -1).every((b) => b >= 0x20)).toBe(true);
    // The hash covers the canonical bytes (raw control characters), as the spec formula says.
    const { hash: _h, ...body } = entry;
    expect(entry.hash).toBe(createHash('sha256').update(GENESIS_PREV).update(canonicalize(body)).digest('hex'));
    const reopened = await Journal.open(file);
    expect(reopened.entries[0]?.data['certificate']).toBe(pem);
    expect(reopened.head).toBe(entry.hash);
  });

  it('an empty journal has the genesis head', async () => {
    const journal = await Journal.open(file);
    expect(journal.head).toBe(GENESIS_PREV);
    expect(journal.entries).toEqual([]);
    expect(await fsp.readFile(file)).toHaveLength(0);
  });

  it('refuses data that is not canonical JSON without writing anything', async () => {
    const journal = await Journal.open(file);
    await expect(journal.append('note', { ratio: 1.5 })).rejects.toBeInstanceOf(JournalEntryError);
    await expect(journal.append('bogus' as 'note', {})).rejects.toThrow(/unknown journal entry type "bogus"/);
    expect(await fsp.readFile(file)).toHaveLength(0);
  });

  it('refuses to append after another process changed the file', async () => {
    const journal = await threeEntries();
    await fsp.appendFile(file, '{"x":1}\n');
    await expect(journal.append('note', {})).rejects.toBeInstanceOf(JournalClosedError);
    await expect(journal.append('note', {})).rejects.toThrow(/reopen it/);
  });
});

describe('torn-tail recovery', () => {
  it('truncates exactly one unterminated last line and reports it', async () => {
    await threeEntries();
    const good = await fsp.readFile(file);
    await fsp.appendFile(file, '{"at":"2026-11-22T02:00:09.000Z","data":{"te');
    const journal = await Journal.open(file, { clock });
    expect(journal.recovery).toEqual({ line: 4, offset: good.length, length: 44 });
    expect(journal.entries).toHaveLength(3);
    expect(await fsp.readFile(file)).toEqual(good);
    const next = await journal.append('note', { after: 'crash' });
    expect(next.seq).toBe(4);
    expect(verifyJournal(await fsp.readFile(file)).entries).toHaveLength(4);
  });

  it('treats a complete entry whose newline never reached the disk as torn too (it was never acknowledged)', async () => {
    await threeEntries();
    const bytes = await fsp.readFile(file);
    await fsp.writeFile(file, bytes.subarray(0, bytes.length - 1));
    const journal = await Journal.open(file);
    expect(journal.recovery?.line).toBe(3);
    expect(journal.entries).toHaveLength(2);
  });

  it('verifyJournal rejects a torn tail unless allowed', async () => {
    await threeEntries();
    await fsp.appendFile(file, '{"at"');
    const bytes = await fsp.readFile(file);
    expect(() => verifyJournal(bytes)).toThrow('journal line 4: unterminated last line (5 bytes): a torn write');
    expect(verifyJournal(bytes, { allowTornTail: true }).tornTail).toEqual({ line: 4, offset: bytes.length - 5, length: 5 });
  });
});

describe('mid-file tamper detection', () => {
  async function tampered(edit: (ls: string[]) => string[]): Promise<JournalCorruptError> {
    await threeEntries();
    const original = await fsp.readFile(file);
    await fsp.writeFile(file, edit(lines(original)).join('\n'));
    const changed = await fsp.readFile(file);
    const error = await Journal.open(file).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(JournalCorruptError);
    // A corrupt journal is never "repaired": the evidence stays as it was.
    expect(await fsp.readFile(file)).toEqual(changed);
    return error as JournalCorruptError;
  }

  it('names the line whose data was edited', async () => {
    const error = await tampered((ls) => ls.map((l, i) => (i === 1 ? l.replace('"root"', '"targets"') : l)));
    expect(error.line).toBe(2);
    expect(error.message).toMatch(/line 2: hash [0-9a-f]{64} does not match the entry's content/);
  });

  it('names the line after a removed entry', async () => {
    const error = await tampered((ls) => ls.filter((_, i) => i !== 1));
    expect(error.line).toBe(2);
    expect(error.message).toMatch(/line 2: seq is 3, expected 2/);
  });

  it('detects swapped entries', async () => {
    const error = await tampered(([a, b, c, ...rest]) => [a ?? '', c ?? '', b ?? '', ...rest]);
    expect(error.line).toBe(2);
  });

  it('detects a re-hashed edit by the broken link to the next entry', async () => {
    const error = await tampered((ls) =>
      ls.map((l, i) => {
        if (i !== 0) return l;
        const entry = JSON.parse(l) as { seq: number; at: string; type: 'plan'; data: Record<string, string>; prev: string; hash: string };
        entry.data = { kind: 'init', repository: 'evil' };
        entry.hash = entryHash(entry);
        return Buffer.from(canonicalize(entry as never)).toString('utf8');
      }),
    );
    expect(error.line).toBe(2);
    expect(error.message).toMatch(/prev .* does not match the previous entry's hash/);
  });

  it('rejects a re-formatted line (not canonical JSON)', async () => {
    const error = await tampered((ls) => ls.map((l, i) => (i === 0 ? JSON.stringify(JSON.parse(l), null, 1).replace(/\n/g, '') : l)));
    expect(error.line).toBe(1);
    expect(error.message).toMatch(/line 1: the line is not in canonical JSON form/);
  });

  it('rejects garbage and an empty line in the middle', async () => {
    expect((await tampered((ls) => ls.map((l, i) => (i === 2 ? 'not json' : l)))).message).toMatch(/line 3: not valid JSON/);
    await fsp.rm(file);
    expect((await tampered((ls) => [ls[0] ?? '', '', ...ls.slice(1)])).message).toMatch(/line 2: empty line/);
  });

  it('rejects duplicate JSON keys (a second "hash" would hide the real one)', async () => {
    const error = await tampered((ls) => ls.map((l, i) => (i === 0 ? l.replace('{', `{"hash":"${'0'.repeat(64)}",`) : l)));
    expect(error.line).toBe(1);
    expect(error.message).toMatch(/not valid JSON .*duplicate/i);
  });
});

describe('equivocation guard (catalogue #44)', () => {
  it('refuses a sign-intent for the same role and version over different bytes, and appends nothing', async () => {
    const journal = await threeEntries();
    const before = await fsp.readFile(file);
    const attempt = journal.append('sign-intent', { role: 'root', version: 4, payloadSha256: 'b'.repeat(64) });
    await expect(attempt).rejects.toBeInstanceOf(EquivocationError);
    await expect(attempt).rejects.toThrow(`refusing to sign root v4 over different bytes: payload ${'a'.repeat(16)}… was already committed for it (journal line 2)`);
    expect(await fsp.readFile(file)).toEqual(before);
    expect(journal.entries).toHaveLength(3);
  });

  it('still refuses after a crash and reopen, and accepts the same payload again (resume)', async () => {
    await threeEntries();
    const reopened = await Journal.open(file, { clock });
    await expect(reopened.append('sign-intent', { role: 'root', version: 4, payloadSha256: 'c'.repeat(64) })).rejects.toMatchObject({
      name: 'EquivocationError',
      role: 'root',
      version: 4,
      signedSha256: 'a'.repeat(64),
      attemptedSha256: 'c'.repeat(64),
      line: 2,
    });
    await expect(reopened.append('sign-intent', { role: 'root', version: 4, payloadSha256: 'a'.repeat(64) })).resolves.toMatchObject({ seq: 4 });
    await expect(reopened.append('sign-intent', { role: 'root', version: 5, payloadSha256: 'c'.repeat(64) })).resolves.toMatchObject({ seq: 5 });
    expect(reopened.signIntent('root', 4)).toEqual({ payloadSha256: 'a'.repeat(64), seq: 2 });
  });

  it('checks signature entries that name role, version and payload', async () => {
    const journal = await threeEntries();
    await expect(journal.append('signature', { role: 'root', version: 4, payloadSha256: 'd'.repeat(64), keyid: 'k' })).rejects.toBeInstanceOf(
      EquivocationError,
    );
    await expect(journal.append('signature', { keyid: 'k' })).resolves.toMatchObject({ seq: 4 });
  });

  it('refuses a malformed sign-intent', async () => {
    const journal = await Journal.open(file);
    await expect(journal.append('sign-intent', { role: 'root', version: 0, payloadSha256: 'a'.repeat(64) })).rejects.toThrow(
      /sign-intent needs data.version \(a positive integer\), got 0/,
    );
    await expect(journal.append('sign-intent', { role: 'root', version: 1, payloadSha256: 'A'.repeat(64) })).rejects.toBeInstanceOf(JournalEntryError);
  });

  it('verifyJournal rejects a journal that commits one role+version to two payloads', async () => {
    await threeEntries();
    // Forge a validly chained second intent: only a tool without the guard could have written it.
    const { entries, head } = verifyJournal(await fsp.readFile(file));
    const unsigned = { seq: entries.length + 1, at: '2026-11-22T03:00:00.000Z', type: 'sign-intent' as const, data: { role: 'root', version: 4, payloadSha256: 'e'.repeat(64) }, prev: head };
    const forged = { ...unsigned, hash: entryHash(unsigned) };
    await fsp.appendFile(file, Buffer.concat([canonicalize(forged), Buffer.from('\n')]));
    const bytes = await fsp.readFile(file);
    expect(() => verifyJournal(bytes)).toThrow(EquivocationError);
    expect(() => verifyJournal(bytes)).toThrow(/journal line 2/);
  });
});

describe('ceremony state dir', () => {
  it('writes state.json atomically next to the journal and lists ceremonies', async () => {
    await writeCeremonyState(dir, 'c1', { phase: 'signing', step: 3 });
    expect(await readCeremonyState(dir, 'c1')).toEqual({ phase: 'signing', step: 3 });
    await writeCeremonyState(dir, 'c1', { phase: 'finalized', step: 4 });
    expect(await readCeremonyState(dir, 'c1')).toEqual({ phase: 'finalized', step: 4 });
    expect((await fsp.readdir(ceremonyPaths(dir, 'c1').dir)).sort()).toEqual(['state.json']);
    expect(await readCeremonyState(dir, 'c2')).toBeNull();
    await Journal.open(ceremonyPaths(dir, 'c1').journal);
    expect(await listCeremonies(dir)).toEqual(['c1']);
  });

  it('refuses ceremony ids that could escape the directory', () => {
    for (const id of ['..', '../x', 'a/b', '', '.hidden', 'a\\b', 'C:x']) {
      expect(() => ceremonyPaths(dir, id), id).toThrow(UnsafeNameError);
    }
  });
});

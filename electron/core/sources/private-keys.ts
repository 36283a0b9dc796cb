import { promises as fsp } from 'node:fs';
import path from 'node:path';

import { LIMITS } from './limits';

export interface PrivateKeyEntry {
  id: string;
  role: string;
  gun: string | null;
  path: string;
  encrypted: boolean;
}

/**
 * Lists the private keys of a Notary/Docker trust dir WITHOUT decrypting or even parsing them:
 * only the PEM type line and headers (`role:`, `gun:`, `Proc-Type`) and the file name are read.
 * Layouts: `private/<id>.key` (0.4+), legacy `private/root_keys/<id>[_root].key` and
 * `private/tuf_keys/[<gun>/]<id>[_<role>].key` (notary.md §3).
 */
export async function listPrivateKeys(trustDir: string): Promise<PrivateKeyEntry[]> {
  const privateDir = path.join(trustDir, 'private');
  const files = await findKeyFiles(privateDir);
  const out: PrivateKeyEntry[] = [];
  for (const file of files) {
    const relative = path.relative(privateDir, file).split(path.sep);
    const header = await readHeader(file);
    out.push(describeKey(relative, header, file));
  }
  return out.sort((a, b) => a.path.localeCompare(b.path));
}

interface PemHeader {
  type: string | null;
  headers: Map<string, string>;
}

function describeKey(relative: string[], header: PemHeader, file: string): PrivateKeyEntry {
  const base = (relative.at(-1) ?? '').replace(/\.key$/, '');
  // Legacy names are `<id>_<role>`; roles never contain `_`-free ids, ids are hex.
  const legacy = /^([0-9a-f]{64})_(.+)$/.exec(base);
  const id = legacy?.[1] ?? base;
  let role = header.headers.get('role') ?? legacy?.[2] ?? null;
  let gun = header.headers.get('gun') ?? null;
  if (relative[0] === 'root_keys') role ??= 'root';
  if (relative[0] === 'tuf_keys' && relative.length > 2) gun ??= relative.slice(1, -1).join('/');
  const encrypted = header.type === 'ENCRYPTED PRIVATE KEY' || (header.headers.get('proc-type') ?? '').includes('ENCRYPTED');
  return { id, role: role ?? 'unknown', gun, path: file, encrypted };
}

async function readHeader(file: string): Promise<PemHeader> {
  const handle = await fsp.open(file, 'r');
  try {
    const buffer = Buffer.alloc(LIMITS.pemHeaderBytes);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    return parsePemHeader(buffer.subarray(0, bytesRead).toString('latin1'));
  } finally {
    await handle.close();
  }
}

export function parsePemHeader(text: string): PemHeader {
  const lines = text.split(/\r?\n/);
  const begin = lines.findIndex((line) => line.startsWith('-----BEGIN '));
  const headers = new Map<string, string>();
  if (begin < 0) return { type: null, headers };
  const type = /^-----BEGIN (.+)-----$/.exec(lines[begin]?.trim() ?? '')?.[1] ?? null;
  for (const line of lines.slice(begin + 1)) {
    const match = /^([A-Za-z][A-Za-z0-9-]*):\s*(.*)$/.exec(line);
    if (!match) break; // headers end at the first blank or base64 line
    headers.set((match[1] as string).toLowerCase(), (match[2] as string).trim());
  }
  return { type, headers };
}

async function findKeyFiles(dir: string, depth = 0, out: string[] = []): Promise<string[]> {
  if (depth > LIMITS.gunDepth + 2 || out.length >= LIMITS.privateKeys) return out;
  let entries;
  try {
    entries = await fsp.readdir(dir, { withFileTypes: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return out;
    throw error;
  }
  for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    const full = path.join(dir, entry.name);
    // Symlinks are not followed: a trust dir must not make us read outside it.
    if (entry.isDirectory()) await findKeyFiles(full, depth + 1, out);
    else if (entry.isFile() && entry.name.endsWith('.key') && out.length < LIMITS.privateKeys) out.push(full);
  }
  return out;
}

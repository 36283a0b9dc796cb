import { BundleRejectedError } from './errors';

/**
 * Entry names inside a bundle (catalogue #31). A name is a `/`-separated relative path of plain
 * segments; everything that could mean something else to some file system or unzip tool is
 * refused with its own code. Names are compared exactly, and also after NFC + lower-casing so two
 * names that would land on the same file on macOS or Windows are refused too.
 */

const SEGMENT = /^[A-Za-z0-9_%@+-][A-Za-z0-9._%@+-]*$/;
const WINDOWS_RESERVED = /^(con|prn|aux|nul|com[0-9]|lpt[0-9])(\..*)?$/i;
// eslint-disable-next-line no-control-regex -- control characters are exactly what we look for
const CONTROL = /[\u0000-\u001f\u007f]/;

export function checkEntryName(name: string, maxPathLength: number): void {
  const reject = (code: ConstructorParameters<typeof BundleRejectedError>[0], why: string): never => {
    throw new BundleRejectedError(code, why, name);
  };
  if (name.length === 0) reject('BAD_NAME', 'empty entry name');
  if (Buffer.byteLength(name) > maxPathLength) reject('BAD_NAME', `entry name longer than ${maxPathLength} bytes`);
  if (CONTROL.test(name)) reject('BAD_NAME', 'entry name contains a control character');
  if (name.startsWith('/')) reject('ABSOLUTE_PATH', 'absolute path');
  if (/^[A-Za-z]:/.test(name)) reject('ABSOLUTE_PATH', 'absolute Windows path (drive letter)');
  if (name.startsWith('\\')) reject('ABSOLUTE_PATH', 'absolute Windows path (UNC or root)');
  if (name.includes('\\')) reject('BACKSLASH', 'backslash in an entry name (a path separator on Windows)');
  if (name.endsWith('/')) reject('DIRECTORY_ENTRY', 'directory entry');
  for (const segment of name.split('/')) {
    if (segment === '..') reject('PATH_TRAVERSAL', 'a ".." segment escapes the extraction directory');
    if (segment === '.' || segment === '') reject('BAD_NAME', 'empty or "." path segment');
    if (!SEGMENT.test(segment)) reject('BAD_NAME', `segment ${JSON.stringify(segment)}: only letters, digits, ".", "_", "-", "@", "+", "%" are allowed`);
    if (WINDOWS_RESERVED.test(segment)) reject('BAD_NAME', `segment ${JSON.stringify(segment)} is a reserved device name on Windows`);
  }
}

/** The key two names collide under on case-insensitive or normalizing file systems. */
export function foldName(name: string): string {
  return name.normalize('NFC').toLowerCase();
}

/** Refuses exact duplicates and names that differ only by case or Unicode normalization. */
export function checkUniqueNames(names: readonly string[]): void {
  const exact = new Set<string>();
  const folded = new Map<string, string>();
  for (const name of names) {
    if (exact.has(name)) throw new BundleRejectedError('DUPLICATE_NAME', 'the name appears twice in the bundle', name);
    exact.add(name);
    const key = foldName(name);
    const other = folded.get(key);
    if (other !== undefined) throw new BundleRejectedError('CASE_COLLISION', `collides with ${JSON.stringify(other)} on case-insensitive file systems`, name);
    folded.set(key, name);
  }
}

/**
 * One role-name segment as a file-name segment: bytes outside [A-Za-z0-9_@+-] (and a leading
 * ".") are percent-encoded, so any TUF role name maps to a safe, reversible entry name.
 */
function encodeSegment(segment: string): string {
  let out = '';
  const bytes = new TextEncoder().encode(segment);
  bytes.forEach((byte, i) => {
    const char = String.fromCharCode(byte);
    out += /[A-Za-z0-9_@+-]/.test(char) || (char === '.' && i > 0) ? char : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  });
  if (WINDOWS_RESERVED.test(out)) out = `%${(out.charCodeAt(0)).toString(16).toUpperCase()}${out.slice(1)}`;
  return out;
}

/** `metadata/<role>.json`; Notary's `targets/releases` keeps its `/` as a directory. */
export function metadataEntryName(role: string): string {
  if (role.length === 0) throw new RangeError('empty role name');
  const segments = role.split('/');
  const plain = segments.every((s) => s !== '' && s !== '.' && s !== '..');
  return `metadata/${(plain ? segments.map(encodeSegment) : [encodeSegment(role)]).join('/')}.json`;
}

/** The role of a `metadata/...json` entry, or null when the name is not the canonical encoding of one. */
export function roleOfMetadataEntry(name: string): string | null {
  if (!name.startsWith('metadata/') || !name.endsWith('.json')) return null;
  let role: string;
  try {
    role = name
      .slice('metadata/'.length, -'.json'.length)
      .split('/')
      .map((s) => decodeURIComponent(s))
      .join('/');
  } catch (error) {
    if (error instanceof URIError) return null;
    throw error;
  }
  return role.length > 0 && metadataEntryName(role) === name ? role : null;
}

const ATTESTATION_NAME = /^[A-Za-z0-9_][A-Za-z0-9._@+-]{0,127}$/;

export function attestationEntryName(name: string): string {
  if (!ATTESTATION_NAME.test(name) || WINDOWS_RESERVED.test(name)) {
    throw new RangeError(`attestation name ${JSON.stringify(name)}: use letters, digits, ".", "_", "-", "@", "+" (e.g. the token serial and slot)`);
  }
  return `attestation/${name}.der`;
}

export function attestationOfEntry(name: string): string | null {
  const m = /^attestation\/([^/]+)\.der$/.exec(name);
  return m?.[1] !== undefined && ATTESTATION_NAME.test(m[1]) ? m[1] : null;
}

export function signatureEntryName(index: number): string {
  return `signatures/${String(index + 1).padStart(4, '0')}.json`;
}

export const SIGNATURE_ENTRY = /^signatures\/[0-9]{4,6}\.json$/;
export const MANIFEST_ENTRY = 'manifest.json';
export const STATE_ENTRY = 'state/repo.json';
export const PROPOSAL_ENTRY = 'proposal.json';
export const JOURNAL_ENTRY = 'journal.jsonl';

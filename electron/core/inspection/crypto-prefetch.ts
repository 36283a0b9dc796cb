import { verify as nodeVerify, webcrypto, type KeyObject } from 'node:crypto';

import type { RepositoryInput } from '../../../shared/inspection/input';
import { resolveSignatureMethod, type CryptoProvider, type KeyImportResult, type KeyMaterial, type PublicKeyHandle, type VerifyMethod } from '../../../shared/tuf/crypto';
import { fromHex } from '../../../shared/tuf/encoding';
import { parseMetadata } from '../../../shared/tuf/metadata';
import { DEFAULT_MAX_ROOT_BYTES, type Root } from '../../../shared/tuf/model';
import { parseTargetsScanned } from '../../../shared/tuf/targets-scan-model';

/** Below this a file's hash and signature cost too little to be worth overlapping. */
const PREFETCH_FROM_BYTES = 4 * 1024 * 1024;

interface Verdict {
  handle: PublicKeyHandle;
  method: VerifyMethod;
  signature: Uint8Array;
  buffer: ArrayBufferLike;
  offset: number;
  length: number;
  ok: boolean;
}

/**
 * A CryptoProvider that can answer some questions before the engine asks them. For a large TUF
 * targets file (dataset A: one 35 MB file, one thread) the runner starts the file's SHA-256 and the
 * ed25519 checks of its signatures (by root's keys) on libuv's thread pool, and scans the file on
 * this thread meanwhile; the engine then gets those answers instead of computing them after the
 * scan. An answer is used only for the very same question — the same bytes object for a hash; the
 * same key handle, method, signature bytes and byte range for a signature — so the engine's
 * results are exactly what it would have computed (test: crypto-prefetch.spec.ts). Anything else
 * goes to the inner provider.
 */
export class PrefetchingCrypto implements CryptoProvider {
  private readonly digests = new WeakMap<Uint8Array, Uint8Array>();
  private verdicts: Verdict[] = [];
  /** Questions answered from the prefetch (tests look at it). */
  hits = 0;

  constructor(
    private readonly inner: CryptoProvider,
    private readonly fromBytes = PREFETCH_FROM_BYTES,
  ) {}

  sha256(data: Uint8Array): Uint8Array {
    const known = this.digests.get(data);
    if (known === undefined) return this.inner.sha256(data);
    this.hits++;
    return known.slice();
  }

  sha512(data: Uint8Array): Uint8Array {
    return this.inner.sha512(data);
  }

  importKey(key: KeyMaterial): KeyImportResult {
    return this.inner.importKey(key);
  }

  verify(handle: PublicKeyHandle, method: VerifyMethod, signature: Uint8Array, message: Uint8Array): boolean {
    for (const v of this.verdicts) {
      if (v.handle === handle && v.method === method && v.buffer === message.buffer && v.offset === message.byteOffset && v.length === message.byteLength && bytesEqual(v.signature, signature)) {
        this.hits++;
        return v.ok;
      }
    }
    return this.inner.verify(handle, method, signature, message);
  }

  /** Forgets prefetched answers (the next inspection starts clean). */
  clear(): void {
    this.verdicts = [];
  }

  /**
   * Overlaps a large TUF targets file's hashing and signature checks (thread pool) with its scan
   * (this thread). Returns the input with the scanned envelope in `preparsed` when it scanned, else
   * the input unchanged. Never changes what the engine concludes, only when work happens.
   */
  async prepare(input: RepositoryInput): Promise<RepositoryInput> {
    this.clear();
    const bytes = input.files.get('targets');
    const rootBytes = input.files.get('root');
    if (bytes === undefined || rootBytes === undefined || bytes.length < this.fromBytes || input.dialect === 'notary-v1') return input;
    if (input.preparsed?.has('targets') === true) return input;
    const pending: Array<Promise<void>> = [
      webcrypto.subtle.digest('SHA-256', bytes).then((d) => {
        this.digests.set(bytes, new Uint8Array(d));
      }),
    ];
    for (const job of this.signatureJobs(bytes, rootBytes)) pending.push(job);
    const envelope = parseTargetsScanned(bytes);
    await Promise.all(pending);
    if (envelope === null) return input;
    const preparsed = new Map(input.preparsed ?? []);
    preparsed.set('targets', envelope);
    return { ...input, preparsed };
  }

  /** Speculative ed25519 checks of the file's signatures by root's keys of the same keyid. */
  private signatureJobs(bytes: Uint8Array, rootBytes: Uint8Array): Array<Promise<void>> {
    const head = canonicalHead(bytes);
    if (head === null) return [];
    let root: Root;
    try {
      root = parseMetadata(rootBytes, { expectedType: 'root', maxBytes: DEFAULT_MAX_ROOT_BYTES }).signed;
    } catch (error) {
      // The engine reports an unusable root; nothing to prefetch.
      void error;
      return [];
    }
    if (root.dialect !== 'tuf-1.0') return [];
    const message = bytes.subarray(head.start, head.end);
    const jobs: Array<Promise<void>> = [];
    for (const sig of head.signatures) {
      const key = root.keys.get(sig.keyid);
      const signature = fromHex(sig.sig);
      if (key === undefined || signature === null) continue;
      const imported = this.inner.importKey(key);
      if (!imported.ok) continue;
      const method = resolveSignatureMethod('tuf-1.0', key, imported.handle.info.algorithm, null);
      const keyObject = (imported.handle as { keyObject?: KeyObject }).keyObject;
      // Only the provider's own ed25519 check is replicated: node:crypto's verify, off-thread.
      if (!method.ok || method.method !== 'ed25519' || imported.handle.info.algorithm !== 'ed25519' || keyObject === undefined || signature.length !== 64) continue;
      const handle = imported.handle;
      jobs.push(
        new Promise<void>((resolve) => {
          try {
            nodeVerify(null, message, keyObject, signature, (error, ok) => {
              this.verdicts.push({ handle, method: 'ed25519', signature, buffer: message.buffer, offset: message.byteOffset, length: message.byteLength, ok: error === null && ok });
              resolve();
            });
          } catch (error) {
            // As the provider: a throwing check is a failed one; let the engine decide itself.
            void error;
            resolve();
          }
        }),
      );
    }
    return jobs;
  }
}

/**
 * Signatures and the `signed` byte range of a file shaped `{"signatures":[…],"signed":{…}}`
 * (canonical writers), found without parsing the body; null for anything else.
 */
function canonicalHead(bytes: Uint8Array): { signatures: Array<{ keyid: string; sig: string }>; start: number; end: number } | null {
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (!text.subarray(0, 15).equals(Buffer.from('{"signatures":['))) return null;
  const boundary = text.indexOf('],"signed":{');
  if (boundary < 0 || boundary > 1024 * 1024) return null;
  let end = bytes.length;
  while (end > 0 && (bytes[end - 1] === 0x20 || bytes[end - 1] === 0x0a || bytes[end - 1] === 0x0d || bytes[end - 1] === 0x09)) end--;
  if (bytes[end - 1] !== 0x7d) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(`${text.toString('latin1', 0, boundary + 1)}}`);
  } catch (error) {
    void error;
    return null;
  }
  const sigs = (parsed as { signatures?: unknown }).signatures;
  if (!Array.isArray(sigs)) return null;
  const signatures: Array<{ keyid: string; sig: string }> = [];
  for (const s of sigs) {
    const { keyid, sig } = (s ?? {}) as { keyid?: unknown; sig?: unknown };
    if (typeof keyid === 'string' && typeof sig === 'string') signatures.push({ keyid, sig });
  }
  return { signatures, start: boundary + '],"signed":'.length, end: end - 1 };
}

function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

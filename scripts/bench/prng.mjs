// Seeded, fast pseudo-random bytes for the bench generators: AES-256-CTR over zeros.
// The same seed and label always give the same byte stream (datasets are reproducible and cacheable).
import { createCipheriv, createHash } from 'node:crypto';

export class ByteStream {
  /** @param {string|number} seed @param {string} label */
  constructor(seed, label) {
    const key = createHash('sha256').update(`keyrite-bench:${seed}:${label}`).digest();
    this.cipher = createCipheriv('aes-256-ctr', key, Buffer.alloc(16));
  }

  /** The next n bytes of the stream. */
  bytes(n) {
    return this.cipher.update(Buffer.alloc(n));
  }
}

/** 32 deterministic bytes for a key seed (ed25519 seed or P-256 scalar). */
export function seedBytes(seed, label) {
  return createHash('sha256').update(`keyrite-bench-key:${seed}:${label}`).digest();
}

import { inspect } from '../../../shared/inspection/inspect';
import { NodeCryptoProvider } from '../crypto/node-crypto-provider';
import { PrefetchingCrypto } from './crypto-prefetch';
import type { InspectEngine } from './inspect-runner';

/**
 * The verification engine bound to the node:crypto provider. `prepare` (run by runEngine before
 * the engine) overlaps a large targets file's hashing and signature checks with its scan.
 */
export function createInspectEngine(options: { prefetch?: boolean } = {}): InspectEngine {
  const crypto = new PrefetchingCrypto(new NodeCryptoProvider());
  const engine: InspectEngine = (input, inspectOptions) => {
    try {
      return inspect(input, inspectOptions, crypto);
    } finally {
      crypto.clear();
    }
  };
  if (options.prefetch ?? true) engine.prepare = (input) => crypto.prepare(input);
  return engine;
}

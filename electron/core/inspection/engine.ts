import { inspect } from '../../../shared/inspection/inspect';
import { NodeCryptoProvider } from '../crypto/node-crypto-provider';
import type { InspectEngine } from './inspect-runner';

/** The verification engine bound to the node:crypto provider. */
export function createInspectEngine(): InspectEngine {
  const crypto = new NodeCryptoProvider();
  return (input, options) => inspect(input, options, crypto);
}

/**
 * The parsed model must not alias `signedJson`: a caller that sorts `role.keyids` in place (an
 * easy thing to do when comparing key sets) would otherwise change the bytes every signature is
 * verified over. This once made a rotate-root e2e fail whenever the new root listed its keyids
 * out of code-point order.
 */
import { describe, expect, it } from 'vitest';

import { canonicalize, parseMetadata } from '../../../../shared/tuf';
import { signedMessage } from '../../../../shared/tuf/verify-role';

const KEYS = {
  aa: { keytype: 'ed25519', scheme: 'ed25519', keyval: { public: '00'.repeat(32) } },
  bb: { keytype: 'ed25519', scheme: 'ed25519', keyval: { public: '11'.repeat(32) } },
};
const ROLE = { keyids: ['bb', 'aa'], threshold: 1 };

describe('parsed model vs signedJson', () => {
  it('sorting a role’s keyids leaves the signed bytes unchanged', () => {
    const signed = {
      _type: 'root',
      consistent_snapshot: true,
      expires: '2030-01-01T00:00:00Z',
      keys: KEYS,
      roles: { root: ROLE, targets: ROLE, snapshot: ROLE, timestamp: ROLE },
      spec_version: '1.0.31',
      version: 1,
    };
    // PEM-like escapes force the canonicalising path of signedMessage (the file is not canonical).
    const bytes = new TextEncoder().encode(JSON.stringify({ signatures: [], signed: { ...signed, x: 'a\nb' } }, null, 1));
    const envelope = parseMetadata(bytes, { dialect: 'tuf-1.0', expectedType: 'root' });
    const before = canonicalize(envelope.signedJson);
    envelope.signed.roles.get('root')!.keyids.sort();
    expect(envelope.signed.roles.get('root')!.keyids).toEqual(['aa', 'bb']);
    expect(Buffer.from(signedMessage(envelope))).toEqual(Buffer.from(before));
    expect(JSON.stringify((envelope.signedJson['roles'] as Record<string, { keyids: string[] }>)['root']!.keyids)).toBe('["bb","aa"]');
  });
});

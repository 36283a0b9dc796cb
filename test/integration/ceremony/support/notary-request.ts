/**
 * A request for a new Notary GUN (no metadata yet) as `keyrite pull` would write it: only the
 * server's timestamp key (a fresh P-256 key; no server is needed because nothing is fetched) and a
 * pull a minute old, so the ceremony's clock checks pass.
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';

import type { RepoState } from '../../../../shared/ceremony/types';

export function newNotaryGunRequest(gun: string): RepoState {
  const ts = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ type: 'spki', format: 'der' }).toString('base64');
  return {
    dialect: 'notary-v1',
    name: gun,
    source: { kind: 'notary-server', url: 'http://127.0.0.1:4443', gun },
    files: {},
    rootHistory: [],
    serverKeys: { timestamp: { keytype: 'ecdsa', keyval: { private: null, public: ts } } },
    createdAt: new Date(Date.now() - 60_000).toISOString(),
    nonce: randomBytes(16).toString('hex'),
  };
}

/**
 * The parsed model must not alias `signedJson`: a caller that sorts `role.keyids` in place (an
 * easy thing to do when comparing key sets) would otherwise change the bytes every signature is
 * verified over. This once made a rotate-root e2e fail whenever the new root listed its keyids
 * out of code-point order.
 */
import { describe, expect, it } from 'vitest';

import { loadRepoState } from '../../../../shared/ceremony/state';
import { canonicalize, parseMetadata } from '../../../../shared/tuf';
import { signedMessage } from '../../../../shared/tuf/verify-role';
import { emptyState, env, makeKey } from '../../ceremony/helpers';

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

/**
 * The audit that followed (robustness, session 3): every other array or object the parsed model
 * exposes — key objects, keyid_hash_algorithms, delegated roles' keyids/paths/path_hash_prefixes,
 * delegation keys, target hashes and custom data, unrecognized fields — is a copy as well, and a
 * ceremony's LoadedState cannot be edited in place.
 */
const PEMISH = 'a\nb';

function parseTuf(signed: Record<string, unknown>, expectedType: 'root' | 'targets' | 'snapshot'): ReturnType<typeof parseMetadata> {
  // Not canonical (newline escape, indentation): signedMessage canonicalises signedJson, the risky path.
  const bytes = new TextEncoder().encode(JSON.stringify({ signatures: [], signed: { ...signed, x: PEMISH } }, null, 1));
  return parseMetadata(bytes, { dialect: 'tuf-1.0', expectedType });
}

function unchangedAfter(envelope: ReturnType<typeof parseMetadata>, mutate: () => void): void {
  const json = JSON.stringify(envelope.signedJson);
  const before = Buffer.from(canonicalize(envelope.signedJson));
  mutate();
  expect(JSON.stringify(envelope.signedJson)).toBe(json);
  expect(Buffer.from(signedMessage(envelope))).toEqual(before);
}

const HASH = 'ab'.repeat(32);

describe('parsed model vs signedJson: the rest of the model', () => {
  it('root key objects and keyid_hash_algorithms are copies', () => {
    const keys = { aa: { ...KEYS.aa, keyid_hash_algorithms: ['sha256', 'sha512'] }, bb: KEYS.bb };
    const envelope = parseTuf(
      { _type: 'root', consistent_snapshot: true, expires: '2030-01-01T00:00:00Z', keys, roles: { root: ROLE, targets: ROLE, snapshot: ROLE, timestamp: ROLE }, spec_version: '1.0.31', version: 1 },
      'root',
    );
    if (envelope.signed.type !== 'root') throw new Error('not root');
    const key = envelope.signed.keys.get('aa')!;
    unchangedAfter(envelope, () => {
      (key.raw['keyval'] as Record<string, string>)['public'] = 'ff'.repeat(32);
      key.raw['extra'] = 1;
      key.keyidHashAlgorithms!.reverse();
    });
  });

  it('delegated roles (keyids, paths, path_hash_prefixes) and delegation keys are copies', () => {
    const envelope = parseTuf(
      {
        _type: 'targets',
        expires: '2030-01-01T00:00:00Z',
        spec_version: '1.0.31',
        version: 1,
        targets: {},
        delegations: {
          keys: KEYS,
          roles: [
            { name: 'a', keyids: ['bb', 'aa'], threshold: 1, paths: ['z/*', 'a/*'], terminating: false },
            { name: 'b', keyids: ['aa'], threshold: 1, path_hash_prefixes: ['ff', '00'], terminating: true },
          ],
        },
      },
      'targets',
    );
    if (envelope.signed.type !== 'targets' || !envelope.signed.delegations) throw new Error('no delegations');
    const [a, b] = envelope.signed.delegations.roles;
    unchangedAfter(envelope, () => {
      a!.keyids.sort();
      a!.paths!.sort();
      b!.pathHashPrefixes!.sort();
      (envelope.signed.type === 'targets' ? envelope.signed.delegations!.keys.get('aa')!.raw : {})['keytype'] = 'rsa';
    });
  });

  it('target hashes (fast and slow parse paths), custom data and unrecognized fields are copies', () => {
    const envelope = parseTuf(
      {
        _type: 'targets',
        expires: '2030-01-01T00:00:00Z',
        spec_version: '1.0.31',
        version: 1,
        targets: {
          fast: { length: 1, hashes: { sha256: HASH }, custom: { tags: ['v1'] } },
          // An unrecognized field sends the entry down the precise (slow) path.
          slow: { length: 2, hashes: { sha256: HASH }, custom: { tags: ['v2'] }, extra: { list: [1] } },
        },
        unknown_top: { nested: ['x'] },
      },
      'targets',
    );
    if (envelope.signed.type !== 'targets') throw new Error('not targets');
    const { targets, unrecognized } = envelope.signed;
    unchangedAfter(envelope, () => {
      for (const name of ['fast', 'slow']) {
        const t = targets.get(name)!;
        // The model's types say read-only; a careless (or cast) caller must still not reach the file.
        (t.hashes as Record<string, string>)['sha256'] = '00'.repeat(32);
        (t.hashesHex as Record<string, string>)['sha512'] = '11'.repeat(64);
        ((t.custom as Record<string, string[]>)['tags'] as string[]).push('evil');
      }
      ((targets.get('slow')!.unrecognized['extra'] as Record<string, number[]>)['list'] as number[]).push(2);
      ((unrecognized['unknown_top'] as Record<string, string[]>)['nested'] as string[]).push('y');
    });
  });

  it('snapshot meta hashes are copies', () => {
    const envelope = parseTuf(
      { _type: 'snapshot', expires: '2030-01-01T00:00:00Z', spec_version: '1.0.31', version: 1, meta: { 'targets.json': { version: 1, length: 5, hashes: { sha256: HASH } } } },
      'snapshot',
    );
    if (envelope.signed.type !== 'snapshot') throw new Error('not snapshot');
    const meta = envelope.signed.meta.get('targets.json')!;
    unchangedAfter(envelope, () => {
      (meta.hashes as Record<string, string>)['sha256'] = '00'.repeat(32);
      (meta.hashesHex as Record<string, string>)['sha256'] = '00'.repeat(32);
    });
  });
});

describe('ceremony LoadedState vs the files it parsed', () => {
  it('gives keys their own key objects and refuses in-place edits of the signed bodies', async () => {
    const root = await makeKey('tuf-1.0', 'ed25519');
    const keyid = root.key.keyid;
    const signed = {
      _type: 'root',
      consistent_snapshot: true,
      expires: '2030-01-01T00:00:00Z',
      keys: { [keyid]: root.key.keyObject },
      roles: { root: { keyids: [keyid], threshold: 1 }, targets: { keyids: [keyid], threshold: 1 }, snapshot: { keyids: [keyid], threshold: 1 }, timestamp: { keyids: [keyid], threshold: 1 } },
      spec_version: '1.0.31',
      version: 1,
    };
    const bytes = new TextEncoder().encode(JSON.stringify({ signatures: [], signed }, null, 1));
    const state = { ...emptyState('tuf-1.0'), files: { root: Buffer.from(bytes).toString('base64') } };
    const loaded = loadRepoState(state, env);
    const envelope = loaded.envelopes.get('root')!;
    const message = Buffer.from(signedMessage(envelope));
    const key = loaded.keys.get(keyid)!;
    expect(key.keyObject).not.toBe((envelope.signedJson['keys'] as Record<string, unknown>)[keyid]);
    key.keyObject['keytype'] = 'changed';
    const body = loaded.signed.get('root') as Record<string, unknown>;
    expect(() => {
      body['version'] = 2;
    }).toThrow(TypeError);
    expect(() => ((body['roles'] as Record<string, { keyids: string[] }>)['root']!.keyids).push('other')).toThrow(TypeError);
    expect(Buffer.from(signedMessage(envelope))).toEqual(message);
    expect(canonicalize(envelope.signedJson)).toEqual(canonicalize(signed));
  });
});

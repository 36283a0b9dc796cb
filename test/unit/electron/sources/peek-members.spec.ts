import { describe, expect, it } from 'vitest';

import { delegatedRoleNames, memberRange } from '../../../../electron/core/sources/peek-members';

const enc = (s: string) => new TextEncoder().encode(s);
const text = (b: Uint8Array, r: { start: number; end: number } | null) => (r === null ? null : new TextDecoder().decode(b.subarray(r.start, r.end)));

describe('delegatedRoleNames (loader discovery without a full parse)', () => {
  it('finds delegation names in canonical and non-canonical member orders', () => {
    const delegations = { keys: {}, roles: [{ name: 'a' }, { name: 'b/c' }, { nope: 1 }] };
    const targets = { 'x "quoted" \\ path': { length: 1, hashes: { sha256: '00' } }, 'y}': { length: 2, hashes: {} } };
    const canonical = JSON.stringify({ signatures: [{ keyid: 'k', sig: 's' }], signed: { _type: 'targets', delegations, targets } });
    const late = JSON.stringify({ signed: { targets, version: 1, delegations }, signatures: [] }, null, 2);
    expect(delegatedRoleNames(enc(canonical))).toEqual(['a', 'b/c']);
    expect(delegatedRoleNames(enc(late))).toEqual(['a', 'b/c']);
  });

  it('returns nothing for files without delegations, or that are not JSON', () => {
    expect(delegatedRoleNames(enc('{"signed":{"targets":{}},"signatures":[]}'))).toEqual([]);
    expect(delegatedRoleNames(enc('{"signed":{}}'))).toEqual([]);
    expect(delegatedRoleNames(enc('not json'))).toEqual([]);
    expect(delegatedRoleNames(enc('{"signed":{"delegations":{"roles":[{"name":"a"}'))).toEqual([]);
    expect(delegatedRoleNames(null)).toEqual([]);
  });

  it('falls back to a full parse for escaped keys, as JSON.parse reads them', () => {
    const escaped = '{"sign\\u0065d":{"delegations":{"roles":[{"name":"z"}]}}}';
    expect(delegatedRoleNames(enc(escaped))).toEqual(['z']);
  });

  it('reports member byte ranges of nested values', () => {
    const b = enc('{ "a" : [1, {"b": "}"}] , "c":-12 ,"d":{"e":true}}');
    expect(text(b, memberRange(b, { start: 0, end: b.length }, 'a'))).toBe('[1, {"b": "}"}]');
    expect(text(b, memberRange(b, { start: 0, end: b.length }, 'c'))).toBe('-12');
    expect(text(b, memberRange(b, { start: 0, end: b.length }, 'd'))).toBe('{"e":true}');
    expect(memberRange(b, { start: 0, end: b.length }, 'x')).toBeNull();
  });
});

describe('delegatedRoleNames shortcut', () => {
  it('still finds an escaped "delegations" key when the literal is absent', () => {
    const escaped = '{"signed":{"\\u0064elegations":{"roles":[{"name":"hidden"}]},"targets":{}}}';
    expect(delegatedRoleNames(enc(escaped))).toEqual(['hidden']);
    expect(delegatedRoleNames(enc('{"signed":{"targets":{"a":{"length":1}}},"signatures":[]}'))).toEqual([]);
  });
});

describe('delegatedRoleNames role walk', () => {
  const wrap = (delegations: unknown) => enc(JSON.stringify({ signatures: [], signed: { _type: 'targets', delegations, targets: {} } }));

  it('reads names as JSON.parse does, escapes included, and skips roles that name nothing', () => {
    const roles = [{ name: 'a"b' }, { name: 'tab\there' }, 7, null, ['x'], { name: 3 }, { keyids: ['k'], name: 'bins/0' }, {}];
    expect(delegatedRoleNames(wrap({ keys: {}, roles }))).toEqual(['a"b', 'tab\there', 'bins/0']);
    expect(delegatedRoleNames(enc('{"signed":{"delegations":{"roles":[{"name":"\\u0062ins/1"}]}}}'))).toEqual(['bins/1']);
    expect(delegatedRoleNames(wrap({ keys: {}, roles: [] }))).toEqual([]);
    expect(delegatedRoleNames(wrap({ keys: {}, roles: 'none' }))).toEqual([]);
    expect(delegatedRoleNames(wrap({ keys: {} }))).toEqual([]);
  });

  it('lists the 16,384 bins of a PEP 458 delegation in order', () => {
    const roles = Array.from({ length: 16_384 }, (_, i) => {
      const prefix = i.toString(16).padStart(4, '0');
      return { keyids: ['ab'.repeat(32)], name: `bins/${prefix}`, path_hash_prefixes: [prefix], terminating: false, threshold: 1 };
    });
    expect(delegatedRoleNames(wrap({ keys: { ['ab'.repeat(32)]: { keytype: 'ed25519' } }, roles }))).toEqual(roles.map((r) => r.name));
  });
});

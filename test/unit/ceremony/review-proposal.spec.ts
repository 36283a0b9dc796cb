/**
 * Review findings F1 / F2 / F2a on the pure engine: an imported proposal is recomputed from the
 * request and its role bodies (reviewProposal), the request is anchored to the pinned trusted root,
 * first use is a visible warning, and keys unknown to this workstation are named.
 */
import { Metadata, MetadataKind, type Root } from '@tufjs/models';
import { describe, expect, it } from 'vitest';

import {
  assertReviewed,
  blockingFailures,
  finalize,
  keyTrustChecks,
  ProposalReviewError,
  propose,
  reviewProposal,
  signingTasks,
  verifyIncomingSignature,
  type Proposal,
  type RepoState,
} from '../../../shared/ceremony';
import { payloadSha256 } from '../../../shared/ceremony/envelope';
import { fromBase64 } from '../../../shared/tuf/encoding';
import { notarySnapshotStep, withNotarySnapshotStep } from '../../../shared/ceremony/notary-snapshot';
import { emptyState, env, GUN, knownOf, makeKey, makeNotaryRootKey, publish, signWith, type TestKey } from './helpers';

async function tufRepo(rootKeys: TestKey[], threshold: number, signers: TestKey[] = rootKeys): Promise<{ state: RepoState; tk: TestKey }> {
  const tk = await makeKey('tuf-1.0', 'ed25519');
  const online = { snapshot: await makeKey('tuf-1.0', 'ed25519'), timestamp: await makeKey('tuf-1.0', 'ed25519') };
  const init = propose(emptyState('tuf-1.0'), { kind: 'init', rootKeys: rootKeys.map((k) => k.key), rootThreshold: threshold, targetsKeys: [tk.key], snapshotKeys: [online.snapshot.key], timestampKeys: [online.timestamp.key] }, env);
  return { state: publish(emptyState('tuf-1.0'), init, signWith(init, [...signers, tk]), online), tk };
}

const blockingCodes = (p: Proposal): string[] => blockingFailures(p.checks).map((c) => c.code);

describe('reviewProposal: an imported proposal is recomputed here (F1)', () => {
  it('the probe: checks emptied, expiry 2099, old-root requirement dropped → refused as PROPOSAL_REQUIREMENTS_WEAKER, local checks show EXPIRY_BEYOND_POLICY', async () => {
    const a = await makeKey('tuf-1.0');
    const b = await makeKey('tuf-1.0');
    const { state } = await tufRepo([a, b], 2);
    const honest = propose(state, { kind: 'rotate-root', remove: [b.key.keyid], threshold: 1 }, env);
    const forged = structuredClone(honest);
    const rp = forged.roles[0]!;
    rp.signed['expires'] = '2099-01-01T00:00:00Z';
    rp.expires = '2099-01-01T00:00:00Z';
    rp.payloadSha256 = payloadSha256(rp.signed, env.crypto);
    rp.requirements = [rp.requirements.at(-1)!];
    forged.checks = [];
    // Before the fix the engine signed and finalized this (root v2 with 1 signature while v1 needs 2).
    expect(signingTasks(forged, a.key.keyid, []).map((t) => t.role)).toContain('root');

    const reviewed = reviewProposal(state, forged, env);
    expect(reviewed.problems.map((p) => p.code)).toEqual(['PROPOSAL_REQUIREMENTS_WEAKER']);
    expect(reviewed.problems[0]!.message).toMatch(/root v1 \(current\) \(2 of 2 keys\)/);
    expect(() => assertReviewed(reviewed, 'forged.bundle')).toThrow(ProposalReviewError);
    try {
      assertReviewed(reviewed, 'forged.bundle');
    } catch (e) {
      expect((e as ProposalReviewError).code).toBe('PROPOSAL_REQUIREMENTS_WEAKER');
    }
    // The local proposal: old AND new root requirements again, the expiry rule back, signing refused.
    const local = reviewed.proposal;
    expect(local.roles[0]!.requirements.map((r) => `${r.label}:${r.threshold}`)).toEqual(['root v1 (current):2', 'root v2 (new):1']);
    expect(blockingCodes(local)).toContain('EXPIRY_BEYOND_POLICY');
    expect(() => signingTasks(local, a.key.keyid, [])).toThrow(/EXPIRY_BEYOND_POLICY/);
    expect(() => finalize(local, signWith(local, [a]).map((s) => verifyIncomingSignature(local, s, env)), env)).toThrow(/EXPIRY_BEYOND_POLICY|RULES_FAILED|blocking/);
  });

  it('emptied checks alone (requirements intact) pass the import but the local checks block signing', async () => {
    const a = await makeKey('tuf-1.0');
    const { state } = await tufRepo([a], 1);
    const honest = propose(state, { kind: 'rotate-root', threshold: 1, expires: { root: '2099-01-01T00:00:00Z' } }, env);
    expect(blockingCodes(honest)).toContain('EXPIRY_BEYOND_POLICY');
    const forged = { ...structuredClone(honest), checks: [] };
    const reviewed = reviewProposal(state, forged, env);
    expect(reviewed.problems).toEqual([]);
    expect(blockingCodes(reviewed.proposal)).toContain('EXPIRY_BEYOND_POLICY');
  });

  it('an honest proposal reviews to the same roles, requirements, diff and failing checks', async () => {
    const a = await makeKey('tuf-1.0', 'ecdsa-p256', 'officer A', '1001');
    const n = await makeKey('tuf-1.0', 'ecdsa-p256', 'officer N', '1002');
    const { state } = await tufRepo([a], 1);
    const honest = propose(state, { kind: 'rotate-root', add: [n.key], threshold: 2 }, env, knownOf([a, n]));
    const reviewed = reviewProposal(state, structuredClone(honest), env, knownOf([a, n]));
    expect(reviewed.problems).toEqual([]);
    expect(reviewed.proposal.roles.map((r) => [r.role, r.payloadSha256, r.requirements])).toEqual(honest.roles.map((r) => [r.role, r.payloadSha256, r.requirements]));
    expect(reviewed.proposal.diff.map((d) => d.summary)).toEqual(honest.diff.map((d) => d.summary));
    expect(blockingCodes(reviewed.proposal)).toEqual(blockingCodes(honest));
  });

  it('names body tampering, version/expiry lies, role type and signing-mode lies precisely', async () => {
    const a = await makeKey('tuf-1.0');
    const { state } = await tufRepo([a], 1);
    const honest = propose(state, { kind: 'rotate-root', threshold: 1 }, env);
    const tampered = structuredClone(honest);
    tampered.roles[0]!.signed['expires'] = '2027-01-01T00:00:00Z'; // digest not recomputed
    expect(reviewProposal(state, tampered, env).problems.map((p) => p.code)).toContain('PROPOSAL_TAMPERED');
    const lies = structuredClone(honest);
    lies.roles[0]!.version = 9;
    expect(reviewProposal(state, lies, env).problems.map((p) => p.code)).toContain('PROPOSAL_BODY_MISMATCH');
    const online = structuredClone(honest);
    online.roles[0]!.signing = 'online';
    expect(reviewProposal(state, online, env).problems.map((p) => p.code)).toEqual(['PROPOSAL_SIGNING_MODE']);
    const otherRequest = structuredClone(honest);
    otherRequest.basis.nonce = 'ff'.repeat(16);
    expect(reviewProposal(state, otherRequest, env).problems.map((p) => p.code)).toContain('PROPOSAL_BASIS_MISMATCH');
  });

  it('keys come from the bodies: a bundle key entry with another public key under a real keyid is ignored', async () => {
    const a = await makeKey('tuf-1.0');
    const x = await makeKey('tuf-1.0');
    const { state } = await tufRepo([a], 1);
    const honest = propose(state, { kind: 'rotate-root', threshold: 1 }, env);
    const forged = structuredClone(honest);
    forged.keys = forged.keys.map((k) => (k.keyid === a.key.keyid ? { ...x.key, keyid: a.key.keyid } : k));
    const local = reviewProposal(state, forged, env).proposal;
    // x signs, claiming to be a: the recomputed key list makes it fail verification.
    const sig = signWith(forged, [{ ...x, key: { ...x.key, keyid: a.key.keyid } }])[0]!;
    expect(() => verifyIncomingSignature(forged, sig, env)).not.toThrow();
    expect(() => verifyIncomingSignature(local, sig, env)).toThrow(/does not verify/);
  });
});

describe('request anchored to the trusted root; first use and unknown keys are visible (F2, F2a)', () => {
  it('the probe: a forged history with an attacker key is REQUEST_UNTRUSTED against the pinned real root; without a pin it warns and names the attacker key', async () => {
    const a = await makeKey('tuf-1.0', 'ecdsa-p256', 'officer A', '1001');
    const x = await makeKey('tuf-1.0', 'ecdsa-p256');
    const real = await tufRepo([a], 1);
    const forged = await tufRepo([a, x], 1, [x]);
    const n = await makeKey('tuf-1.0', 'ecdsa-p256', 'officer N', '1002');
    const pinned = fromBase64(real.state.rootHistory[0]!)!;
    const known = knownOf([a, n]);

    const anchored = propose(forged.state, { kind: 'rotate-root', add: [n.key], threshold: 1 }, { ...env, trustedRoot: pinned }, known);
    expect(blockingCodes(anchored)).toContain('REQUEST_UNTRUSTED');
    expect(() => signingTasks(anchored, a.key.keyid, [])).toThrow(/REQUEST_UNTRUSTED/);

    const unpinned = propose(forged.state, { kind: 'rotate-root', add: [n.key], threshold: 1 }, env, known);
    const firstUse = unpinned.checks.find((c) => c.code === 'REQUEST_FIRST_USE');
    expect(firstUse).toMatchObject({ severity: 'warning', passed: false });
    expect(firstUse!.message).toContain(x.key.keyid.slice(0, 8));
    expect(firstUse!.message).toMatch(/sha256 [0-9a-f]{64}/);
    const unknown = keyTrustChecks(forged.state, unpinned.roles, unpinned.keys, env, known).filter((c) => c.code === 'KEY_UNKNOWN_HERE');
    expect(unknown.map((c) => c.message).join('\n')).toContain(x.key.keyid.slice(0, 8));
    expect(unknown.some((c) => c.message.includes(a.key.keyid.slice(0, 8)))).toBe(false);
    const listing = keyTrustChecks(forged.state, unpinned.roles, unpinned.keys, env, known).find((c) => c.code === 'ROLE_KEYS');
    expect(listing!.message).toMatch(/UNKNOWN to this workstation/);

    // What the attack would have achieved: the real root v1 accepts the new root that keeps x.
    const files = finalize(unpinned, signWith(unpinned, [a, n]), env).files;
    const md = (bytes: Uint8Array): Metadata<Root> => Metadata.fromJSON(MetadataKind.Root, JSON.parse(new TextDecoder().decode(bytes)) as Parameters<typeof Metadata.fromJSON>[1]);
    expect(() => md(pinned).verifyDelegate('root', md(files['root']!))).not.toThrow();
    expect(md(files['root']!).signed.roles['root']!.keyIDs).toContain(x.key.keyid);
  });

  it('the honest chain extends the pinned root (old AND new thresholds): no first-use warning, request verified', async () => {
    const a = await makeKey('tuf-1.0');
    const b = await makeKey('tuf-1.0');
    const { state } = await tufRepo([a], 1);
    const pinned = fromBase64(state.rootHistory[0]!)!;
    const rotate = propose(state, { kind: 'rotate-root', add: [b.key], threshold: 2 }, { ...env, trustedRoot: pinned });
    expect(rotate.checks.find((c) => c.code === 'REQUEST_FIRST_USE')).toBeUndefined();
    expect(rotate.checks.find((c) => c.code === 'REQUEST_UNTRUSTED')).toMatchObject({ passed: true });
    const online = { snapshot: await makeKey('tuf-1.0', 'ed25519'), timestamp: await makeKey('tuf-1.0', 'ed25519') };
    const v2 = publish(state, rotate, signWith(rotate, [a, b]), online);
    const next = propose(v2, { kind: 'rotate-root', threshold: 2 }, { ...env, trustedRoot: pinned });
    expect(blockingCodes(next)).not.toContain('REQUEST_UNTRUSTED');
    // v2 signed by a only (v1's threshold met, v2's own 2-of-2 not): the chain from the pin breaks at v2.
    const signedOnlyBy = (keyid: string): RepoState => {
      const v2json = JSON.parse(new TextDecoder().decode(fromBase64(v2.rootHistory[1]!)!)) as { signatures: { keyid: string }[] };
      v2json.signatures = v2json.signatures.filter((s) => s.keyid === keyid);
      const b64 = Buffer.from(JSON.stringify(v2json)).toString('base64');
      return { ...v2, rootHistory: [v2.rootHistory[0]!, b64], files: { ...v2.files, root: b64 } };
    };
    const pinnedEnv = { ...env, trustedRoot: pinned };
    // Signed by a only: v1's threshold is met, v2's own 2-of-2 is not. By b only: v1's is not.
    expect(blockingCodes(propose(signedOnlyBy(a.key.keyid), { kind: 'rotate-root', threshold: 2 }, pinnedEnv))).toContain('REQUEST_UNTRUSTED');
    expect(blockingCodes(propose(signedOnlyBy(b.key.keyid), { kind: 'rotate-root', threshold: 2 }, pinnedEnv))).toContain('REQUEST_UNTRUSTED');
  });

  it('the trusted role versions travel with the pin: a request whose targets is below the trusted version is a rollback (REQUEST_UNTRUSTED)', async () => {
    const a = await makeKey('tuf-1.0');
    const { state } = await tufRepo([a], 1);
    const pinned = { ...env, trustedRoot: fromBase64(state.rootHistory[0]!)! };
    expect(blockingCodes(propose(state, { kind: 'refresh', roles: ['targets'] }, { ...pinned, trustedVersions: { root: 1, targets: 1 } }))).not.toContain('REQUEST_UNTRUSTED');
    const rolledBack = propose(state, { kind: 'refresh', roles: ['targets'] }, { ...pinned, trustedVersions: { root: 1, targets: 4 } });
    expect(rolledBack.checks.filter((c) => c.code === 'REQUEST_UNTRUSTED' && !c.passed).map((c) => c.message).join('\n')).toMatch(/ROLLBACK: targets is version 1, lower than the trusted version 4/);
  });

  it('a "new repository" request while a root is trusted: REQUEST_REINIT warning', async () => {
    const a = await makeKey('tuf-1.0');
    const tk = await makeKey('tuf-1.0');
    const { state } = await tufRepo([a], 1);
    const init = propose(emptyState('tuf-1.0'), { kind: 'init', rootKeys: [a.key], rootThreshold: 1, targetsKeys: [tk.key], snapshotKeys: [tk.key], timestampKeys: [tk.key] }, { ...env, trustedRoot: fromBase64(state.rootHistory[0]!)! });
    expect(init.checks.find((c) => c.code === 'REQUEST_REINIT')).toMatchObject({ severity: 'warning', passed: false });
  });
});

describe('reviewProposal: a Notary partial bundle with the offline snapshot step (sec-notary F6)', () => {
  it('the snapshot is recomputed over the files the bundle signatures finalize; a snapshot listing other bytes is PROPOSAL_BODY_INCONSISTENT', async () => {
    const tsKey = await makeKey('notary-v1');
    const snap = await makeKey('notary-v1', 'ecdsa-p256', 'Snapshot key');
    const root = await makeNotaryRootKey(GUN);
    const tk = await makeKey('notary-v1');
    const state: RepoState = emptyState('notary-v1', { timestamp: tsKey.key.keyObject });
    const init = propose(state, { kind: 'init', rootKeys: [root.key], rootThreshold: 1, targetsKeys: [tk.key], snapshotKeys: [snap.key] }, env);
    const sigs = signWith(init, [root, tk]);
    const step = notarySnapshotStep(state, init, finalize(init, sigs, env).files, env)!;
    const combined = withNotarySnapshotStep(init, step);

    const honest = reviewProposal(state, structuredClone(combined), env, [], sigs);
    expect(honest.problems).toEqual([]);
    expect(honest.proposal.roles.map((r) => `${r.role}:${r.signing}`)).toEqual(['root:offline', 'targets:offline', 'snapshot:offline']);
    expect(blockingCodes(honest.proposal)).toEqual([]);

    const forged = structuredClone(combined);
    const snapRole = forged.roles.find((r) => r.role === 'snapshot')!;
    (snapRole.signed['meta'] as Record<string, { length: number }>)['targets']!.length += 1;
    snapRole.payloadSha256 = payloadSha256(snapRole.signed, env.crypto);
    expect(reviewProposal(state, forged, env, [], sigs).problems.map((p) => p.code)).toEqual(['PROPOSAL_BODY_INCONSISTENT']);
  });
});

/**
 * CeremonyView (engine) → the plain, strict views the GUI shows (shared/ipc/ceremony.ts). Keys are
 * named by holder and token serial wherever a keyid appears, because people read those.
 */
import type { z } from 'zod';

import { keyIdentity, signingTasks, type KnownKey } from '../../../shared/ceremony';
import type { CeremonyKey, CollectedSignature, Proposal, RuleCheck } from '../../../shared/ceremony/types';
import type { CeremonyDetail, CeremonyKeyView, CeremonySummary, PendingSigner } from '../../../shared/ipc/ceremony';
import type { CryptoProvider } from '../../../shared/tuf/crypto';
import type { CeremonyView } from '../ceremonies';

type KeyView = z.infer<typeof CeremonyKeyView>;
type Pending = z.infer<typeof PendingSigner>;

export function summaryOf(view: CeremonyView): CeremonySummary {
  return {
    id: view.id,
    kind: view.kind,
    dialect: view.dialect,
    repository: view.repository,
    phase: view.phase,
    createdAt: view.createdAt,
    complete: view.progress?.complete === true,
    journalHead: view.journalHead,
    journalWords: view.journalWords,
    journalEntries: view.journalEntries,
  };
}

export function keyView(key: CeremonyKey): KeyView {
  return {
    keyid: key.keyid,
    algorithm: key.algorithm,
    holder: key.holder ?? null,
    tokenSerial: key.tokenSerial ?? (key.signer.kind === 'token' ? key.signer.tokenSerial : null),
    label: key.label ?? null,
    where: key.signer.kind,
  };
}

const checkView = (c: RuleCheck) => ({ code: c.code, severity: c.severity, passed: c.passed, message: c.message, role: c.role ?? null });
const signatureView = (s: CollectedSignature) => ({ role: s.role, version: s.version, keyid: s.keyid, signerLabel: s.signerLabel, verifiedAt: s.verifiedAt });

export function detailOf(view: CeremonyView, crypto: CryptoProvider, known: readonly KnownKey[]): CeremonyDetail {
  const proposal = view.proposal;
  const keys = proposal ? proposal.keys.map((k) => localKey(k, crypto, known)) : [];
  const named = (keyid: string) => {
    const key = keys.find((k) => k.keyid === keyid);
    return { keyid, holder: key?.holder ?? null, tokenSerial: key?.tokenSerial ?? (key?.signer.kind === 'token' ? key.signer.tokenSerial : null) };
  };
  const roles = (proposal?.roles ?? []).map((rp, i) => {
    const prog = view.progress?.roles[i];
    return {
      role: rp.role,
      version: rp.version,
      expires: rp.expires,
      signing: rp.signing,
      payloadSha256: rp.payloadSha256,
      complete: prog?.complete ?? false,
      requirements: (prog?.requirements ?? []).map((r) => ({
        label: r.label,
        threshold: r.threshold,
        valid: r.valid,
        met: r.met,
        signedBy: r.signedBy.map(named),
        missing: r.missing.map((m) => ({ keyid: m.keyid, holder: m.holder ?? named(m.keyid).holder, tokenSerial: m.tokenSerial ?? named(m.keyid).tokenSerial })),
      })),
    };
  });
  return {
    summary: summaryOf(view),
    confirmed: view.confirmed,
    aborted: view.aborted,
    basisRootVersion: proposal?.basis.rootVersion ?? null,
    keys: keys.map(keyView),
    diff: (proposal?.diff ?? []).map((d) => ({ role: d.role, kind: d.kind, summary: d.summary, before: d.before ?? null, after: d.after ?? null })),
    checks: (proposal?.checks ?? []).map(checkView),
    blocking: view.blocking.map(checkView),
    roles,
    pendingSigners: proposal && view.phase !== 'aborted' && view.finalizedRoles.length === 0 ? pendingSigners(proposal, keys, view.signatures) : [],
    signatures: view.signatures.map(signatureView),
    finalizedRoles: view.finalizedRoles,
    exported: view.exported.map((e) => ({ path: e.path, sha256: e.sha256, kind: e.kind })),
    pendingIntents: view.pending.signIntents.length,
  };
}

export { signatureView };

/** A proposal from another workstation names our keys as external: find them here by public key. */
export function localKey(proposed: CeremonyKey, crypto: CryptoProvider, known: readonly KnownKey[]): CeremonyKey {
  if (proposed.signer.kind !== 'external') return proposed;
  const identity = keyIdentity(proposed, crypto);
  const here = known.find((k) => k.spkiSha256 === identity && k.signer.kind !== 'external');
  if (!here) return proposed;
  return {
    ...proposed,
    signer: here.signer,
    ...(here.holder ? { holder: here.holder } : {}),
    ...(here.tokenSerial ? { tokenSerial: here.tokenSerial } : {}),
  };
}

/** Tokens and key files here that still have a needed signature to add, grouped per token. */
function pendingSigners(proposal: Proposal, keys: readonly CeremonyKey[], signatures: readonly CollectedSignature[]): Pending[] {
  const out = new Map<string, Pending>();
  for (const key of keys) {
    if (key.signer.kind === 'external') continue;
    let tasks;
    try {
      tasks = signingTasks(proposal, key.keyid, signatures).filter((t) => t.needed);
    } catch {
      // A blocking rule failure: nothing may be signed, so nobody is pending (the review says why).
      return [];
    }
    if (tasks.length === 0) continue;
    const group = key.signer.kind === 'token' ? `token:${key.signer.tokenSerial}` : `file:${key.signer.keyId}`;
    const entry = out.get(group) ?? {
      where: key.signer.kind,
      tokenSerial: key.signer.kind === 'token' ? key.signer.tokenSerial : null,
      keyFileId: key.signer.kind === 'file' ? key.signer.keyId : null,
      holder: key.holder ?? null,
      keyids: [],
      tasks: [],
    };
    if (!entry.keyids.includes(key.keyid)) entry.keyids.push(key.keyid);
    for (const t of tasks) {
      const label = `${t.role} v${t.version}`;
      if (!entry.tasks.includes(label)) entry.tasks.push(label);
    }
    out.set(group, entry);
  }
  return [...out.values()];
}

import { computeKeyId, notaryCanonicalKeyId } from '../tuf/keys';
import type { Key, Root } from '../tuf/model';
import type { InspectContext, KeyRecord } from './context';
import { checkDelegationCertificate, checkRootCertificate, short } from './notary-certs';
import type { KeyView } from './report';

/** Record every key of the root, with the top-level roles that use it; UNUSED_KEY for the rest. */
export function collectRootKeys(ctx: InspectContext, root: Root): void {
  if (root.keys.size > ctx.limits.maxKeysPerFile) {
    ctx.findings.error('LIMIT_EXCEEDED', `root declares ${root.keys.size} keys, above the cap of ${ctx.limits.maxKeysPerFile}.`, { role: 'root' });
  }
  const overCap = root.keys.size > ctx.limits.maxKeysPerFile;
  for (const [keyid, key] of root.keys) {
    const roles = new Set<string>();
    for (const [name, role] of root.roles) if (role.keyids.includes(keyid)) roles.add(name);
    // Past the cap only the keys roles actually use are examined (bounded key imports).
    if (overCap && roles.size === 0) continue;
    ctx.keys.set(keyid, { key, roles, declaredIn: 'root', info: null });
    if (roles.size === 0) ctx.findings.warning('UNUSED_KEY', `root lists key ${short(keyid)}, but no role uses it.`, { role: 'root', keyid });
  }
  for (const [name, role] of root.roles) {
    const distinct = new Set(role.keyids);
    if (distinct.size !== role.keyids.length) {
      ctx.findings.error('MALFORMED_ROLE', `root lists a keyid twice in ${name}'s keyids.`, { role: name });
    }
    if (role.threshold > distinct.size) {
      ctx.findings.error('THRESHOLD_UNMET', `${name}'s threshold ${role.threshold} is above its ${distinct.size} key(s); it can never be met.`, { role: name });
    }
    for (const id of role.keyids) {
      if (!root.keys.has(id)) ctx.findings.error('MALFORMED_ROLE', `${name} names key ${short(id)}, which root does not declare.`, { role: name, keyid: id });
    }
  }
}

/** Keys declared in delegations but used by no delegated role of that file. */
export function reportUnusedDelegationKeys(ctx: InspectContext, declaredIn: string, keys: ReadonlyMap<string, Key>, usedIds: ReadonlySet<string>): void {
  for (const keyid of keys.keys()) {
    if (!usedIds.has(keyid)) {
      ctx.findings.warning('UNUSED_KEY', `${declaredIn} declares delegation key ${short(keyid)}, but no delegated role uses it.`, { role: declaredIn, keyid });
      if (!ctx.keys.has(keyid)) {
        const key = keys.get(keyid);
        if (key !== undefined) ctx.keys.set(keyid, { key, roles: new Set(), declaredIn, info: null });
      }
    }
  }
}

/**
 * Build the key views: algorithm and size from the provider, keyid = hash check (KEYID_MISMATCH),
 * weak keys, Notary certificates (root rules vs delegation rules), and where the key lives.
 */
export function buildKeyViews(ctx: InspectContext, rootRoleKeyids: ReadonlySet<string>): KeyView[] {
  const views: KeyView[] = [];
  const gun = ctx.input.name;
  const at = new Date(ctx.now);
  for (const [keyid, rec] of ctx.keys) {
    const role = [...rec.roles][0] ?? rec.declaredIn;
    const imported = ctx.crypto.importKey({ keytype: rec.key.keytype, scheme: rec.key.scheme, public: rec.key.public });
    rec.info = imported.ok ? imported.handle.info : null;
    if (!imported.ok) {
      const code = imported.reason === 'invalid-point' ? 'WEAK_KEY' : rec.key.keytype.endsWith('-x509') ? 'CERT_INVALID' : 'MALFORMED_ROLE';
      ctx.findings.error(code, `Key ${short(keyid)} (${rec.key.keytype}) cannot be used: ${imported.message}`, { role, keyid });
    }
    let idMatches = false;
    try {
      idMatches = computeKeyId(rec.key, ctx.dialect, ctx.crypto) === keyid;
    } catch (error) {
      ctx.findings.error('KEYID_MISMATCH', `The keyid of ${short(keyid)} cannot be recomputed: ${error instanceof Error ? error.message : String(error)}`, {
        role,
        keyid,
      });
    }
    if (!idMatches) {
      ctx.findings.error('KEYID_MISMATCH', `Key ${short(keyid)} in ${rec.declaredIn}: the keyid is not the SHA-256 of the key's canonical JSON.`, {
        role,
        keyid,
        detail: 'Strict clients (e.g. awslabs/tough) reject such metadata; see sigstore/root-signing#1431.',
      });
    }
    let canonicalId: string | null = null;
    if (ctx.dialect === 'notary-v1' && imported.ok) {
      try {
        canonicalId = notaryCanonicalKeyId(rec.key, imported.handle, ctx.crypto);
      } catch {
        // A key whose cert cannot be read has no canonical ID; CERT_INVALID was reported above.
        canonicalId = null;
      }
    }
    const info = rec.info;
    if (info !== null && info.algorithm === 'rsa' && info.bits !== null && info.bits < 2048) {
      ctx.findings.error('WEAK_KEY', `Key ${short(keyid)} is RSA ${info.bits} bits; at least 2048 are required.`, { role, keyid });
    }
    if (ctx.dialect === 'notary-v1' && info !== null) {
      if (rootRoleKeyids.has(keyid)) {
        if (!rec.key.keytype.endsWith('-x509')) {
          ctx.findings.error('CERT_INVALID', `Root key ${short(keyid)} is a plain ${rec.key.keytype} key; notary root keys must be x509 certificates.`, {
            role: 'root',
            keyid,
          });
        } else checkRootCertificate(keyid, info, gun, at, ctx.findings);
      } else if (info.cert !== null) {
        checkDelegationCertificate(keyid, info.cert, role, at, ctx.findings);
      }
    }
    const cert = info?.cert ?? null;
    views.push({
      id: keyid,
      canonicalId,
      keytype: rec.key.keytype,
      scheme: rec.key.scheme ?? '',
      algorithm: info?.algorithm ?? 'unknown',
      bits: info?.bits ?? null,
      roles: [...rec.roles].sort(),
      location: locate(ctx, keyid, canonicalId, rec),
      cert:
        cert === null
          ? null
          : {
              subjectCN: cert.subjectCN,
              issuerCN: cert.issuerCN,
              notBefore: cert.notBefore,
              notAfter: cert.notAfter,
              selfSigned: cert.selfSigned,
              signatureAlgorithm: cert.signatureAlgorithm,
              serialNumber: cert.serialNumber,
            },
      idMatchesHash: idMatches,
      publicKeyPem: info?.spkiPem ?? null,
    });
  }
  return views;
}

/**
 * Where a key lives: a private key file beside the metadata (matched by keyid or Notary canonical
 * ID) -> `file`; Notary's timestamp key, and its snapshot key unless we hold it, are kept by
 * notary-server -> `server`; a TUF key with tuf-on-ci's online URI -> `server`; other root keys
 * -> `offline`; anything else -> `unknown`.
 */
function locate(ctx: InspectContext, keyid: string, canonicalId: string | null, rec: KeyRecord): KeyView['location'] {
  const file = ctx.input.privateKeys?.find((p) => p.id === keyid || (canonicalId !== null && p.id === canonicalId));
  if (file !== undefined) return { kind: 'file', detail: file.path };
  if (ctx.dialect === 'notary-v1' && (rec.roles.has('timestamp') || rec.roles.has('snapshot'))) {
    return { kind: 'server', detail: 'notary-server' };
  }
  const online = rec.key.raw['x-tuf-on-ci-online-uri'];
  if (typeof online === 'string') return { kind: 'server', detail: online };
  if (rec.roles.has('root')) return { kind: 'offline' };
  return { kind: 'unknown' };
}

/**
 * Notary keeps the certificates of earlier root keys in `root.keys` on purpose (its
 * `RemoveBaseKeys` never drops root keys, so the old key can co-sign the rotation and the
 * canonical key ID stays computable). A key that root lists, no role uses, and that signed this
 * root is that retained rotation key: say so once, as info, instead of UNUSED_KEY + UNKNOWN_SIGNER.
 */
export function explainRetainedNotaryRootKeys(ctx: InspectContext, rootSignerIds: readonly string[]): void {
  if (ctx.dialect !== 'notary-v1') return;
  for (const keyid of new Set(rootSignerIds)) {
    const rec = ctx.keys.get(keyid);
    if (rec === undefined || rec.roles.size > 0 || rec.declaredIn !== 'root') continue;
    const about = (f: { role?: string | undefined; keyid?: string | undefined }) => f.role === 'root' && f.keyid === keyid;
    ctx.findings.replace((f) => about(f) && (f.code === 'UNUSED_KEY' || f.code === 'UNKNOWN_SIGNER'), {
      code: 'UNUSED_KEY',
      severity: 'info',
      role: 'root',
      keyid,
      message: `root keeps key ${short(keyid)} of an earlier root, which co-signed this root when it was rotated (notary retains old root certificates).`,
    });
  }
}

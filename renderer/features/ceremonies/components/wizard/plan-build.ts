import { PlanInput } from '../../../../../shared/ipc/ceremony-plans';
import type { RequestPreview } from '../../../../../shared/ipc/ceremony';
import { expiriesFor } from './expiry';
import type { Kind } from './kinds';
import type { Drafts } from './plan-drafts';
import { buildRecover, buildRefresh, buildRemoveSigner, buildSignTargets } from './plan-build-more';
import { type Built, problemsOf, thresholdProblem } from './plan-common';

/** A plan ready to send, or the reasons it is not (shown under the form, in words). */
export type PlanBuild = { ok: true; plan: PlanInput } | { ok: false; problems: string[] };

function buildInit(d: Drafts['init'], request: RequestPreview, now: number): Built {
  const tuf = request.dialect === 'tuf-1.0';
  const roles = ['root', 'targets', ...(tuf ? d.offlineRoles : [])];
  const { expires, problems } = expiriesFor(d.expires, roles, now);
  const notarySnapshotOffline = !tuf && !request.serverKeys.some((k) => k.role === 'snapshot');
  return {
    plan: {
      kind: 'init',
      rootKeys: d.rootKeys,
      rootThreshold: d.rootThreshold,
      targetsKeys: d.targetsKeys,
      ...(d.targetsThreshold === 1 ? {} : { targetsThreshold: d.targetsThreshold }),
      ...(tuf || notarySnapshotOffline ? { snapshotKeys: d.snapshotKeys } : {}),
      ...(tuf ? { timestampKeys: d.timestampKeys } : {}),
      ...(tuf && d.offlineRoles.length > 0 ? { offlineRoles: d.offlineRoles } : {}),
      ...(expires === undefined ? {} : { expires }),
    },
    problems: [
      ...problemsOf(
        d.rootKeys.length === 0 ? 'Choose at least one root key.' : null,
        thresholdProblem('root', d.rootThreshold, d.rootKeys.length),
        d.targetsKeys.length === 0 ? 'Choose a targets key.' : null,
        thresholdProblem('targets', d.targetsThreshold, d.targetsKeys.length),
        (tuf || notarySnapshotOffline) && d.snapshotKeys.length === 0 ? (tuf ? 'Choose a snapshot key.' : 'The request has no server snapshot key: choose an offline snapshot key.') : null,
        tuf && d.timestampKeys.length === 0 ? 'Choose a timestamp key.' : null,
      ),
      ...problems,
    ],
  };
}

function buildRotateRoot(d: Drafts['rotate-root'], request: RequestPreview, now: number): Built {
  const keyCount = request.rootKeys.length - d.remove.length + d.add.length;
  const { expires, problems } = expiriesFor(d.expires, ['root'], now);
  const unchanged = d.add.length === 0 && d.remove.length === 0 && d.threshold === request.rootThreshold && expires === undefined;
  return {
    plan: { kind: 'rotate-root', add: d.add, remove: d.remove, threshold: d.threshold, ...(expires === undefined ? {} : { expires }) },
    problems: [
      ...problemsOf(
        keyCount < 1 ? 'The new root needs at least one key.' : thresholdProblem('root', d.threshold, keyCount),
        unchanged ? 'Nothing changes: add or remove a key, or change the threshold or expiry.' : null,
      ),
      ...problems,
    ],
  };
}

function buildRotateKey(d: Drafts['rotate-key'], request: RequestPreview, now: number): Built {
  const server = request.dialect === 'notary-v1' && (d.role === 'timestamp' || (d.role === 'snapshot' && d.serverManaged));
  const { expires, problems } = expiriesFor(d.expires, ['root', ...(server ? [] : [d.role])], now);
  return {
    plan: {
      kind: 'rotate-key',
      role: d.role,
      ...(server ? { serverManaged: true } : { newKeys: d.newKeys }),
      ...(server || d.threshold === null ? {} : { threshold: d.threshold }),
      ...(expires === undefined ? {} : { expires }),
    },
    problems: [
      ...problemsOf(
        server && !request.serverKeys.some((k) => k.role === d.role) ? `The request carries no server ${d.role} key: pull it again from the Notary server.` : null,
        !server && d.newKeys.length === 0 ? `Choose the new ${d.role} key.` : null,
        !server && d.threshold !== null ? thresholdProblem(d.role, d.threshold, d.newKeys.length) : null,
      ),
      ...problems,
    ],
  };
}

function buildAddSigner(d: Drafts['add-signer'], request: RequestPreview, now: number): Built {
  const tuf = request.dialect === 'tuf-1.0';
  const name = d.name.trim();
  const role = tuf ? name : name.startsWith('targets/') ? name : `targets/${name}`;
  const paths = d.paths.split('\n').map((p) => p.trim()).filter((p) => p !== '');
  const { expires, problems } = expiriesFor(d.expires, [d.parent, ...(tuf ? [role] : [])], now);
  const exists = request.roles.some((r) => r.role === role);
  return {
    plan: {
      kind: 'add-signer',
      name,
      keys: d.keys,
      ...(d.threshold === 1 ? {} : { threshold: d.threshold }),
      ...(tuf ? { paths: paths.length === 0 ? ['*'] : paths, ...(d.terminating ? { terminating: true } : {}) } : {}),
      ...(d.parent === 'targets' ? {} : { parent: d.parent }),
      ...(expires === undefined ? {} : { expires }),
    },
    problems: [
      ...problemsOf(
        name === '' ? 'Name the signer.' : null,
        !tuf && (name === 'releases' || name === 'targets/releases') ? '"releases" is reserved: name the signer; its keys join targets/releases too.' : null,
        exists && tuf ? `${role} already exists; choose another name (or rotate its keys with recover).` : null,
        d.keys.length === 0 ? "Choose the signer's key." : null,
        thresholdProblem('signer', d.threshold, d.keys.length),
      ),
      ...problems,
    ],
  };
}

/** The PlanInput of the chosen kind, checked against the contract's own schema too. */
export function buildPlan(kind: Kind, drafts: Drafts, request: RequestPreview, now: number = Date.now()): PlanBuild {
  const built =
    kind === 'init'
      ? buildInit(drafts.init, request, now)
      : kind === 'rotate-root'
        ? buildRotateRoot(drafts['rotate-root'], request, now)
        : kind === 'rotate-key'
          ? buildRotateKey(drafts['rotate-key'], request, now)
          : kind === 'add-signer'
            ? buildAddSigner(drafts['add-signer'], request, now)
            : kind === 'remove-signer'
              ? buildRemoveSigner(drafts['remove-signer'], request)
              : kind === 'recover'
                ? buildRecover(drafts.recover, request, now)
                : kind === 'refresh'
                  ? buildRefresh(drafts.refresh, now)
                  : buildSignTargets(drafts['sign-targets']);
  if (built.problems.length > 0) return { ok: false, problems: built.problems };
  const parsed = PlanInput.safeParse(built.plan);
  if (!parsed.success) return { ok: false, problems: parsed.error.issues.map((i) => `${i.path.join('.') || 'plan'}: ${i.message}`) };
  return { ok: true, plan: parsed.data };
}

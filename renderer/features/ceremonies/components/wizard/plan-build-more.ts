import type { RequestPreview } from '../../../../../shared/ipc/ceremony';
import { expiriesFor } from './expiry';
import { type Built, thresholdProblem } from './plan-common';
import type { Drafts } from './plan-drafts';
import { suspectPlan } from './recover-suspect';

export function buildRemoveSigner(d: Drafts['remove-signer'], request: RequestPreview): Built {
  const role = request.roles.find((r) => r.role === d.role);
  if (role === undefined) return { plan: {}, problems: ['Choose the signer to remove.'] };
  const parent = role.delegatedBy ?? 'targets';
  // Notary names signers without the "targets/" prefix (docker trust signer remove alice).
  const name = request.dialect === 'notary-v1' ? role.role.replace(/^targets\//, '') : role.role;
  return { plan: { kind: 'remove-signer', name, ...(parent === 'targets' ? {} : { parent }) }, problems: [] };
}

export function buildRecover(d: Drafts['recover'], request: RequestPreview, now: number): Built {
  const compromised = Object.entries(d.fates).filter(([, f]) => f === 'compromised').map(([k]) => k);
  const lost = Object.entries(d.fates).filter(([, f]) => f === 'lost').map(([k]) => k);
  const replacements = Object.fromEntries(Object.entries(d.replacements).filter(([, keys]) => keys.length > 0));
  const thresholds = Object.fromEntries(Object.entries(d.thresholds).filter(([role]) => (d.replacements[role]?.length ?? 0) > 0 || role in d.thresholds));
  const { expires, problems } = expiriesFor(d.expires, Object.keys(d.expires), now);
  const thresholdProblems = Object.entries(thresholds).map(([role, t]) => thresholdProblem(role, t, 0)).filter((p): p is string => p !== null);
  const lostTokens = [...new Set(d.lostTokens.map((s) => s.trim()).filter((s) => s !== ''))];
  return {
    plan: {
      kind: 'recover',
      compromised,
      ...(lost.length === 0 ? {} : { lost }),
      ...(lostTokens.length === 0 ? {} : { lostTokens }),
      ...suspectPlan(request, d),
      ...(Object.keys(replacements).length === 0 ? {} : { replacements }),
      ...(Object.keys(thresholds).length === 0 ? {} : { thresholds }),
      ...(expires === undefined ? {} : { expires }),
    },
    problems: [...(compromised.length + lost.length + lostTokens.length === 0 ? ['Mark at least one key as compromised or lost, or name a lost token.'] : []), ...thresholdProblems, ...problems],
  };
}

export function buildRefresh(d: Drafts['refresh'], now: number): Built {
  const { expires, problems } = expiriesFor(d.expires, d.roles, now);
  return {
    plan: { kind: 'refresh', roles: d.roles, ...(expires === undefined ? {} : { expires }) },
    problems: [...(d.roles.length === 0 ? ['Choose at least one role to refresh.'] : []), ...problems],
  };
}

export function buildSignTargets(d: Drafts['sign-targets']): Built {
  const problems: string[] = [];
  d.changes.forEach((c, i) => {
    if (c.path.trim() === '') problems.push(`Change ${i + 1}: give the target path.`);
    if (c.action === 'add' && c.filePickId === '') problems.push(`Change ${i + 1}: choose the file to add.`);
  });
  // Without changes the request's own target changes are signed (main refuses if it has none).
  const changes = d.changes.map((c) => (c.action === 'add' ? { action: 'add' as const, role: c.role, path: c.path.trim(), filePickId: c.filePickId } : { action: 'remove' as const, role: c.role, path: c.path.trim() }));
  return { plan: { kind: 'sign-targets', ...(changes.length === 0 ? {} : { changes }) }, problems };
}

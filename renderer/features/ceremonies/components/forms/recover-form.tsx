import { type ReactElement, useState } from 'react';

import type { ImpactView } from '../../../../../shared/ipc/ceremony-plans';
import type { IpcError } from '../../../../../shared/ipc/result';
import { ErrorAlert } from '../../../../components/alert';
import { useCeremoniesStore } from '../../../../stores/ceremonies-store';
import { keyName } from '../names';
import { ThresholdField } from '../wizard/form-fields';
import { KeyPicker } from '../wizard/key-picker';
import type { KeyFate } from '../wizard/plan-drafts';
import type { FormProps } from './form-props';
import { suspectRoles } from '../wizard/recover-suspect';
import { ImpactPanel } from './impact-panel';
import { LostTokenPicker } from './lost-token-picker';
import { SuspectContent } from './suspect-content';

/**
 * recover: mark compromised or lost keys → the impact (affected roles, thresholds, what an
 * attacker can sign, the ordered minimal plan) → replacement keys per affected role → start.
 * Lost tokens (F13) are named by serial; the desk resolves their keys for the impact and the plan.
 * Roles a compromised key signs get the F4 choice (drop / keep their suspect targets) before start.
 */
export function RecoverForm({ request, draft, onChange, keys }: FormProps<'recover'>): ReactElement {
  const impactOf = useCeremoniesStore((s) => s.impact);
  const [impact, setImpact] = useState<{ for: string; view: ImpactView } | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<IpcError | null>(null);
  const marked = (fate: KeyFate): string[] => Object.entries(draft.fates).filter(([, f]) => f === fate).map(([k]) => k);
  const lostTokens = draft.lostTokens;
  const fingerprint = JSON.stringify([marked('compromised').sort(), marked('lost').sort(), [...lostTokens].sort()]);
  const nothingMarked = marked('compromised').length + marked('lost').length + lostTokens.length === 0;
  const suspect = suspectRoles(request, draft.fates);
  const current = impact !== null && impact.for === fingerprint ? impact.view : null;

  const setFate = (keyid: string, fate: KeyFate | 'fine'): void => {
    const fates = { ...draft.fates };
    if (fate === 'fine') delete fates[keyid];
    else fates[keyid] = fate;
    onChange({ ...draft, fates });
  };
  const showImpact = async (): Promise<void> => {
    setBusy(true);
    setError(null);
    const result = await impactOf({ requestPickId: request.pickId, compromised: marked('compromised'), lost: marked('lost'), ...(lostTokens.length === 0 ? {} : { lostTokens }) });
    setBusy(false);
    if (result.ok) setImpact({ for: fingerprint, view: result.value });
    else setError(result.error);
  };
  const affected = current?.roles.filter((r) => r.compromised.length + r.lost.length > 0) ?? [];

  return (
    <div className="stack">
      <table className="table" aria-label="Keys of the repository">
        <thead>
          <tr>
            <th scope="col">Key</th>
            <th scope="col">Serves</th>
            <th scope="col">State</th>
          </tr>
        </thead>
        <tbody>
          {request.keys.map((k) => (
            <tr key={k.keyid} data-recover-key={k.keyid}>
              <td>
                {keyName(k)}
                <div className="cell-sub">
                  {k.algorithm} · {k.where === 'token' ? 'on a token here' : k.where === 'file' ? 'key file here' : 'held elsewhere'}
                </div>
              </td>
              <td>{k.roles.join(', ')}</td>
              <td>
                <select className="input" aria-label={`State of ${keyName(k)}`} value={draft.fates[k.keyid] ?? 'fine'} onChange={(e) => setFate(k.keyid, e.target.value as KeyFate | 'fine')}>
                  <option value="fine">Fine</option>
                  <option value="compromised">Compromised (an attacker may hold it)</option>
                  <option value="lost">Lost (nobody can use it)</option>
                </select>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <LostTokenPicker request={request} value={lostTokens} onChange={(serials) => onChange({ ...draft, lostTokens: serials })} />
      <div className="row">
        <button type="button" className="button" onClick={() => void showImpact()} disabled={busy || nothingMarked}>
          {busy ? 'Assessing…' : 'Show impact'}
        </button>
        {current === null && !nothingMarked ? <span className="hint">See the impact before choosing replacements.</span> : null}
      </div>
      {error === null ? null : <ErrorAlert title="The impact could not be assessed" error={error} />}
      {current === null ? null : <ImpactPanel impact={current} />}
      <SuspectContent roles={suspect} value={draft.suspect} onChange={(choices) => onChange({ ...draft, suspect: choices })} />
      {affected.map((role) => (
        <div key={role.role} className="stack" data-replacement-role={role.role}>
          <KeyPicker
            legend={`Replacement keys for ${role.role}`}
            hint={`${role.remaining} of its ${role.keyids.length} keys remain; threshold ${role.threshold}${role.thresholdHolds ? ' still holds' : ' no longer holds without new keys'}.${
              role.delegatedBy !== 'root' && role.remaining === 0 ? ' Without replacement keys the delegation is removed and its targets are no longer trusted.' : ''
            }`}
            value={draft.replacements[role.role] ?? []}
            onChange={(k) => onChange({ ...draft, replacements: { ...draft.replacements, [role.role]: k } })}
            options={keys.options}
            tokens={keys.tokens}
            tokenKeys={keys.tokenKeys}
            exclude={new Set([...role.compromised, ...role.lost])}
            {...(role.delegatedBy === 'root' ? { role: role.role } : {})}
            {...(request.dialect === 'notary-v1' && role.role === 'root' ? { groups: ['token' as const] } : {})}
            allowGenerate
          />
          {(draft.replacements[role.role]?.length ?? 0) > 0 ? (
            <ThresholdField
              label={`New ${role.role} threshold`}
              value={draft.thresholds[role.role] ?? role.threshold}
              onChange={(t) => onChange({ ...draft, thresholds: { ...draft.thresholds, [role.role]: t } })}
              keys={role.remaining + (draft.replacements[role.role]?.length ?? 0)}
              now={`${role.threshold} of ${role.keyids.length}`}
            />
          ) : null}
        </div>
      ))}
    </div>
  );
}

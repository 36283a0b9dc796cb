import type { ReactElement } from 'react';

import { isReleases } from '../wizard/kinds';
import type { FormProps } from './form-props';

/** remove-signer: pick the delegation from the request's roles (Notary: its keys leave targets/releases too). */
export function RemoveSignerForm({ request, draft, onChange }: FormProps<'remove-signer'>): ReactElement {
  const signers = request.roles.filter((r) => r.delegatedBy !== null && r.delegatedBy !== 'root' && !isReleases(r.role, request));
  const holders = (keyids: string[]): string =>
    keyids.map((id) => request.keys.find((k) => k.keyid === id)?.holder ?? `key ${id.slice(0, 8)}…`).join(', ');
  return (
    <fieldset className="source-options">
      <legend>Signer to remove</legend>
      {signers.map((r) => (
        <label key={r.role} className="source-option">
          <input type="radio" name="remove-signer" checked={draft.role === r.role} onChange={() => onChange({ role: r.role })} />
          <span>
            {r.role} <span className="muted">(delegated by {r.delegatedBy})</span>
          </span>
          <span className="hint">
            {r.keyids.length} key{r.keyids.length === 1 ? '' : 's'} ({holders(r.keyids)}), threshold {r.threshold}
            {r.paths === null ? '' : `, paths ${r.paths.map((p) => (p === '' ? '"" (everything)' : p)).join(' ')}`}
            {r.targetCount === null ? '' : `, ${r.targetCount} target${r.targetCount === 1 ? '' : 's'}`}
            {request.dialect === 'notary-v1' ? '; its keys also leave targets/releases.' : '.'}
          </span>
        </label>
      ))}
    </fieldset>
  );
}

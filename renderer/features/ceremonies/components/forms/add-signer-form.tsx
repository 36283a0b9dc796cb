import { type ReactElement, useId } from 'react';

import { ExpiryFields, ThresholdField } from '../wizard/form-fields';
import { KeyPicker } from '../wizard/key-picker';
import type { FormProps } from './form-props';

/** add-signer: Notary `docker trust signer add` (targets/<name> + targets/releases); TUF a delegation with paths. */
export function AddSignerForm({ request, draft, onChange, keys }: FormProps<'add-signer'>): ReactElement {
  const id = useId();
  const tuf = request.dialect === 'tuf-1.0';
  const name = draft.name.trim();
  const role = tuf ? name : name.startsWith('targets/') ? name : `targets/${name}`;
  const parents = ['targets', ...request.roles.filter((r) => r.delegatedBy !== null && r.delegatedBy !== 'root').map((r) => r.role)];
  const set = (patch: Partial<typeof draft>): void => onChange({ ...draft, ...patch });
  return (
    <div className="stack">
      <div className="field">
        <label htmlFor={`${id}-name`}>Signer name</label>
        <input id={`${id}-name`} className="input" value={draft.name} maxLength={128} onChange={(e) => set({ name: e.target.value })} aria-describedby={`${id}-name-hint`} autoComplete="off" />
        <span className="hint" id={`${id}-name-hint`} data-testid="signer-role-hint">
          {name === ''
            ? tuf
              ? 'The delegated role’s name, e.g. releases or alice.'
              : 'e.g. alice: the signer becomes targets/alice, and the same keys join targets/releases.'
            : tuf
              ? `Creates the delegated role ${role} under ${draft.parent}.`
              : `Becomes ${role}; the same keys join targets/releases (docker trust signer add).`}
        </span>
      </div>
      <KeyPicker legend="Signer keys" hint="The signer’s public key: a key here, or one the repository already knows." value={draft.keys} onChange={(k) => set({ keys: k })} options={keys.options} tokens={keys.tokens} tokenKeys={keys.tokenKeys} allowGenerate />
      <ThresholdField label="Signer threshold" value={draft.threshold} onChange={(threshold) => set({ threshold })} keys={draft.keys.length} />
      {tuf ? (
        <>
          <div className="field">
            <label htmlFor={`${id}-paths`}>Paths the signer may sign (one pattern per line)</label>
            <textarea id={`${id}-paths`} className="input" rows={3} value={draft.paths} onChange={(e) => set({ paths: e.target.value })} aria-describedby={`${id}-paths-hint`} />
            <span className="hint" id={`${id}-paths-hint`}>
              Glob patterns such as releases/* ; “*” is everything.
            </span>
          </div>
          <div className="two-col">
            <div className="field">
              <label htmlFor={`${id}-parent`}>Delegated by</label>
              <select id={`${id}-parent`} className="input" value={draft.parent} onChange={(e) => set({ parent: e.target.value })}>
                {parents.map((p) => (
                  <option key={p} value={p}>
                    {p}
                  </option>
                ))}
              </select>
            </div>
            <label className="checkbox-row">
              <input type="checkbox" checked={draft.terminating} onChange={(e) => set({ terminating: e.target.checked })} />
              <span>Terminating: clients stop looking further for these paths</span>
            </label>
          </div>
        </>
      ) : null}
      <ExpiryFields roles={[draft.parent, ...(tuf && name !== '' ? [role] : [])]} value={draft.expires} onChange={(expires) => set({ expires })} />
    </div>
  );
}

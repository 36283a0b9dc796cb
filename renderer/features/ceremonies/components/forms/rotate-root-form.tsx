import type { ReactElement } from 'react';

import { keyName } from '../names';
import { ExpiryFields, ThresholdField } from '../wizard/form-fields';
import { KeyPicker } from '../wizard/key-picker';
import type { FormProps } from './form-props';

/** rotate-root: keys to add (token, new on token, key file), keys to remove, the new threshold and expiry. */
export function RotateRootForm({ request, draft, onChange, keys }: FormProps<'rotate-root'>): ReactElement {
  const inRoot = new Set(request.rootKeys.map((k) => k.keyid));
  const keyCount = request.rootKeys.length - draft.remove.length + draft.add.length;
  const set = (patch: Partial<typeof draft>): void => onChange({ ...draft, ...patch });
  return (
    <div className="stack">
      <KeyPicker
        legend="Keys to add to the root"
        value={draft.add}
        onChange={(add) => set({ add })}
        options={keys.options}
        tokens={keys.tokens}
        tokenKeys={keys.tokenKeys}
        // Notary root keys carry a self-signed certificate the token signs at start; key files cannot from the GUI.
        groups={request.dialect === 'notary-v1' ? ['token'] : ['token', 'file']}
        exclude={inRoot}
        role="root"
        allowGenerate
      />
      <fieldset className="source-options">
        <legend>Keys to remove from the root</legend>
        {request.rootKeys.map((k) => (
          <label key={k.keyid} className="source-option">
            <input type="checkbox" checked={draft.remove.includes(k.keyid)} onChange={(e) => set({ remove: e.target.checked ? [...draft.remove, k.keyid] : draft.remove.filter((r) => r !== k.keyid) })} />
            <span>Remove {keyName(k)}</span>
            <span className="hint">It still signs this rotation as a key of the current root.</span>
          </label>
        ))}
      </fieldset>
      <ThresholdField label="New root threshold" value={draft.threshold} onChange={(threshold) => set({ threshold })} keys={keyCount} now={`${request.rootThreshold ?? '—'} of ${request.rootKeys.length}`} />
      <ExpiryFields roles={['root']} value={draft.expires} onChange={(expires) => set({ expires })} current={{ root: request.rootExpires }} />
    </div>
  );
}

import type { ReactElement } from 'react';

import { ExpiryFields, ThresholdField } from '../wizard/form-fields';
import { KeyPicker } from '../wizard/key-picker';
import type { FormProps } from './form-props';

const ROLES = ['targets', 'snapshot', 'timestamp'] as const;

/** rotate-key: which top-level role, its new keys (or, Notary, the server-managed key) and threshold. */
export function RotateKeyForm({ request, draft, onChange, keys }: FormProps<'rotate-key'>): ReactElement {
  const notary = request.dialect === 'notary-v1';
  const server = notary && (draft.role === 'timestamp' || (draft.role === 'snapshot' && draft.serverManaged));
  const current = request.roles.find((r) => r.role === draft.role) ?? null;
  const serverKey = request.serverKeys.find((k) => k.role === draft.role) ?? null;
  const set = (patch: Partial<typeof draft>): void => onChange({ ...draft, ...patch });
  return (
    <div className="stack">
      <fieldset className="source-options">
        <legend>Role whose key is rotated</legend>
        {ROLES.map((role) => (
          <label key={role} className="source-option">
            <input type="radio" name="rotate-key-role" checked={draft.role === role} onChange={() => set({ role, newKeys: [], threshold: null })} />
            <span>{role}</span>
            <span className="hint">
              {role === 'targets' ? 'The tagging key that signs releases.' : notary && role === 'timestamp' ? 'Always the Notary server’s key: rotating asks the server’s current key from the request.' : `Signs ${role} metadata.`}
            </span>
          </label>
        ))}
      </fieldset>
      {current === null ? null : (
        <p className="cell-sub">
          Now: {current.keyids.length} key{current.keyids.length === 1 ? '' : 's'} ({current.keyids.map((k) => `${k.slice(0, 8)}…`).join(', ')}), threshold {current.threshold}.
        </p>
      )}
      {notary && draft.role === 'snapshot' ? (
        <label className="checkbox-row">
          <input type="checkbox" checked={draft.serverManaged} onChange={(e) => set({ serverManaged: e.target.checked })} />
          <span>Server-managed: the Notary server holds the snapshot key (its key from the request)</span>
        </label>
      ) : null}
      {server ? (
        <p data-testid="server-key">
          The new {draft.role} key is the server’s: {serverKey === null ? <strong>the request carries none — pull it again from the Notary server.</strong> : <span className="mono">{serverKey.keyid}</span>}
        </p>
      ) : (
        <>
          <KeyPicker
            legend={`New ${draft.role} keys`}
            value={draft.newKeys}
            onChange={(newKeys) => set({ newKeys })}
            options={keys.options}
            tokens={keys.tokens}
            tokenKeys={keys.tokenKeys}
            groups={['token', 'file']}
            exclude={new Set(current?.keyids ?? [])}
            role={draft.role}
            allowGenerate
          />
          <ThresholdField label={`${draft.role} threshold`} value={draft.threshold ?? Math.min(current?.threshold ?? 1, Math.max(draft.newKeys.length, 1))} onChange={(threshold) => set({ threshold })} keys={draft.newKeys.length} now={current === null ? undefined : `${current.threshold} of ${current.keyids.length}`} />
        </>
      )}
      <ExpiryFields roles={server ? ['root'] : ['root', draft.role]} value={draft.expires} onChange={(expires) => set({ expires })} current={{ root: request.rootExpires, [draft.role]: current?.expires ?? null }} />
    </div>
  );
}

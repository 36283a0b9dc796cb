import type { ReactElement } from 'react';

import { ExpiryFields, ThresholdField } from '../wizard/form-fields';
import { KeyPicker } from '../wizard/key-picker';
import type { FormProps } from './form-props';

/** init: root keys m-of-n, targets keys, snapshot/timestamp keys (TUF) or the server's (Notary), expiries. */
export function InitForm({ request, draft, onChange, keys }: FormProps<'init'>): ReactElement {
  const tuf = request.dialect === 'tuf-1.0';
  const serverSnapshot = request.serverKeys.find((k) => k.role === 'snapshot') ?? null;
  const serverTimestamp = request.serverKeys.find((k) => k.role === 'timestamp') ?? null;
  const picker = { options: keys.options, tokens: keys.tokens, tokenKeys: keys.tokenKeys };
  const set = (patch: Partial<typeof draft>): void => onChange({ ...draft, ...patch });
  const toggleOffline = (role: 'snapshot' | 'timestamp', on: boolean): void => set({ offlineRoles: on ? [...draft.offlineRoles, role] : draft.offlineRoles.filter((r) => r !== role) });
  return (
    <div className="stack">
      <KeyPicker
        legend="Root keys"
        hint={tuf ? 'Keys on tokens, one per keyholder. Generate new ones on the tokens here if needed.' : 'Keys on tokens; each gets a self-signed certificate (CN = the GUN), so its token PIN is asked before start.'}
        value={draft.rootKeys}
        onChange={(rootKeys) => set({ rootKeys })}
        role="root"
        groups={tuf ? ['token', 'file'] : ['token']}
        allowGenerate
        {...picker}
      />
      <ThresholdField label="Root threshold (m of n)" value={draft.rootThreshold} onChange={(rootThreshold) => set({ rootThreshold })} keys={draft.rootKeys.length} />
      <KeyPicker legend="Targets keys" hint="The tagging key that signs releases (a key file or a token key)." value={draft.targetsKeys} onChange={(targetsKeys) => set({ targetsKeys })} role="targets" groups={['token', 'file']} allowGenerate {...picker} />
      {draft.targetsKeys.length > 1 ? <ThresholdField label="Targets threshold" value={draft.targetsThreshold} onChange={(targetsThreshold) => set({ targetsThreshold })} keys={draft.targetsKeys.length} /> : null}
      {tuf ? (
        <>
          <KeyPicker legend="Snapshot key" hint="Usually an online key file that signs snapshots at publish." value={draft.snapshotKeys} onChange={(snapshotKeys) => set({ snapshotKeys })} role="snapshot" groups={['file', 'token']} {...picker} />
          <KeyPicker legend="Timestamp key" hint="Usually an online key file that signs timestamps at publish." value={draft.timestampKeys} onChange={(timestampKeys) => set({ timestampKeys })} role="timestamp" groups={['file', 'token']} {...picker} />
          <fieldset className="source-options">
            <legend>Snapshot and timestamp signing</legend>
            {(['snapshot', 'timestamp'] as const).map((role) => (
              <label key={role} className="checkbox-row">
                <input type="checkbox" checked={draft.offlineRoles.includes(role)} onChange={(e) => toggleOffline(role, e.target.checked)} />
                <span>Sign {role} in this ceremony (offline) instead of with its online key at publish</span>
              </label>
            ))}
          </fieldset>
        </>
      ) : (
        <div className="card stack" data-testid="notary-server-keys">
          <strong>Server-managed keys (from the request)</strong>
          <p className="cell-sub">
            Timestamp: {serverTimestamp === null ? 'missing — pull the request again from the Notary server' : <span className="mono">{serverTimestamp.keyid.slice(0, 16)}…</span>} (always the server’s).
            <br />
            Snapshot: {serverSnapshot === null ? 'the server offered none: choose an offline snapshot key below' : <span className="mono">{serverSnapshot.keyid.slice(0, 16)}… (server-managed)</span>}
          </p>
          {serverSnapshot === null ? <KeyPicker legend="Snapshot key (offline)" value={draft.snapshotKeys} onChange={(snapshotKeys) => set({ snapshotKeys })} role="snapshot" groups={['file', 'token']} {...picker} /> : null}
        </div>
      )}
      <ExpiryFields roles={['root', 'targets', ...(tuf ? draft.offlineRoles : [])]} value={draft.expires} onChange={(expires) => set({ expires })} />
    </div>
  );
}

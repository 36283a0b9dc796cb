import { type ReactElement, useState } from 'react';

import type { RequestPreview } from '../../../../../shared/ipc/ceremony';
import { useKeysStore } from '../../../../stores/keys-store';

interface KnownToken {
  serial: string;
  label: string | null;
  /** Keys of this repository on the token (request + inventory), by key ID. */
  repositoryKeys: number;
  attached: boolean;
}

/** Tokens this workstation knows (inventory + attached), with how many of the repository's keys each holds. */
function knownTokens(request: RequestPreview, inventory: ReturnType<typeof useKeysStore.getState>['inventory'], attached: readonly { serial: string; label: string }[]): KnownToken[] {
  const byKey = new Map<string, string>();
  for (const k of request.keys) if (k.tokenSerial !== null) byKey.set(k.keyid, k.tokenSerial);
  const labels = new Map<string, string | null>();
  for (const row of inventory ?? []) {
    if (row.location.kind !== 'token') continue;
    labels.set(row.location.tokenSerial, labels.get(row.location.tokenSerial) ?? row.location.tokenLabel);
    const keyid = request.dialect === 'notary-v1' ? row.keyIds.notary : row.keyIds.tuf;
    if (request.keys.some((k) => k.keyid === keyid)) byKey.set(keyid, row.location.tokenSerial);
  }
  for (const t of attached) labels.set(t.serial, labels.get(t.serial) ?? t.label);
  for (const serial of byKey.values()) if (!labels.has(serial)) labels.set(serial, null);
  const count = (serial: string): number => [...byKey.values()].filter((s) => s === serial).length;
  return [...labels.entries()]
    .map(([serial, label]) => ({ serial, label, repositoryKeys: count(serial), attached: attached.some((t) => t.serial === serial) }))
    .sort((a, b) => b.repositoryKeys - a.repositoryKeys || a.serial.localeCompare(b.serial));
}

/**
 * review F13: "a token is lost" as a first-class choice. The desk marks lost every key of the
 * repository the inventory knows on each chosen serial (and refuses a serial it knows nothing on,
 * LostTokenError), so the operator need not work out which key IDs were on it.
 */
export function LostTokenPicker({ request, value, onChange }: { request: RequestPreview; value: string[]; onChange: (serials: string[]) => void }): ReactElement {
  const inventory = useKeysStore((s) => s.inventory);
  const snapshot = useKeysStore((s) => s.snapshot);
  const [typed, setTyped] = useState('');
  const tokens = knownTokens(request, inventory, snapshot?.tokens ?? []);
  const toggle = (serial: string, on: boolean): void => onChange(on ? [...value.filter((s) => s !== serial), serial] : value.filter((s) => s !== serial));
  const typedSerial = typed.trim();
  const others = value.filter((s) => !tokens.some((t) => t.serial === s));
  return (
    <fieldset className="source-options" data-testid="lost-tokens">
      <legend>Lost tokens</legend>
      <p className="hint">A token that is gone (lost, destroyed, stolen): every key of this repository the key inventory knows on it is marked lost.</p>
      {tokens.length === 0 ? <p className="muted">The key inventory knows no token; type the serial below.</p> : null}
      {tokens.map((t) => (
        <label key={t.serial} className="source-option" data-lost-token={t.serial}>
          <input type="checkbox" checked={value.includes(t.serial)} onChange={(e) => toggle(t.serial, e.target.checked)} />
          <span>
            Token {t.serial}
            {t.label === null || t.label === '' ? '' : ` (${t.label})`} — {t.repositoryKeys === 0 ? 'no key of this repository known on it' : `${t.repositoryKeys} key${t.repositoryKeys === 1 ? '' : 's'} of this repository`}
            {t.attached ? ', attached now' : ''}
          </span>
        </label>
      ))}
      {others.map((serial) => (
        <label key={serial} className="source-option" data-lost-token={serial}>
          <input type="checkbox" checked onChange={() => toggle(serial, false)} />
          <span>Token {serial} (typed; the desk checks the inventory knows a key of this repository on it)</span>
        </label>
      ))}
      <div className="row">
        <label className="field">
          <span>Serial</span>
          <input className="input" aria-label="Lost token serial" value={typed} maxLength={64} onChange={(e) => setTyped(e.target.value)} />
        </label>
        <button
          type="button"
          className="button"
          disabled={typedSerial === '' || value.includes(typedSerial)}
          onClick={() => {
            toggle(typedSerial, true);
            setTyped('');
          }}
        >
          Add lost token
        </button>
      </div>
    </fieldset>
  );
}

import { type ReactElement, useId, useState } from 'react';

import type { PlanKey } from '../../../../../shared/ipc/ceremony-plans';
import type { TokenKeyView } from '../../../../../shared/ipc/custody';
import type { TokenInfo } from '../../../../../shared/token/types';
import { nextFreeCkaId } from './key-options';

/**
 * "Generate on token": which attached token, the CKA_ID (next free one proposed), the curve and a
 * label. The key is generated when the ceremony starts, after its PIN is asked.
 */
export function GenerateKeyForm({ tokens, tokenKeys, taken, onAdd, onCancel }: { tokens: TokenInfo[]; tokenKeys: TokenKeyView[]; taken: PlanKey[]; onAdd: (key: PlanKey) => void; onCancel: () => void }): ReactElement {
  const id = useId();
  const [serial, setSerial] = useState(tokens[0]?.serial ?? '');
  const [ckaId, setCkaId] = useState(() => nextFreeCkaId(tokenKeys, tokens[0]?.serial ?? '', taken));
  const [curve, setCurve] = useState<'P-256' | 'P-384'>('P-256');
  const [label, setLabel] = useState('');
  const used = tokenKeys.some((k) => k.tokenSerial === serial && k.ckaId === ckaId) || taken.some((k) => k.kind === 'token-new' && k.tokenSerial === serial && k.ckaId === ckaId);
  const valid = /^(?:[0-9a-f]{2}){1,32}$/.test(ckaId);
  const problem = !valid ? 'A CKA_ID is 1–32 bytes in lower-case hex, e.g. 03.' : used ? `CKA_ID ${ckaId} is already used on token ${serial}.` : null;
  return (
    <div className="card generate-key" role="group" aria-label="Generate a new key on a token">
      <div className="field-grid">
        <div className="field">
          <label htmlFor={`${id}-token`}>Token</label>
          <select id={`${id}-token`} className="input" value={serial} onChange={(e) => { setSerial(e.target.value); setCkaId(nextFreeCkaId(tokenKeys, e.target.value, taken)); }} data-autofocus>
            {tokens.map((t) => (
              <option key={t.serial} value={t.serial}>
                {t.label || 'token'} — serial {t.serial} ({t.model})
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${id}-cka`}>CKA_ID (slot)</label>
          <input id={`${id}-cka`} className="input mono" value={ckaId} onChange={(e) => setCkaId(e.target.value.trim().toLowerCase())} aria-invalid={problem !== null} aria-describedby={`${id}-cka-hint`} />
          <span className="hint" id={`${id}-cka-hint`}>
            {problem ?? 'YubiKey PIV: 01 = 9a, 02 = 9c, 03 = 9d, 04 = 9e.'}
          </span>
        </div>
        <div className="field">
          <label htmlFor={`${id}-curve`}>Curve</label>
          <select id={`${id}-curve`} className="input" value={curve} onChange={(e) => setCurve(e.target.value === 'P-384' ? 'P-384' : 'P-256')}>
            <option value="P-256">ECDSA P-256</option>
            <option value="P-384">ECDSA P-384</option>
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${id}-label`}>Label (optional)</label>
          <input id={`${id}-label`} className="input" value={label} maxLength={64} onChange={(e) => setLabel(e.target.value)} />
        </div>
      </div>
      <div className="row">
        <button type="button" className="button small" onClick={onCancel}>
          Cancel
        </button>
        <button
          type="button"
          className="button small primary"
          disabled={serial === '' || problem !== null}
          onClick={() => onAdd({ kind: 'token-new', tokenSerial: serial, ckaId, curve, ...(label.trim() === '' ? {} : { label: label.trim() }) })}
        >
          Add key to generate
        </button>
      </div>
    </div>
  );
}

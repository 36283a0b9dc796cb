import { type ReactElement, useId, useState } from 'react';

import type { PlanKey } from '../../../../../shared/ipc/ceremony-plans';
import type { TokenKeyView } from '../../../../../shared/ipc/custody';
import type { TokenInfo } from '../../../../../shared/token/types';
import { GenerateKeyForm } from './generate-key-form';
import { describePlanKey, type KeyOption, planKeyId } from './key-options';

const GROUP_LABEL: Record<KeyOption['group'], string> = {
  token: 'Keys on attached tokens',
  file: 'Workspace key files',
  repository: 'Keys already in the repository (held elsewhere)',
};

export interface KeyPickerProps {
  legend: string;
  hint?: string;
  value: PlanKey[];
  onChange: (keys: PlanKey[]) => void;
  options: KeyOption[];
  tokens: TokenInfo[];
  tokenKeys: TokenKeyView[];
  groups?: KeyOption['group'][];
  /** Key IDs that cannot be chosen here (e.g. already in the role). */
  exclude?: ReadonlySet<string>;
  /** Offer "generate a new key on a token" (keys made during the ceremony, PIN asked before start). */
  allowGenerate?: boolean;
  /** The role the keys are for: keys enrolled for other roles are folded under "Other keys". */
  role?: string;
}

/**
 * The one key chooser of every plan form: native checkboxes (Tab/Space), grouped by where the
 * private key lives, each naming holder, token serial and algorithm; keys to generate on a token
 * are listed with a Remove button.
 */
export function KeyPicker({ legend, hint, value, onChange, options, tokens, tokenKeys, groups = ['token', 'file', 'repository'], exclude, allowGenerate = false, role }: KeyPickerProps): ReactElement {
  const id = useId();
  const [generating, setGenerating] = useState(false);
  const chosen = new Set(value.map(planKeyId));
  const shown = options.filter((o) => groups.includes(o.group) && !o.keyIds.some((k) => exclude?.has(k)));
  const toggle = (option: KeyOption, on: boolean): void => onChange(on ? [...value, option.key] : value.filter((k) => planKeyId(k) !== option.id));
  const toGenerate = value.filter((k) => k.kind === 'token-new');
  // A key enrolled for another role stays one click away, but does not crowd the list.
  const fits = (o: KeyOption): boolean => role === undefined || o.roles.length === 0 || o.roles.includes(role) || chosen.has(o.id);
  const others = shown.filter((o) => !fits(o));
  const row = (o: KeyOption): ReactElement => (
    <label key={o.id} className="source-option">
      <input type="checkbox" checked={chosen.has(o.id)} onChange={(e) => toggle(o, e.target.checked)} />
      <span>{o.title}</span>
      <span className="hint mono">{o.sub}</span>
    </label>
  );
  return (
    <fieldset className="source-options key-picker" aria-describedby={hint === undefined ? undefined : `${id}-hint`}>
      <legend>
        {legend} <span className="muted">({value.length} chosen)</span>
      </legend>
      {hint === undefined ? null : (
        <span className="hint" id={`${id}-hint`}>
          {hint}
        </span>
      )}
      {groups.map((group) => {
        const rows = shown.filter((o) => o.group === group && fits(o));
        if (rows.length === 0) return null;
        return (
          <div key={group} className="key-group" role="group" aria-label={`${legend}: ${GROUP_LABEL[group]}`}>
            <div className="key-group-label">{GROUP_LABEL[group]}</div>
            {rows.map(row)}
          </div>
        );
      })}
      {others.length === 0 ? null : (
        <details className="key-others">
          <summary>
            Keys enrolled for other roles ({others.length})
          </summary>
          <div className="key-group" role="group" aria-label={`${legend}: keys enrolled for other roles`}>
            {others.map(row)}
          </div>
        </details>
      )}
      {shown.length === 0 && !allowGenerate ? <p className="muted">No key here fits: enroll one under Keys &amp; Tokens first.</p> : null}
      {toGenerate.length === 0 ? null : (
        <ul className="plain-list key-new-list" aria-label={`${legend}: keys to generate`}>
          {toGenerate.map((k) => (
            <li key={planKeyId(k)} className="signer">
              <span>{describePlanKey(k, options)}</span>
              <button type="button" className="button small" onClick={() => onChange(value.filter((v) => planKeyId(v) !== planKeyId(k)))} aria-label={`Remove ${describePlanKey(k, options)}`}>
                Remove
              </button>
            </li>
          ))}
        </ul>
      )}
      {!allowGenerate ? null : generating ? (
        <GenerateKeyForm
          tokens={tokens}
          tokenKeys={tokenKeys}
          taken={value}
          onAdd={(key) => {
            onChange([...value, key]);
            setGenerating(false);
          }}
          onCancel={() => setGenerating(false)}
        />
      ) : (
        <div className="row">
          <button type="button" className="button small" onClick={() => setGenerating(true)} disabled={tokens.length === 0} aria-label={`${legend}: generate a new key on a token`}>
            Generate a new key on a token…
          </button>
          {tokens.length === 0 ? <span className="hint">Attach a token to generate a key on it.</span> : null}
        </div>
      )}
    </fieldset>
  );
}

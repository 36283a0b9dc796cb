import type { ReactElement } from 'react';

import { Icon } from '../../../components/icons';
import type { Picked } from '../../../stores/keys-store';

/** A "Choose file…" button and the path main's dialog returned (the renderer only holds the pickId). */
export function FilePick({ label, buttonText, picked, onChoose, hint, disabled }: { label: string; buttonText: string; picked: Picked | null; onChoose: () => void; hint: string; disabled: boolean }): ReactElement {
  return (
    <div className="field">
      <span className="label" id={`${buttonText}-label`}>
        {label}
      </span>
      <div className="row">
        <button type="button" className="button" onClick={onChoose} disabled={disabled} aria-describedby={`${buttonText}-label`}>
          <Icon name="folder" />
          {buttonText}
        </button>
      </div>
      {picked === null ? (
        <span className="hint">{hint}</span>
      ) : (
        <div className="picked-path" data-testid="picked-file">
          <Icon name="folder" />
          {picked.displayPath}
        </div>
      )}
    </div>
  );
}

import type { ReactElement } from 'react';

import type { RequestPreview } from '../../../../../shared/ipc/ceremony';
import { KIND_INFO, KINDS, type Kind, kindUnavailable } from './kinds';

/** The eight kinds, each with when to use it; kinds this request cannot run are disabled with the reason. */
export function KindStep({ request, value, onChange }: { request: RequestPreview; value: Kind | null; onChange: (kind: Kind) => void }): ReactElement {
  return (
    <fieldset className="source-options kind-options">
      <legend>What does this ceremony do?</legend>
      {KINDS.map((kind) => {
        const reason = kindUnavailable(kind, request);
        return (
          <label key={kind} className="source-option" data-kind={kind}>
            <input type="radio" name="ceremony-kind" value={kind} checked={value === kind} disabled={reason !== null} onChange={() => onChange(kind)} aria-describedby={`kind-${kind}-help`} />
            <span>
              {KIND_INFO[kind].title} <span className="mono muted">{kind}</span>
            </span>
            <span className="hint" id={`kind-${kind}-help`}>
              {reason === null ? KIND_INFO[kind].help : `Not available: ${reason}`}
            </span>
          </label>
        );
      })}
    </fieldset>
  );
}

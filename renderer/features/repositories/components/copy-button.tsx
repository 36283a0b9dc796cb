import { type ReactElement, useState } from 'react';

import { Icon } from '../../../components/icons';

/** Copies a full key ID; the table shows only a prefix. */
export function CopyButton({ value, label }: { value: string; label: string }): ReactElement {
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  const copy = async (): Promise<void> => {
    try {
      await navigator.clipboard.writeText(value);
      setState('copied');
    } catch (error: unknown) {
      // Clipboard access can be denied by the session's permission policy; say so instead of pretending.
      console.warn('clipboard write refused', error);
      setState('failed');
    }
    setTimeout(() => setState('idle'), 1500);
  };
  return (
    <button type="button" className="button ghost small" onClick={() => void copy()} aria-label={`Copy ${label}`} title={value}>
      <Icon name={state === 'copied' ? 'check' : 'copy'} />
      <span aria-live="polite">{state === 'copied' ? 'Copied' : state === 'failed' ? 'Copy failed' : ''}</span>
    </button>
  );
}

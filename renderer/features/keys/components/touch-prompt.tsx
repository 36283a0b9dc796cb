import type { ReactElement } from 'react';

import { useKeysStore } from '../../../stores/keys-store';

/** "Touch your YubiKey" while the token works or waits; the wait can be cancelled. */
export function TouchPrompt(): ReactElement | null {
  const progress = useKeysStore((s) => s.progress);
  const cancel = useKeysStore((s) => s.cancel);
  if (progress === null || (progress.phase !== 'touch' && progress.phase !== 'working')) return null;
  return (
    <div className="touch-prompt" role="status" data-testid="touch-prompt">
      <span className="touch-dot" aria-hidden="true" />
      <span>{progress.message}</span>
      {progress.phase === 'touch' ? (
        <button type="button" className="button small" onClick={() => void cancel()}>
          Cancel wait
        </button>
      ) : null}
    </div>
  );
}
